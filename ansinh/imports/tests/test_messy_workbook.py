"""The acceptance test of issue 5: a messy workbook is read, every row accounted for, every error
specific; committing writes persons and audit rows; re-importing changes nothing; the error
workbook is fixed and re-imported."""

import pytest
from openpyxl import load_workbook

from ansinh.core.models import AuditEvent
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.imports.selectors import import_report
from ansinh.imports.services import import_commit, import_error_workbook, import_file
from ansinh.imports.tests.workbooks import MESSY_MERGES, messy_rows, save_rows
from ansinh.registry.models import Person, Residence

MESSAGES = {
    7: ["Cột «Ngay sinh», giá trị «31/02/1950»: ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày."],
    9: [
        "Cột «Xa/Phuong», giá trị «Kim Mã»: Phường Kim Mã (Quận Ba Đình) đã được chia cho 3 xã, phường mới: "
        "Phường Ba Đình (00004), Phường Ngọc Hà (00008), Phường Giảng Võ (00025). Hãy chọn xã theo thôn, tổ "
        "dân phố nơi người đó ở."
    ],
    10: [
        "Cột «So CCCD», giá trị «001050000001»: trùng số định danh với dòng 5: nếu là một người thì xoá một "
        "dòng, nếu là hai người thì sửa lại số định danh cho đúng."
    ],
    12: [
        "Cột «So CCCD», giá trị «001055000003»: số định danh cá nhân ghi năm sinh 1955 (chữ số thứ 4–6 là 055) "
        "nhưng năm sinh đã nhập là 1949: kiểm tra lại số định danh hoặc ngày sinh."
    ],
    14: [
        "Cột «Xa/Phuong», giá trị «Phường Không Có»: Không tìm thấy xã/phường «Phường Không Có» trong Quận Ba "
        "Đình. Hãy kiểm tra tên xã, ghi thêm quận/huyện nếu là địa chỉ cũ, hoặc chọn xã từ danh sách."
    ],
}


@pytest.fixture
def messy(tmp_path):
    return str(save_rows(tmp_path / "danh_sach.xlsx", messy_rows(), merges=MESSY_MERGES))


def statuses(batch):
    return dict(batch.rows.values_list("row_number", "status"))


def test_messy_workbook_counts_add_up_and_every_error_is_specific(messy, province_officer):
    batch = import_file(actor=province_officer, path=messy, kind="persons")

    assert (batch.header_row, batch.data_rows, batch.blank_rows) == (3, 10, 2)
    assert statuses(batch) == {
        5: "valid",
        6: "valid",
        7: "error",
        9: "error",
        10: "duplicate",
        11: "valid",
        12: "error",
        14: "error",
    }
    report = import_report(batch)
    assert report.counts == {
        "valid": 3,
        "error": 4,
        "duplicate": 1,
        "imported": 0,
        "merged": 0,
        "rejected": 0,
    }
    assert report.adds_up
    assert {
        r.row_number: [e["message"] for e in r.errors] for r in batch.rows.exclude(status="valid")
    } == MESSAGES
    assert batch.rows.get(row_number=9).errors[0]["column"] == "Xa/Phuong"
    assert batch.rows.get(row_number=9).errors[0]["value"] == "Kim Mã"
    assert report.lines[:2] == [
        f"Lần nhập #{batch.pk}: tệp «danh_sach.xlsx» (Danh sách người), dòng tiêu đề: dòng 3.",
        "Số dòng dữ liệu: 10 = 3 hợp lệ + 4 có lỗi + 1 nghi trùng + 2 dòng trống (bỏ qua).",
    ]
    # The normalised values of the good rows.
    five = batch.rows.get(row_number=5).values
    assert (five["full_name"], five["personal_id"], five["commune"], five["phone"], five["village_name"]) == (
        "Nguyễn Văn An",
        "001050000001",
        "00097",
        "0912345678",
        "Tổ 1",
    )
    six = batch.rows.get(row_number=6).values
    assert (six["birth_year"], six["birth_month"], six["sex"], six["phone"], six["commune"]) == (
        1948,
        None,
        "F",
        "0987654321",
        "00097",
    )
    eleven = batch.rows.get(row_number=11).values
    assert (eleven["birth_year"], eleven["birth_month"], eleven["birth_day"]) == (
        1951,
        3,
        13,
    )  # Excel serial 18700
    # Validation wrote nothing in the registry.
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_commit_writes_persons_residences_and_audit_and_accounts_for_every_row(messy, province_officer):
    batch = import_file(actor=province_officer, path=messy, kind="persons")
    summary = import_commit(actor=province_officer, batch=batch)

    assert (summary.imported, summary.merged, summary.rejected, summary.persons_created) == (3, 1, 4, 3)
    assert statuses(batch) == {
        5: "imported",
        6: "imported",
        7: "rejected",
        9: "rejected",
        10: "merged",
        11: "imported",
        12: "rejected",
        14: "rejected",
    }
    an = Person.objects.get(personal_id="001050000001")
    assert (
        an.full_name,
        an.birth_year,
        an.birth_month,
        an.birth_day,
        an.sex,
        an.commune_id,
        an.village.name,
        an.phone,
    ) == (
        "Nguyễn Văn An",
        1950,
        3,
        12,
        "M",
        "00097",
        "Tổ 1",
        "0912345678",
    )
    assert batch.rows.get(row_number=10).person_id == an.pk  # the duplicate merged into the same person
    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Hoàng Văn Em",
        "Nguyễn Văn An",
        "Tran Thi Binh",
    ]
    assert Residence.objects.count() == 3
    events = AuditEvent.objects.filter(action="person.import")
    assert events.count() == 3
    assert {e.actor_id for e in events} == {province_officer.pk}
    assert {e.area_code for e in events} == {"00097"}
    assert events.get(entity_id=str(an.pk)).after["personal_id"] == "001050000001"
    # Every row ended imported, merged or rejected with its reason.
    assert not batch.rows.filter(status__in=["valid", "error", "duplicate"]).exists()
    assert batch.rows.get(row_number=7).errors[0]["message"] == MESSAGES[7][0]
    report = import_report(batch)
    assert report.adds_up and report.counts["rejected"] == 4


def test_reimporting_the_same_file_changes_nothing(messy, province_officer):
    first = import_file(actor=province_officer, path=messy, kind="persons")
    import_commit(actor=province_officer, batch=first)
    persons, events, rows = Person.objects.count(), AuditEvent.objects.count(), ImportRow.objects.count()

    again = import_file(actor=province_officer, path=messy, kind="persons")
    summary = import_commit(actor=province_officer, batch=again)

    assert (again.pk, again.already) == (first.pk, True)
    assert (summary.imported, summary.merged, summary.persons_created, summary.audit_rows) == (0, 0, 0, 0)
    assert (Person.objects.count(), AuditEvent.objects.count(), ImportRow.objects.count()) == (
        persons,
        events,
        rows,
    )
    assert ImportBatch.objects.count() == 1


def test_the_same_people_in_another_file_are_merged_not_created_again(tmp_path, messy, province_officer):
    import_commit(
        actor=province_officer, batch=import_file(actor=province_officer, path=messy, kind="persons")
    )
    rows = messy_rows()
    rows[0][0] = "DANH SÁCH (bản in lại)"  # another file: other bytes, same people
    other = str(save_rows(tmp_path / "lan2.xlsx", rows, merges=MESSY_MERGES))
    batch = import_file(actor=province_officer, path=other, kind="persons")
    summary = import_commit(actor=province_officer, batch=batch)

    assert (summary.imported, summary.merged, summary.persons_created) == (0, 4, 0)
    assert Person.objects.count() == 3
    assert batch.rows.get(row_number=11).note == "Đã có trong sổ: giữ thông tin đang có."


def test_fix_the_error_workbook_and_reimport_updates_only_those_rows(tmp_path, messy, province_officer):
    batch = import_file(actor=province_officer, path=messy, kind="persons")
    out = tmp_path / "loi.xlsx"
    assert import_error_workbook(batch=batch, path=str(out)) == 5

    workbook = load_workbook(out)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header == [
        "STT",
        "Ho va ten",
        "Ngay sinh",
        "Gioi tinh",
        "So CCCD",
        "Thôn/Tổ",
        "Xa/Phuong",
        "Huyen",
        "Tinh",
        "So dien thoai",
        "Mã dòng nhập",
        "Lỗi",
    ]
    lines = {row[10]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(lines) == [f"{batch.pk}/{n}" for n in (7, 9, 10, 12, 14)]
    assert lines[f"{batch.pk}/7"][11] == MESSAGES[7][0]
    assert lines[f"{batch.pk}/12"][4] == "001055000003"  # IDs stay text
    # The officer fixes two rows (the date; the ward, chosen by the village) and leaves the rest.
    for row in sheet.iter_rows(min_row=2):
        ref = row[10].value
        if ref == f"{batch.pk}/7":
            row[2].value = "28/02/1950"
        if ref == f"{batch.pk}/9":
            row[6].value, row[7].value = "Phường Giảng Võ", ""
    workbook.save(out)

    fix = import_file(actor=province_officer, path=str(out), kind="persons")
    assert (fix.corrects_id, fix.updated_rows) == (batch.pk, 5)
    assert statuses(batch) == {
        5: "valid",
        6: "valid",
        7: "valid",
        9: "valid",
        10: "duplicate",
        11: "valid",
        12: "error",
        14: "error",
    }
    assert batch.rows.get(row_number=9).values["commune"] == "00025"
    assert batch.rows.get(row_number=7).note == "Sửa từ tệp «loi.xlsx»"
    assert import_report(fix).lines[0] == f"Tệp sửa lỗi «loi.xlsx»: cập nhật 5 dòng của lần nhập #{batch.pk}."

    summary = import_commit(actor=province_officer, batch=fix)
    assert (summary.imported, summary.merged, summary.rejected) == (5, 1, 2)
    assert Person.objects.filter(full_name="Phạm Thị Dung", commune_id="00025").exists()
    # The same correction file again: nothing changes.
    again = import_file(actor=province_officer, path=str(out), kind="persons")
    assert (again.pk, again.already) == (fix.pk, True)
    assert Person.objects.count() == 5


def test_rows_outside_the_officers_commune_are_errors(tmp_path, areas_loaded):
    from ansinh.areas.models import Commune
    from ansinh.registry.tests.factories import make_user

    officer = make_user(commune=Commune.objects.get(code="00070"), username="canbo_hoankiem")
    path = save_rows(
        tmp_path / "ds.xlsx",
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Xã/Phường", "Huyện", "Tỉnh"],
            ["Nguyễn Văn An", 1950, "Nam", "Phúc Xá", "Ba Đình", "Hà Nội"],
            ["Trần Văn Bình", 1951, "Nam", "", "", ""],  # no address: the officer's own commune
        ],
    )
    batch = import_file(actor=officer, path=str(path), kind="persons")
    assert statuses(batch) == {2: "error", 3: "valid"}
    assert batch.rows.get(row_number=2).errors[0]["message"] == (
        "Cột «Xã/Phường», giá trị «Phúc Xá»: Phường Hồng Hà (mã 00097) ngoài địa bàn quản lý của tài khoản: chỉ "
        "nhập người thuộc địa bàn được giao, hoặc chuyển dòng này cho cán bộ của xã đó."
    )
    assert batch.rows.get(row_number=3).values["commune"] == "00070"


def test_a_row_that_looks_like_a_registry_person_is_flagged_with_the_reasons(
    tmp_path, province_officer, hong_ha
):
    from ansinh.registry.tests.factories import make_person

    known = make_person(
        commune=hong_ha,
        full_name="Nguyễn Thị Ánh",
        birth_year=1950,
        birth_month=3,
        birth_day=12,
        sex="F",
        personal_id=None,
    )
    path = save_rows(
        tmp_path / "ds.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Xã/Phường", "Huyện", "Tỉnh"],
            ["Nguyen Anh", "12/03/1950", "Nữ", "Phúc Xá", "Ba Đình", "Hà Nội"],
            ["Trần Văn Bảo", "1960", "Nam", "Phúc Xá", "Ba Đình", "Hà Nội"],
        ],
    )
    batch = import_file(actor=province_officer, path=str(path), kind="persons")
    assert statuses(batch) == {2: "duplicate", 3: "valid"}
    row = batch.rows.get(row_number=2)
    assert row.values["lookalike_person_id"] == known.pk
    message = row.errors[0]["message"]
    assert message.startswith(
        f"Cột «Họ và tên», giá trị «Nguyen Anh»: có thể trùng với người đã có trong sổ «Nguyễn Thị Ánh» (mã #{known.pk}, điểm "
    )
    assert message.endswith(
        "Nếu là một người thì xoá dòng này; nếu là hai người thì ghi số định danh để phân biệt."
    )
    summary = import_commit(actor=province_officer, batch=batch)
    assert (summary.imported, summary.rejected) == (1, 1)
    assert Person.objects.count() == 2
