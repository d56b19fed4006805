"""Recognise the columns of a commune's list: Vietnamese headers with or without diacritics,
on any of the first rows, possibly over two rows (merged cells such as "Địa chỉ" above
"Thôn/Tổ | Xã/Phường | Huyện | Tỉnh")."""

import re

from ansinh.core.text import fold

# Field → its Vietnamese name in messages.
FIELD_LABELS = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "birth_year": "Năm sinh",
    "sex": "Giới tính",
    "personal_id": "Số định danh",
    "ethnicity": "Dân tộc",
    "village": "Thôn/Tổ",
    "commune": "Xã/Phường",
    "district": "Huyện",
    "province": "Tỉnh",
    "address": "Địa chỉ",
    "phone": "Số điện thoại",
    "category": "Đối tượng",
    "benefit": "Chế độ",
    "coefficient": "Hệ số",
    "amount": "Mức trợ cấp",
    "start_month": "Tháng bắt đầu hưởng",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "decision_signer": "Người ký quyết định",
    "paid_through": "Đã chi trả đến tháng",
    "poverty_status": "Hộ nghèo",
    "poverty_year": "Năm",
    "certificate_number": "Số giấy chứng nhận",
    "disability_type": "Dạng tật",
    "disability_level": "Mức độ khuyết tật",
    "determined_on": "Ngày xác định",
    "household_code": "Mã hộ",
    "relationship": "Quan hệ với chủ hộ",
    "head_name": "Họ tên chủ hộ",
    "row_ref": "Mã dòng nhập",
}

# Header texts (as `header_key` leaves them) → field. "" marks a known column that is not used
# (the running number "STT"), so it still counts towards recognising the header row.
_ALIASES = {
    "full_name": [
        "ho va ten",
        "ho ten",
        "ho va ten doi tuong",
        "ho ten doi tuong",
        "ten doi tuong",
        "ho va ten nguoi huong",
        "ho ten nguoi",
    ],
    "birth_date": [
        "ngay sinh",
        "ngay thang nam sinh",
        "ngay/thang/nam sinh",
        "sinh ngay",
        "ngay, thang, nam sinh",
    ],
    "birth_year": ["nam sinh"],
    "sex": ["gioi tinh", "gioi", "nam/nu", "phai"],
    "personal_id": [
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "so cccd",
        "cccd",
        "so cmnd/cccd",
        "cmnd/cccd",
        "so can cuoc",
        "so can cuoc cong dan",
        "can cuoc cong dan",
        "so cmnd",
        "cmnd",
        "so cccd/dinh danh",
        "so cccd/cmnd",
        "cccd/cmnd",
    ],
    "ethnicity": ["dan toc"],
    "village": [
        "thon/to",
        "thon",
        "to",
        "to dan pho",
        "thon/xom",
        "thon/ban",
        "thon/to dan pho",
        "ap",
        "ban",
        "xom",
        "thon/ap",
        "ap/khom",
        "khu pho",
    ],
    "commune": ["xa/phuong", "xa", "phuong", "xa/phuong/thi tran", "xa/phuong/dac khu", "xa, phuong"],
    "district": ["huyen", "quan/huyen", "huyen/quan", "quan/huyen/thi xa", "huyen/thi xa/thanh pho"],
    "province": ["tinh", "tinh/thanh pho", "tinh/tp", "tinh/thanh"],
    "address": ["dia chi", "dia chi thuong tru", "noi o", "noi o hien nay", "noi cu tru", "dia chi cu tru"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "so dt", "dt"],
    "category": [
        "doi tuong",
        "nhom doi tuong",
        "loai doi tuong",
        "dien doi tuong",
        "ma doi tuong",
        "doi tuong huong",
    ],
    "benefit": ["che do", "loai tro cap", "che do huong"],
    "coefficient": ["he so", "he so tro cap", "he so huong"],
    "amount": [
        "muc tro cap",
        "so tien",
        "muc huong",
        "so tien tro cap",
        "muc tro cap hang thang",
        "so tien huong",
        "muc tro cap (dong)",
    ],
    "start_month": [
        "thang bat dau huong",
        "thoi diem huong",
        "huong tu thang",
        "thang huong",
        "thoi gian bat dau huong",
        "ngay bat dau huong",
        "thang bat dau",
    ],
    "decision_number": ["so quyet dinh", "quyet dinh so", "so qd"],
    "decision_date": ["ngay quyet dinh", "ngay ky quyet dinh", "ngay ky", "ngay qd", "ngay ky qd"],
    "decision_signer": ["nguoi ky", "nguoi ky quyet dinh", "nguoi ky qd"],
    "paid_through": [
        "da chi tra den thang",
        "chi tra den thang",
        "da nhan den thang",
        "da huong den thang",
        "da linh den thang",
    ],
    "poverty_status": [
        "ho ngheo",
        "ho ngheo/can ngheo",
        "tinh trang ho",
        "phan loai ho",
        "ho ngheo, can ngheo",
        "ngheo/can ngheo",
    ],
    "poverty_year": ["nam", "nam ra soat"],
    "certificate_number": ["so giay chung nhan", "so chung nhan", "so giay xac nhan"],
    "disability_type": ["dang tat", "dang khuyet tat", "loai khuyet tat"],
    "disability_level": ["muc do khuyet tat", "muc do"],
    "determined_on": ["ngay xac dinh", "ngay cap giay xac nhan", "ngay xac nhan", "ngay cap"],
    "household_code": ["ma ho", "so ho", "ma ho gia dinh", "so ho khau"],
    "relationship": ["quan he voi chu ho", "quan he", "quan he chu ho"],
    "head_name": ["ho ten chu ho", "chu ho", "ten chu ho", "ho va ten chu ho"],
    "row_ref": ["ma dong nhap"],
    "": ["stt", "tt", "so tt", "so thu tu", "ghi chu", "loi"],
}
HEADER_ALIASES: dict[str, str] = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
# Labels of a merged cell over a group of columns: a header word, never a field of its own.
GROUP_LABELS = {
    "dia chi",
    "que quan",
    "noi o",
    "noi cu tru",
    "dia chi thuong tru",
    "thong tin ca nhan",
    "thong tin tro cap",
    "ho khau thuong tru",
}

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\*")
_NOT_KEY = re.compile(r"[^a-z0-9/,]+")


def header_key(text) -> str:
    """'Ngày sinh (dd/mm/yyyy)*' → 'ngay sinh'; 'Xã / Phường' → 'xa/phuong'."""
    folded = fold(_PARENS.sub(" ", str(text or "")))
    key = " ".join(_NOT_KEY.sub(" ", folded).split())
    return key.replace(" / ", "/").replace("/ ", "/").replace(" /", "/").strip(" ,")


def field_for(text) -> str | None:
    """The field a header names; "" for a known unused column; None when unknown."""
    return HEADER_ALIASES.get(header_key(text))


def _is_label(value) -> bool:
    if value is None or str(value).strip() == "":
        return False
    key = header_key(value)
    return key in HEADER_ALIASES or key in GROUP_LABELS


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def is_column_number_row(cells) -> bool:
    """The '(1) (2) (3) …' row official forms put under the header."""
    values = [str(c).strip() for c in cells if c is not None and str(c).strip() != ""]
    return len(values) >= 3 and all(_COLUMN_NUMBER.match(v) for v in values)


def detect_header(rows: list[list]) -> tuple[int, list[str], int] | None:
    """Find the header among the first rows.

    Returns (index of the first header row, the column labels, number of header rows) or None.
    The header is the row that names the most known columns, at least two of them and a name or
    an ID among them. When the next row holds only column labels (a header over two rows, with
    merged cells), each column takes the lower label, or the upper one where the lower is blank.
    """
    best, best_score = None, 0
    for index, cells in enumerate(rows):
        fields = {field_for(c) for c in cells if c is not None}
        fields.discard(None)
        score = len([c for c in cells if field_for(c) is not None])
        if score >= 2 and ({"full_name", "personal_id", "row_ref"} & fields) and score > best_score:
            best, best_score = index, score
    if best is None:
        return None
    upper = [("" if c is None else str(c).strip()) for c in rows[best]]
    height = 1
    if best + 1 < len(rows):
        lower_cells = rows[best + 1]
        non_blank = [c for c in lower_cells if c is not None and str(c).strip() != ""]
        if non_blank and all(_is_label(c) for c in non_blank):
            lower = [("" if c is None else str(c).strip()) for c in lower_cells]
            width = max(len(upper), len(lower))
            upper += [""] * (width - len(upper))
            lower += [""] * (width - len(lower))
            upper = [lo or up for up, lo in zip(upper, lower, strict=True)]
            height = 2
    return best, upper, height


def auto_mapping(labels: list[str]) -> dict[str, str]:
    """{field: header label} for every recognised column (the first column wins a field)."""
    mapping: dict[str, str] = {}
    for label in labels:
        field = field_for(label)
        if field and field not in mapping:
            mapping[field] = label
    return mapping
