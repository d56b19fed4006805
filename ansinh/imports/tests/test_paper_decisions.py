"""Current beneficiaries come with decisions signed on paper before the system: the import keeps
the paper decision's number, date and signer as they are written (PaperDecision), and sets each
entitlement's arrears_from so the first payroll pays what is owed — never the years since a start
long ago that were paid outside the system."""

import datetime as dt

from ansinh.decisions.models import Entitlement
from ansinh.imports.commit import _arrears_from
from ansinh.imports.models import PaperDecision
from ansinh.imports.services import import_commit, import_file
from ansinh.imports.tests.workbooks import BENEFICIARY_HEADER, save_rows
from ansinh.payments.models import PaymentLine
from ansinh.payments.payroll import payroll_run

PLACE = ["Phúc Xá", "Ba Đình", "Hà Nội"]
HEADER = [*BENEFICIARY_HEADER, "Ngày quyết định", "Người ký", "Đã chi trả đến tháng"]
NOV = dt.date(2026, 11, 1)


def test_arrears_from_rule():
    start = dt.date(2025, 1, 1)
    assert _arrears_from(start, None) is None
    assert _arrears_from(start, dt.date(2026, 8, 1)) == dt.date(2026, 9, 1)
    assert _arrears_from(start, dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert _arrears_from(dt.date(2026, 10, 1), dt.date(2026, 9, 1)) == dt.date(2026, 10, 1)


def test_paper_decisions_are_recorded_and_the_first_payroll_pays_only_what_is_owed(
    tmp_path, province_officer
):
    rows = [
        HEADER,
        [
            "Nguyễn Văn An",
            "12/03/1950",
            "Nam",
            "001050000001",
            *PLACE,
            "6",
            "1,5",
            "750.000",
            "01/2025",
            "12/QĐ-UBND",
            "15/12/2024",
            "LÊ văn chủ",
            "08/2026",
        ],
        ["Trần Thị Bình", "1948", "Nữ", "", *PLACE, "5a", 2, "", "01/2025", "12/QĐ-UBND", "", "", ""],
        ["Lê Văn Cường", "1949", "Nam", "", *PLACE, "6", 1, "", "03/2025", "", "31/13/2024", "", "12/2024"],
    ]
    path = save_rows(tmp_path / "dang_huong.xlsx", rows)
    batch = import_file(actor=province_officer, path=str(path), kind="beneficiaries")
    assert [e["message"] for e in batch.rows.get(row_number=4).errors] == [
        "Cột «Ngày quyết định», giá trị «31/13/2024»: tháng 13 không hợp lệ: tháng phải từ 1 đến 12.",
        "Cột «Đã chi trả đến tháng», giá trị «12/2024»: tháng đã chi trả (12/2024) ở trước tháng bắt đầu hưởng "
        "(03/2025): ghi tháng cuối cùng đã chi trả, hoặc để trống nếu chưa chi trả tháng nào.",
    ]
    summary = import_commit(actor=province_officer, batch=batch)
    assert (summary.imported, summary.rejected, summary.entitlements_written) == (2, 1, 2)

    an = Entitlement.objects.get(person__personal_id="001050000001")
    binh = Entitlement.objects.get(person__full_name="Trần Thị Bình")
    paper_an, paper_binh = an.opened_by.paper_record, binh.opened_by.paper_record
    assert (
        paper_an.number,
        paper_an.signed_on,
        paper_an.signer_name,
        paper_an.paid_through,
        paper_an.row_number,
    ) == ("12/QĐ-UBND", dt.date(2024, 12, 15), "Lê Văn Chủ", dt.date(2026, 8, 1), 2)
    assert (paper_binh.number, paper_binh.signed_on, paper_binh.signer_name, paper_binh.paid_through) == (
        "12/QĐ-UBND",
        None,
        "",
        None,
    )
    assert PaperDecision.objects.filter(batch=batch).count() == 2
    # The decision itself says it was signed on paper: the signer's name, the paper's date; the
    # number stays on the paper record (one group decision covers many people).
    decision = an.opened_by
    assert (decision.status, decision.signer_name, decision.signed_on, decision.number) == (
        "signed",
        "Lê Văn Chủ",
        dt.date(2024, 12, 15),
        "",
    )
    assert binh.opened_by.signed_on == dt.date(2025, 1, 1)  # no date in the list: the start month
    assert (an.arrears_from, binh.arrears_from) == (dt.date(2026, 9, 1), None)

    # The commune's first payroll in the system (November 2026): An is owed September and October
    # as arrears plus November; Bình, paid outside the system up to now, November only.
    payroll_run(month=NOV, area_code="00097")
    months = {
        name: sorted(
            (m, arrears)
            for m, arrears in PaymentLine.objects.filter(person__full_name=name).values_list(
                "month", "is_arrears"
            )
        )
        for name in ("Nguyễn Văn An", "Trần Thị Bình")
    }
    assert months == {
        "Nguyễn Văn An": [(dt.date(2026, 9, 1), True), (dt.date(2026, 10, 1), True), (NOV, False)],
        "Trần Thị Bình": [(NOV, False)],
    }


def test_a_commune_officer_validates_beneficiaries_but_the_chairman_commits_them(
    tmp_path, commune_officer, hong_ha
):
    from ansinh.accounts.models import Role
    from ansinh.core.errors import NotAllowed
    from ansinh.decisions.models import Decision
    from ansinh.registry.tests.factories import make_user

    rows = [HEADER, ["Nguyễn Văn An", "1950", "Nam", "", *PLACE, "6", "1,5", "", "01/2025", "", "", "", ""]]
    batch = import_file(
        actor=commune_officer, path=str(save_rows(tmp_path / "ds.xlsx", rows)), kind="beneficiaries"
    )

    # The officer alone would create signed, paid decisions: refused, nothing written.
    try:
        import_commit(actor=commune_officer, batch=batch)
    except NotAllowed as error:
        assert "Chủ tịch UBND xã" in error.message
    else:
        raise AssertionError("a commune officer committed a list of beneficiaries")
    assert Decision.objects.count() == 0 and Entitlement.objects.count() == 0

    chairman = make_user(commune=hong_ha, role=Role.COMMUNE_CHAIRMAN, username="chutich_hongha")
    summary = import_commit(actor=chairman, batch=batch)
    assert (summary.imported, summary.entitlements_written) == (1, 1)
    assert Decision.objects.get().signed_on_paper
