"""Open a .xlsx or .csv file as rows of cell values, refusing anything else with a clear message.

Nothing is written here: a refusal happens before the database is touched. The size limit is
checked on the file's size, before a byte of it is read.
"""

import csv
import io
import itertools
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from lxml import etree

from ansinh.core.errors import InvalidInput

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
HEADER_SCAN_ROWS = 30


def max_bytes() -> int:
    return int(getattr(settings, "ANSINH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, fields={"file": message}, code=code)


@dataclass
class Sheet:
    name: str
    rows: Iterator[list]  # every row from the first, as lists of cell values
    total_rows: int | None  # an estimate for the progress bar


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_file(path: str, display_name: str | None = None) -> int:
    """The file's size, or a refusal (missing, empty, too large)."""
    name = display_name or os.path.basename(path)
    if not os.path.isfile(path):
        raise _refuse(f"Không tìm thấy tệp «{name}»: kiểm tra lại đường dẫn.", "file_missing")
    size = os.path.getsize(path)
    if size == 0:
        raise _refuse(f"Tệp «{name}» rỗng (0 byte): chọn đúng tệp danh sách đã lưu.", "file_empty")
    limit = max_bytes()
    if size > limit:
        raise _refuse(
            f"Tệp «{name}» nặng {_mb(size)}, vượt giới hạn {_mb(limit)}: tách danh sách thành nhiều tệp "
            "nhỏ hơn (ví dụ theo xã) rồi nhập từng tệp.",
            "file_too_large",
        )
    return size


def open_sheet(path: str, display_name: str | None = None) -> Sheet:
    name = display_name or os.path.basename(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            f"Tệp «{name}» là bảng tính Excel 97-2003 (.xls), chưa đọc được: mở tệp bằng Excel, chọn "
            "“Lưu thành” dạng Excel Workbook (.xlsx) rồi nhập lại.",
            "file_xls",
        )
    return _open_csv(path, name)


def _not_spreadsheet(name: str) -> InvalidInput:
    return _refuse(
        f"Tệp «{name}» không phải bảng tính: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv). "
        "Mở danh sách bằng Excel và lưu lại dạng .xlsx.",
        "file_not_spreadsheet",
    )


def _open_xlsx(path: str, name: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _not_spreadsheet(name) from exc
    sheet = None
    for candidate in workbook.worksheets:
        # The first sheet holding anything (lists often keep an empty "Sheet1" first).
        first = next(candidate.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), None)
        if first is not None and any(
            any(v is not None and str(v).strip() != "" for v in row)
            for row in candidate.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)
        ):
            sheet = candidate
            break
    if sheet is None:
        workbook.close()
        raise _refuse(f"Tệp «{name}» không có dữ liệu: mọi trang tính đều trống.", "file_empty")
    total = sheet.max_row if isinstance(sheet.max_row, int) else None
    fast = all(hasattr(sheet, name) for name in ("_get_source", "_shared_strings"))

    def rows():
        try:
            if fast:
                yield from _sheet_values(sheet)
            else:  # another openpyxl than the one _sheet_values was written against
                for row in sheet.iter_rows(values_only=True):
                    yield list(row)
        finally:
            workbook.close()

    return Sheet(name=sheet.title, rows=rows(), total_rows=total)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN = (_MAIN + tag for tag in ("row", "c", "v", "is", "t", "r"))


def _sheet_values(sheet) -> Iterator[list]:
    """The rows of a read-only openpyxl sheet as lists of values: what
    `sheet.iter_rows(values_only=True)` gives (the same padding to the sheet's dimension, the same
    values: shared and inline strings, numbers, dates by the cell's number format, booleans), read
    with lxml. openpyxl builds a dict per cell and a rich-text object per inline string: reading a
    100,000-row list took most of the validation time."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    workbook = sheet.parent
    shared = sheet._shared_strings
    dates, durations, epoch = workbook._date_formats, workbook._timedelta_formats, workbook.epoch
    max_col, max_row = sheet.max_column, sheet.max_row
    columns: dict[str, int] = {}  # "AB" → 28

    def number(text: str, style: str | None):
        value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if style and int(style) in dates:
            try:
                return from_excel(value, epoch, timedelta=int(style) in durations)
            except (OverflowError, ValueError):
                return "#VALUE!"  # as openpyxl: a date serial out of range is an error cell
        return value

    def inline(node) -> str:
        # <is><t>text</t></is>, or rich-text runs <is><r><t>…</t></r>…</is> (phonetic runs left out).
        parts = []
        for child in node:
            if child.tag == _TEXT:
                parts.append(child.text)
            elif child.tag == _RUN:
                parts += [grand.text for grand in child if grand.tag == _TEXT]
        return "".join(part for part in parts if part)

    def values(row) -> list:
        found, column = [], 0
        for cell in row:
            if cell.tag != _CELL:
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters) or columns.setdefault(
                    letters, sum(26**i * (ord(ch) - 64) for i, ch in enumerate(reversed(letters.upper())))
                )
            else:
                column += 1
            kind = cell.get("t")
            value = None
            if kind == "inlineStr":
                for child in cell:
                    if child.tag == _INLINE:
                        value = inline(child)
                        break
            else:
                text = None
                for child in cell:
                    if child.tag == _VALUE:
                        text = child.text
                        break
                if not text:
                    pass
                elif kind is None or kind == "n":
                    value = number(text, cell.get("s"))
                elif kind == "s":
                    value = shared[int(text)]
                elif kind == "b":
                    value = bool(int(text))
                elif kind == "d":
                    value = from_ISO8601(text)
                else:  # "str" (a formula's text), "e" (an error such as #N/A)
                    value = text
            found.append((column, value))
        width = max_col or (found[-1][0] if found else 0)
        out = [None] * width
        for column, value in found:
            if 1 <= column <= width:
                out[column - 1] = value
        return out

    empty = [None] * max_col if max_col else []
    counter, number_ = 1, 0  # the next row to give; the row being read
    with sheet._get_source() as source:
        # No entities, no DTD, no network: the file comes from outside.
        parser = etree.iterparse(source, tag=_ROW, resolve_entities=False, load_dtd=False, no_network=True)
        for _event, row in parser:
            ref = row.get("r")
            number_ = int(float(ref)) if ref else number_ + 1
            if max_row is not None and number_ > max_row:
                # As openpyxl: the rows up to the dimension's last, then stop.
                while counter <= max_row:
                    counter += 1
                    yield list(empty)
                break
            while counter < number_:  # rows the file leaves out
                counter += 1
                yield list(empty)
            if counter <= number_:
                counter += 1
                yield values(row)
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]


# PDF, PNG, JPEG, GIF, RAR, 7z: files people pick by mistake.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258, the code page of Vietnamese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="strict")


def _open_csv(path: str, name: str) -> Sheet:
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\x00" in data[:4096] or data.startswith(_BINARY_MAGIC):
        raise _not_spreadsheet(name)
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise _not_spreadsheet(name) from exc
    if not text.strip():
        raise _refuse(f"Tệp «{name}» không có dữ liệu: tệp chỉ có khoảng trắng.", "file_empty")
    sample_chars = text[:4096]
    control = sum(1 for ch in sample_chars if ord(ch) < 32 and ch not in "\r\n\t")
    if control > len(sample_chars) // 100:
        raise _not_spreadsheet(name)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    total = text.count("\n") + 1
    return Sheet(name="", rows=(list(r) for r in reader), total_rows=total)


def split_head(sheet: Sheet) -> tuple[list[list], Iterator[list]]:
    """The first rows (for header detection) and an iterator over all rows from the first."""
    head = list(itertools.islice(sheet.rows, HEADER_SCAN_ROWS))
    return head, itertools.chain(head, sheet.rows)
