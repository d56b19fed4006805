"""Bad input (issue 5): a clear Vietnamese message, no crash, nothing written."""

import pytest
from django.core.management import CommandError, call_command

from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.imports.models import ImportBatch, ImportRow, ImportTemplate
from ansinh.imports.services import import_file
from ansinh.imports.tests.workbooks import save_rows
from ansinh.registry.models import Person


def nothing_written():
    return (
        ImportBatch.objects.count(),
        ImportRow.objects.count(),
        ImportTemplate.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
    ) == (0, 0, 0, 0, 0)


def refused(path, actor, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        import_file(actor=actor, path=str(path), kind="persons", **kwargs)
    return caught.value


def test_a_file_that_is_not_a_spreadsheet(tmp_path, province_officer):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    error = refused(path, province_officer)
    assert (error.code, error.message) == (
        "file_not_spreadsheet",
        "Tệp «anh.xlsx» không phải bảng tính: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv). Mở danh sách bằng Excel "
        "và lưu lại dạng .xlsx.",
    )
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert refused(broken, province_officer).code == "file_not_spreadsheet"
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert refused(old, province_officer).message == (
        "Tệp «cu.xls» là bảng tính Excel 97-2003 (.xls), chưa đọc được: mở tệp bằng Excel, chọn “Lưu thành” dạng "
        "Excel Workbook (.xlsx) rồi nhập lại."
    )
    assert nothing_written()


def test_an_empty_file(tmp_path, province_officer):
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    assert (
        refused(empty, province_officer).message
        == "Tệp «rong.csv» rỗng (0 byte): chọn đúng tệp danh sách đã lưu."
    )
    blank_sheet = save_rows(tmp_path / "trang.xlsx", [])
    assert (
        refused(blank_sheet, province_officer).message
        == "Tệp «trang.xlsx» không có dữ liệu: mọi trang tính đều trống."
    )
    header_only = save_rows(tmp_path / "tieude.xlsx", [["Họ và tên", "Ngày sinh"]])
    assert refused(header_only, province_officer).message == (
        "Tệp «tieude.xlsx» có dòng tiêu đề (dòng 1) nhưng không có dòng dữ liệu nào."
    )
    assert nothing_written()


def test_a_sheet_without_a_recognisable_header(tmp_path, province_officer):
    path = save_rows(tmp_path / "la.xlsx", [["Cột A", "Cột B"], ["x", "y"]])
    error = refused(path, province_officer)
    assert (error.code, error.message) == (
        "file_no_header",
        "Không tìm thấy dòng tiêu đề trong 2 dòng đầu của tệp «la.xlsx»: bảng cần có dòng tiêu đề ghi tên cột như "
        "«Họ và tên», «Ngày sinh», «Số định danh», «Xã/Phường».",
    )
    missing = save_rows(tmp_path / "thieu.xlsx", [["Họ và tên", "Số CCCD"], ["An", "001050000001"]])
    assert refused(missing, province_officer).message == (
        "Tệp «thieu.xlsx» thiếu cột «Ngày sinh» hoặc «Năm sinh» (dòng tiêu đề là dòng 1): thêm cột đó, hoặc đặt lại "
        "tên cột cho đúng."
    )
    assert nothing_written()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, province_officer, settings):
    settings.ANSINH_IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "lon.csv"
    path.write_bytes(b"\x00" * (1024 * 1024 + 1))  # not even a spreadsheet: the size is checked first
    error = refused(path, province_officer)
    assert (error.code, error.message) == (
        "file_too_large",
        "Tệp «lon.csv» nặng 1 MB, vượt giới hạn 1 MB: tách danh sách thành nhiều tệp nhỏ hơn (ví dụ theo xã) rồi "
        "nhập từng tệp.",
    )
    assert nothing_written()


def test_the_default_limit_is_200_mb():
    from django.conf import settings

    assert settings.ANSINH_IMPORT_MAX_BYTES == 200 * 1024 * 1024


def test_the_command_prints_the_message_and_writes_nothing(tmp_path, province_officer):
    path = tmp_path / "anh.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(CommandError) as caught:
        call_command(
            "import",
            str(path),
            kind="persons",
            actor=province_officer.username,
            commit=True,
            no_progress=True,
        )
    assert str(caught.value).startswith("Tệp «anh.csv» không phải bảng tính")
    with pytest.raises(CommandError) as caught:
        call_command("import", str(tmp_path / "khong_co.xlsx"), kind="persons", no_progress=True)
    assert str(caught.value) == "Không tìm thấy tệp «khong_co.xlsx»: kiểm tra lại đường dẫn."
    assert nothing_written()


def test_an_auditor_may_not_import(tmp_path, hong_ha):
    from ansinh.accounts.models import Role
    from ansinh.core.errors import NotAllowed
    from ansinh.registry.tests.factories import make_user

    auditor = make_user(commune=hong_ha, role=Role.AUDITOR)
    path = save_rows(tmp_path / "ds.xlsx", [["Họ và tên", "Năm sinh"], ["An", 1950]])
    with pytest.raises(NotAllowed):
        import_file(actor=auditor, path=str(path), kind="persons")
    assert nothing_written()
