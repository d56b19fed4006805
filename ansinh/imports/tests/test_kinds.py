"""Households, poverty, disabilities and current beneficiaries: what a commit writes, and that
committing again (or another file with the same rows) adds nothing."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision, Entitlement
from ansinh.imports.services import import_commit, import_file
from ansinh.imports.tests.workbooks import BENEFICIARY_HEADER, save_rows
from ansinh.registry.models import (
    DisabilityDetermination,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    Person,
)

PLACE = ["Phúc Xá", "Ba Đình", "Hà Nội"]


def run(tmp_path, name, rows, kind, actor):
    path = save_rows(tmp_path / name, rows)
    batch = import_file(actor=actor, path=str(path), kind=kind)
    return batch, import_commit(actor=actor, batch=batch)


def test_beneficiaries_open_signed_decisions_and_entitlements(tmp_path, province_officer):
    rows = [
        list(BENEFICIARY_HEADER),
        [
            "Nguyễn Văn An",
            "12/03/1950",
            "Nam",
            "001050000001",
            *PLACE,
            "Đối tượng 6",
            "1,5",
            "750.000",
            "01/2025",
            "12/QĐ-UBND",
        ],
        ["Trần Thị Bình", "1948", "Nữ", "", *PLACE, "5a", 2, 1000000, "2025-03", ""],
        ["Lê Văn Cường", "1949", "Nam", "", *PLACE, "", "", "", "13/2025", ""],
    ]
    batch, summary = run(tmp_path, "dt.xlsx", rows, "beneficiaries", province_officer)
    assert dict(batch.rows.values_list("row_number", "status")) == {
        2: "imported",
        3: "imported",
        4: "rejected",
    }
    assert [e["message"] for e in batch.rows.get(row_number=4).errors] == [
        "Cột «Đối tượng» để trống: chưa ghi nhóm đối tượng hưởng trợ cấp xã hội hằng tháng: ghi mã nhóm, ví dụ “5a”.",
        "Cột «Hệ số» để trống: chưa có hệ số: ghi hệ số trợ cấp trong quyết định, ví dụ 1,5.",
        "Cột «Tháng bắt đầu hưởng», giá trị «13/2025»: tháng 13 không tồn tại: tháng chỉ từ 1 đến 12.",
    ]
    entitlement = Entitlement.objects.get(person__personal_id="001050000001")
    assert (
        entitlement.benefit,
        entitlement.category,
        entitlement.coefficient,
        entitlement.start_month,
        entitlement.end_month,
    ) == (
        "monthly_allowance",
        "6",
        Decimal("1.50"),
        dt.date(2025, 1, 1),
        None,
    )
    decision = entitlement.opened_by
    assert (
        decision.kind,
        decision.status,
        decision.monthly_amount,
        decision.prepared_by_id,
        decision.commune_id,
    ) == (
        "grant",
        "signed",
        750000,
        province_officer.pk,
        "00097",
    )
    assert decision.signed_on_paper and decision.signed_by is None
    # The list's number, kept on the import's record (one paper decision may cover many people).
    assert (decision.number, decision.paper_number) == ("", "12/QĐ-UBND")
    assert (
        decision.reason
        == f"Nhập danh sách đối tượng đang hưởng (lần nhập #{batch.pk}, dòng 2), quyết định số 12/QĐ-UBND"
    )
    assert (summary.entitlements_written, Decision.objects.count()) == (2, 2)
    assert AuditEvent.objects.filter(action="decision.import").count() == 2

    # The same people in a new list: merged, no second entitlement.
    rows[0].append("Ghi chú")
    batch2, summary2 = run(tmp_path, "dt2.xlsx", rows, "beneficiaries", province_officer)
    assert (summary2.imported, summary2.merged, summary2.entitlements_written) == (0, 2, 0)
    assert batch2.rows.get(row_number=2).note == "Đang hưởng chế độ này trong sổ: giữ nguyên, không tạo thêm."
    assert Entitlement.objects.count() == 2


def test_households_with_head_and_relationships(tmp_path, province_officer):
    rows = [
        [
            "Mã hộ",
            "Họ và tên",
            "Năm sinh",
            "Giới tính",
            "Quan hệ với chủ hộ",
            "Thôn/Tổ",
            "Xã/Phường",
            "Huyện",
            "Tỉnh",
        ],
        ["H01", "Nguyễn Văn An", 1950, "Nam", "Chủ hộ", "Tổ 2", *PLACE],
        ["H01", "Trần Thị Bình", 1952, "Nữ", "Vợ", "Tổ 2", *PLACE],
        ["H01", "Nguyễn Văn Cả", 1980, "Nam", "Con trai", "Tổ 2", *PLACE],
        ["H02", "Lê Thị Dung", 1960, "Nữ", "", "", *PLACE],
    ]
    batch, summary = run(tmp_path, "ho.xlsx", rows, "households", province_officer)
    assert dict(batch.rows.values_list("row_number", "status")) == {
        2: "imported",
        3: "imported",
        4: "imported",
        5: "rejected",
    }
    assert batch.rows.get(row_number=5).errors[0]["message"] == (
        "Cột «Quan hệ với chủ hộ» để trống: chưa ghi quan hệ với chủ hộ: ghi “Chủ hộ”, “Vợ”, “Con”, … "
    )
    household = Household.objects.get(code="H01")
    assert (household.commune_id, household.village.name, household.head.full_name) == (
        "00097",
        "Tổ 2",
        "Nguyễn Văn An",
    )
    assert sorted(HouseholdMember.objects.values_list("person__full_name", "relationship")) == [
        ("Nguyễn Văn An", "head"),
        ("Nguyễn Văn Cả", "child"),
        ("Trần Thị Bình", "spouse"),
    ]
    assert (summary.households_created, summary.members_added) == (1, 3)
    assert AuditEvent.objects.filter(action="household.member_add").count() == 3
    assert AuditEvent.objects.filter(action="household.import").count() == 1


def test_poverty_status_per_year(tmp_path, province_officer):
    rows = [
        ["Họ tên chủ hộ", "Năm sinh", "Giới tính", "Xã/Phường", "Huyện", "Tỉnh", "Hộ nghèo", "Năm"],
        ["Nguyễn Văn An", 1950, "Nam", *PLACE, "Hộ nghèo", 2025],
        ["Nguyễn Văn An", 1950, "Nam", *PLACE, "cận nghèo", 2026],
        ["Trần Văn Bảo", 1955, "Nam", *PLACE, "HN", 2026],
        ["Lê Văn Cường", 1956, "Nam", *PLACE, "giàu", 2026],
    ]
    rows[0][0] = "Họ và tên"
    batch, summary = run(tmp_path, "ngheo.xlsx", rows, "poverty", province_officer)
    assert dict(batch.rows.values_list("row_number", "status")) == {
        2: "imported",
        3: "merged",
        4: "imported",
        5: "rejected",
    }
    assert batch.rows.get(row_number=5).errors[0]["message"] == (
        "Cột «Hộ nghèo», giá trị «giàu»: không nhận ra tình trạng hộ: ghi “Hộ nghèo”, “Hộ cận nghèo” hoặc “Không”."
    )
    an = Person.objects.get(full_name="Nguyễn Văn An")
    household = Household.objects.get(head=an)
    assert sorted(
        HouseholdPoverty.objects.filter(household=household).values_list("year", "status", "standard")
    ) == [
        (2025, "poor", "Nghị định 07/2021/NĐ-CP"),
        (2026, "near_poor", "Nghị định 07/2021/NĐ-CP"),
    ]
    assert (summary.households_created, summary.poverty_written) == (2, 3)
    assert AuditEvent.objects.filter(action="household.poverty_set").count() == 3


def test_disabilities(tmp_path, province_officer):
    rows = [
        [
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Xã/Phường",
            "Huyện",
            "Tỉnh",
            "Dạng tật",
            "Mức độ khuyết tật",
            "Ngày xác định",
        ],
        ["Nguyễn Văn An", "1950", "Nam", *PLACE, "Vận động", "Đặc biệt nặng", "05/05/2020"],
        ["Trần Văn Bảo", "1955", "Nam", *PLACE, "Nhìn", "nặng", "1954"],
    ]
    batch, summary = run(tmp_path, "kt.xlsx", rows, "disabilities", province_officer)
    assert dict(batch.rows.values_list("row_number", "status")) == {2: "imported", 3: "rejected"}
    assert batch.rows.get(row_number=3).errors[0]["message"] == (
        "Cột «Ngày xác định», giá trị «1954»: cần ngày xác định đầy đủ dạng dd/mm/yyyy, nhưng chỉ có “1954”."
    )
    row = DisabilityDetermination.objects.get()
    assert (row.person.full_name, row.disability_type, row.level, row.determined_on) == (
        "Nguyễn Văn An",
        "mobility",
        "especially_severe",
        dt.date(2020, 5, 5),
    )
    assert AuditEvent.objects.filter(action="person.disability_record").count() == 1


def test_the_command_validates_commits_and_writes_the_error_file(tmp_path, province_officer, capsys):
    path = save_rows(
        tmp_path / "ds.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Xã/Phường", "Huyện", "Tỉnh"],
            ["Nguyễn Văn An", "12/03/1950", "Nam", *PLACE],
            [None] * 6,
            ["Trần Văn Bảo", "31/02/1950", "Nam", *PLACE],
        ],
    )
    out = tmp_path / "loi.xlsx"
    call_command(
        "import",
        str(path),
        kind="persons",
        actor=province_officer.username,
        commit=True,
        error_file=str(out),
        no_progress=True,
    )
    printed = capsys.readouterr().out.splitlines()
    assert (
        printed[0]
        == "Đã ghi vào sổ: 1 dòng nhập mới, 0 dòng gộp vào người đã có, 1 dòng loại bỏ; tạo 1 người, 1 dòng nhật ký."
    )
    assert printed[2] == "Số dòng dữ liệu: 3 = 1 đã nhập + 1 loại bỏ + 1 dòng trống (bỏ qua)."
    assert (
        printed[4]
        == "  Dòng 4: Cột «Ngày sinh», giá trị «31/02/1950»: ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày."
    )
    assert printed[-1] == f"Đã ghi 1 dòng cần sửa ra tệp «{out}» (cột «Lỗi» ghi cách sửa)."
    assert Person.objects.count() == 1
    # Again: the file is known, nothing changes.
    call_command(
        "import", str(path), kind="persons", actor=province_officer.username, commit=True, no_progress=True
    )
    assert capsys.readouterr().out.startswith("Tệp này đã được nhập (lần nhập #")
    assert (Person.objects.count(), AuditEvent.objects.count()) == (1, 1)


def test_a_list_giving_both_the_allowance_and_the_social_pension_notes_the_higher_rule(
    tmp_path, province_officer
):
    # Law 41/2024 Art. 22(3): only the higher is paid. The paper decisions are recorded as they are;
    # the row says the monthly review will propose to stop the lower.
    header = [*BENEFICIARY_HEADER, "Chế độ"]
    person = ["Phạm Thị Dung", "1945", "Nữ", "001145000009", *PLACE]
    rows = [
        header,
        [*person, "6", "2,5", "", "01/2025", "", "Trợ cấp xã hội hằng tháng"],
        [*person, "", "1", "", "01/2025", "", "Trợ cấp hưu trí xã hội"],
    ]
    batch, summary = run(tmp_path, "both.xlsx", rows, "beneficiaries", province_officer)
    assert summary.entitlements_written == 2, list(batch.rows.values_list("row_number", "status", "errors"))
    assert batch.rows.get(row_number=3).note == (
        "Cũng đang hưởng trợ cấp xã hội hằng tháng: chỉ hưởng chế độ có mức cao hơn (khoản 3 Điều 22 "
        "Luật BHXH 2024); rà soát hằng tháng sẽ đề xuất thôi hưởng chế độ thấp hơn."
    )
    assert sorted(Entitlement.objects.values_list("person__personal_id", "benefit")) == [
        ("001145000009", "monthly_allowance"),
        ("001145000009", "social_pension"),
    ]
