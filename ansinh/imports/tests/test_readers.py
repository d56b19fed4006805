"""The lxml sheet reader gives the rows openpyxl's own read-only reader gives."""

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from ansinh.imports import readers

ROWS = [
    ["DANH SÁCH ĐỐI TƯỢNG"],
    [],
    ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Hệ số", "Đã chi trả"],
    [1, "Nguyễn Thị  Ân", dt.datetime(1950, 3, 12), "001150000001", 1.5, True],
    [None, None, None, None, None, None],
    [2, "  TRẦN VĂN BÌNH ", dt.date(1948, 1, 2), 1150000002, "1,5", False],
    [],
    [],
    [3, "=1+1", dt.time(12, 30), dt.timedelta(days=2), 1e20, "đủ"],
]


def _openpyxl_rows(path) -> list[list]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_the_lxml_reader_gives_the_rows_and_types_openpyxl_gives(tmp_path, write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("DS") if write_only else workbook.active
    for row in ROWS:
        sheet.append(row)
    if not write_only:
        sheet.cell(row=12, column=8, value="xa")  # a cell beyond the others: rows padded to H
    path = tmp_path / "ds.xlsx"
    workbook.save(path)

    ours = list(readers.open_sheet(str(path)).rows)

    theirs = _openpyxl_rows(path)
    assert ours == theirs
    assert [[type(v) for v in row] for row in ours] == [[type(v) for v in row] for row in theirs]
    assert ours[3][:4] == [1, "Nguyễn Thị  Ân", dt.datetime(1950, 3, 12), "001150000001"]
