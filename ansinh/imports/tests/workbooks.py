"""Spreadsheets built in the tests, the way communes really keep them."""

import datetime as dt

from openpyxl import Workbook


def save_rows(path, rows, *, merges=(), title="DS"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


# Header over rows 3–4: "Địa chỉ" merged over four columns with its parts below; the other
# headers merged over both rows. No diacritics in some headers, as typed on a machine without
# a Vietnamese keyboard.
MESSY_HEADER_TOP = [
    "STT",
    "Ho va ten",
    "Ngay sinh",
    "Gioi tinh",
    "So CCCD",
    "Địa chỉ",
    None,
    None,
    None,
    "So dien thoai",
]
MESSY_HEADER_BOTTOM = [None, None, None, None, None, "Thôn/Tổ", "Xa/Phuong", "Huyen", "Tinh", None]
MESSY_MERGES = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:I3", "J3:J4"]


def messy_rows():
    """Header on row 3 (two rows); data from row 5. Returns the rows of the sheet."""
    return [
        ["DANH SÁCH NGƯỜI CAO TUỔI", None, None],
        ["Phường Phúc Xá, quận Ba Đình", None, None],
        MESSY_HEADER_TOP,
        MESSY_HEADER_BOTTOM,
        # 5: valid, old address with diacritics, ID lost its leading zeros (number cell), date cell
        [
            1,
            "NGUYỄN  văn an",
            dt.datetime(1950, 3, 12),
            "Nam",
            1050000001,
            "Tổ 1",
            "Phường Phúc Xá",
            "Quận Ba Đình",
            "Hà Nội",
            "912345678",
        ],
        # 6: valid, no diacritics address with prefixes, year only, +84 phone
        [
            2,
            "tran thi binh",
            "năm 1948",
            "Nữ",
            "001 148 000 002",
            "",
            "P. Phuc Xa",
            "Q. Ba Dinh",
            "TP Ha Noi",
            "+84 987 654 321",
        ],
        # 7: impossible date
        [3, "Lê Văn Cường", "31/02/1950", "Nam", None, "", "Phúc Xá", "Ba Đình", "Hà Nội", None],
        # 8: blank row
        [None] * 10,
        # 9: ambiguous old address (Phường Kim Mã was split between three wards)
        [4, "Phạm Thị Dung", "1952-07-01", "Nữ", None, "", "Kim Mã", "Ba Đình", "Hà Nội", None],
        # 10: same person as row 5 (same ID written as text)
        [
            5,
            "Nguyễn Văn An",
            "12/03/1950",
            "Nam",
            "001050000001",
            "Tổ 1",
            "Phúc Xá",
            "Ba Đình",
            "Hà Nội",
            None,
        ],
        # 11: Excel serial date, d/m/yy, ID whose birth year disagrees with the date
        [6, "Hoàng Văn Em", 18700, "Nam", None, "", "Phúc Xá", "Ba Đình", "Hà Nội", None],
        [7, "Vũ Thị Gấm", "5/6/49", "Nữ", "001055000003", "", "Phúc Xá", "Ba Đình", "Hà Nội", None],
        # 13: blank, then 14: commune not found
        [None] * 10,
        [8, "Đỗ Văn Hùng", "1960", "Nam", None, "", "Phường Không Có", "Ba Đình", "Hà Nội", None],
        # trailing empty rows are not data rows
        [None] * 10,
    ]


# The columns of a commune's list of current beneficiaries.
BENEFICIARY_HEADER = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh",
    "Xã/Phường",
    "Huyện",
    "Tỉnh",
    "Đối tượng",
    "Hệ số",
    "Mức trợ cấp",
    "Tháng bắt đầu hưởng",
    "Số quyết định",
]
