"""Column mapping: Vietnamese headers with and without diacritics, on any row, saved templates,
and CSV files in UTF-8 (with or without BOM) and Windows-1258."""

import unicodedata

import pytest

from ansinh.imports.headers import auto_mapping, detect_header, header_key
from ansinh.imports.models import ImportTemplate
from ansinh.imports.services import import_file
from ansinh.imports.tests.workbooks import save_rows

HEADERS = [
    "Họ và tên",
    "Họ tên",
    "Ngày sinh",
    "Năm sinh",
    "Giới tính",
    "Số định danh",
    "Số CCCD",
    "CCCD",
    "Dân tộc",
    "Thôn/Tổ",
    "Xã/Phường",
    "Huyện",
    "Tỉnh",
    "Địa chỉ",
    "Số điện thoại",
    "Đối tượng",
    "Hệ số",
    "Mức trợ cấp",
    "Tháng bắt đầu hưởng",
    "Hộ nghèo",
    "Dạng tật",
    "Mức độ khuyết tật",
]
FIELDS = [
    "full_name",
    "full_name",
    "birth_date",
    "birth_year",
    "sex",
    "personal_id",
    "personal_id",
    "personal_id",
    "ethnicity",
    "village",
    "commune",
    "district",
    "province",
    "address",
    "phone",
    "category",
    "coefficient",
    "amount",
    "start_month",
    "poverty_status",
    "disability_type",
    "disability_level",
]


@pytest.mark.parametrize(("header", "field"), list(zip(HEADERS, FIELDS, strict=True)))
def test_every_listed_header_with_and_without_diacritics(header, field):
    from ansinh.core.text import fold
    from ansinh.imports.headers import field_for

    assert field_for(header) == field
    assert field_for(fold(header)) == field
    assert field_for(header.upper() + " (*)") == field
    assert field_for(unicodedata.normalize("NFD", header)) == field


def test_header_key_ignores_notes_and_spacing():
    assert header_key("Ngày sinh (dd/mm/yyyy)*") == "ngay sinh"
    assert header_key("Xã / Phường") == "xa/phuong"


def test_header_on_a_later_row_and_over_two_rows():
    rows = [
        ["UBND XÃ"],
        [None],
        ["TT", "Họ và tên", "Địa chỉ", None],
        [None, None, "Xã", "Tỉnh"],
        [1, "An", "Phúc Xá", "Hà Nội"],
    ]
    index, labels, height = detect_header(rows)
    assert (index, labels, height) == (2, ["TT", "Họ và tên", "Xã", "Tỉnh"], 2)
    assert auto_mapping(labels) == {"full_name": "Họ và tên", "commune": "Xã", "province": "Tỉnh"}


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has â, ê, ô, ơ, ư, ă, đ as letters and the five tones as combining marks."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in parts[1:] if m in TONES)
            base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in TONES))
            out.append(base + tones)
    return "".join(out).encode("cp1258")


def csv_bytes(encoding):
    text = (
        "Họ và tên;Năm sinh;Giới tính;Xã/Phường;Huyện;Tỉnh\nNguyễn Văn Ân;1950;Nam;Phúc Xá;Ba Đình;Hà Nội\n"
    )
    if encoding == "cp1258":
        # Windows-1258 writes most tones as combining marks after the letter.
        data = to_cp1258(text)
        assert data.decode("cp1258") != text  # really combining marks
        return data
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_encodings(tmp_path, province_officer, encoding):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes(encoding))
    batch = import_file(actor=province_officer, path=str(path), kind="persons")
    row = batch.rows.get()
    assert (row.status, row.values["full_name"], row.values["commune"]) == ("valid", "Nguyễn Văn Ân", "00097")
    assert unicodedata.is_normalized("NFC", row.values["full_name"])


def test_a_mapping_is_saved_as_a_template_and_used_again(tmp_path, province_officer):
    first = save_rows(
        tmp_path / "a.xlsx", [["Ho ten", "Nam sinh", "Gioi tinh", "Ghi chu"], ["An", 1950, "Nam", ""]]
    )
    import_file(actor=province_officer, path=str(first), kind="persons", template_name="Mẫu xã Phúc Xá")
    template = ImportTemplate.objects.get(name="Mẫu xã Phúc Xá")
    assert (template.kind, template.mapping) == (
        "persons",
        {"full_name": "Ho ten", "birth_year": "Nam sinh", "sex": "Gioi tinh"},
    )
    # A later file whose columns the template maps differently (here: the template drops the sex).
    template.mapping = {"full_name": "Ho ten", "birth_year": "Nam sinh"}
    template.save()
    second = save_rows(tmp_path / "b.xlsx", [["Ho ten", "Nam sinh", "Gioi tinh"], ["Binh", 1951, "Nam"]])
    batch = import_file(
        actor=province_officer, path=str(second), kind="persons", template_name="Mẫu xã Phúc Xá"
    )
    assert batch.template_id == template.pk
    assert batch.mapping == {"full_name": "Ho ten", "birth_year": "Nam sinh"}
    assert batch.rows.get().errors[0]["message"] == (
        "Cột «Giới tính» để trống: chưa có giới tính: ghi “Nam” hoặc “Nữ” (hoặc ghi số định danh để lấy giới tính từ đó)."
    )


def test_sex_is_taken_from_the_personal_id_when_the_column_is_missing(tmp_path, province_officer):
    path = save_rows(
        tmp_path / "a.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Số định danh", "Xã/Phường", "Huyện"],
            ["Trần Thị Bình", "1948", "001148000002", "Phúc Xá", "Ba Đình"],
        ],
    )
    row = import_file(actor=province_officer, path=str(path), kind="persons").rows.get()
    assert (row.status, row.values["sex"]) == ("valid", "F")


def test_a_free_text_address_is_split_and_resolved(tmp_path, province_officer):
    path = save_rows(
        tmp_path / "a.xlsx",
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Địa chỉ"],
            ["An", 1950, "Nam", "Tổ 3, Phường Phúc Xá, Quận Ba Đình, Hà Nội"],
        ],
    )
    row = import_file(actor=province_officer, path=str(path), kind="persons").rows.get()
    assert (row.status, row.values["commune"], row.values["village_name"]) == ("valid", "00097", "Tổ 3")


def test_a_template_of_another_kind_is_refused_and_unused_columns_are_reported(tmp_path, province_officer):
    from ansinh.core.errors import InvalidInput
    from ansinh.imports.models import ImportBatch
    from ansinh.imports.selectors import import_report

    path = save_rows(
        tmp_path / "a.xlsx",
        [["Họ và tên", "Năm sinh", "Giới tính", "Nghề nghiệp", "STT"], ["An", 1950, "Nam", "Nông", 1]],
    )
    batch = import_file(actor=province_officer, path=str(path), kind="persons", template_name="Mẫu người")
    assert "Các cột không dùng: «Nghề nghiệp»." in import_report(batch).lines
    other = save_rows(
        tmp_path / "b.xlsx",
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Hệ số", "Tháng bắt đầu hưởng"],
            ["An", 1950, "Nam", 1, "01/2025"],
        ],
    )
    with pytest.raises(InvalidInput) as caught:
        import_file(actor=province_officer, path=str(other), kind="beneficiaries", template_name="Mẫu người")
    assert caught.value.message == (
        "Mẫu «Mẫu người» dùng cho «Danh sách người», không dùng được cho «Danh sách đối tượng đang hưởng»: "
        "chọn mẫu khác hoặc đặt tên mẫu mới."
    )
    assert ImportBatch.objects.count() == 1
