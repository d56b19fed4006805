"""The payment cycle: check, approval (maker-checker), frozen payroll, bank file, provider list,
signature list, reconciliation with its exceptions and follow-ups, funds request, indicators."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_png, pdf_text
from ansinh.payments import selectors
from ansinh.payments.bankfile import bankfile_export, checksum_verify
from ansinh.payments.funds import funds_request_submit, settlement
from ansinh.payments.lifecycle import payroll_approve, payroll_check, payroll_close, payroll_return_to_draft
from ansinh.payments.models import (
    Overpayment,
    PayeeOutcome,
    PaymentFile,
    PaymentLine,
    PayrollPayee,
    PayrollRun,
    PayrollStatus,
    ReconciliationException,
    SuspensionProposal,
)
from ansinh.payments.payroll import payroll_run
from ansinh.payments.provider import provider_list_export
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.signature import signature_list_pdf
from ansinh.payments.tests.cycle import (
    NOV,
    OCT,
    SEP,
    approved_payroll,
    cycle_state,
    payee,
    result_row,
    return_file,
    sent_payroll,
)
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_commune, make_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office()


def checked(office, month=NOV) -> PayrollRun:
    payroll_run(month=month, area_code=office.commune.code, actor=office.officer)
    run = PayrollRun.objects.get(commune=office.commune, month=month)
    return payroll_check(actor=office.officer, run=run)


# --- lifecycle -------------------------------------------------------------------------------
def test_the_preparer_cannot_approve_and_nothing_changes(office):
    office.grant(office.person(), signed_on=NOV)
    run = checked(office)
    before = cycle_state()
    with pytest.raises(NotAllowed):  # the officer who prepared and checked it is no chairman
        payroll_approve(actor=office.officer, run=run)
    # A chairman who prepared the payroll himself (e.g. acting for the officer) may not approve it.
    PayrollRun.objects.filter(pk=run.pk).update(prepared_by=office.chairman)
    with pytest.raises(NotAllowed) as refused:
        payroll_approve(actor=office.chairman, run=run)
    assert refused.value.fields == {"approved_by": "Người phê duyệt phải khác người lập và người kiểm tra."}
    with pytest.raises(NotAllowed):  # the chairman of another commune
        payroll_approve(actor=Office("00002").chairman, run=run)
    assert cycle_state() == before
    run.refresh_from_db()
    assert (run.status, run.approved_by_id, run.approved_at) == (PayrollStatus.CHECKED, None, None)


def test_each_step_is_recorded_with_who_and_when(office):
    office.grant(office.person(), signed_on=NOV)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    run = PayrollRun.objects.get(month=NOV)
    with pytest.raises(Conflict):  # a draft is checked before it is approved
        payroll_approve(actor=office.chairman, run=run)
    run = payroll_check(actor=office.officer, run=run)
    assert (run.status, run.checked_by) == (PayrollStatus.CHECKED, office.officer)
    run = payroll_return_to_draft(actor=office.chairman, run=run, reason="Thiếu một người")
    assert (run.status, PayrollPayee.objects.count()) == (PayrollStatus.DRAFT, 0)
    run = payroll_check(actor=office.officer, run=run)
    run = payroll_approve(actor=office.chairman, run=run)
    assert (run.status, run.approved_by) == (PayrollStatus.APPROVED, office.chairman)
    with pytest.raises(Conflict):
        payroll_close(actor=office.officer, run=run)
    actions = list(
        AuditEvent.objects.filter(entity_type="payments.payrollrun")
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions[-4:] == [
        ("payroll.check", office.officer.pk),
        ("payroll.return_to_draft", office.chairman.pk),
        ("payroll.check", office.officer.pk),
        ("payroll.approve", office.chairman.pk),
    ]


def test_an_approved_payroll_is_frozen_against_registry_edits(office):
    person = office.person(full_name="Trần Văn Bình", bank_account="0123456789", bank_name="Agribank")
    office.grant(person, signed_on=SEP)
    run = approved_payroll(office, NOV)
    lines_before = list(
        PaymentLine.objects.filter(run=run).order_by("month").values_list("month", "amount", "status")
    )
    _, bank_before = bankfile_export(actor=office.officer, run=run)

    # Registry edits after approval: new name and account, and a stop decision from November.
    Person.objects.filter(pk=person.pk).update(
        full_name="Trần Văn Bính", bank_account="999", bank_name="BIDV"
    )
    office.decide(
        person=person, kind="stop", signed_on=dt.date(2026, 11, 20), event_date=dt.date(2026, 10, 10)
    )
    payroll_run(month=NOV, area_code="00001", actor=office.officer)  # rebuilding skips frozen payrolls

    run.refresh_from_db()
    assert lines_before == [(SEP, 810_000, "due"), (OCT, 810_000, "due"), (NOV, 810_000, "due")]
    assert list(
        PaymentLine.objects.filter(run=run).order_by("month").values_list("month", "amount", "status")
    ) == (lines_before)
    assert (run.status, run.line_count, run.total_amount) == (PayrollStatus.SENT, 3, 2_430_000)
    frozen = payee(run, person)
    assert (frozen.full_name, frozen.account_number, frozen.bank_name) == (
        "Trần Văn Bình",
        "0123456789",
        "Agribank",
    )
    _, bank_after = bankfile_export(actor=office.officer, run=run)
    assert bank_after == bank_before


# --- payment files ---------------------------------------------------------------------------
def test_the_bank_file_layout_checksum_and_sequence(office):
    ssa = office.person(full_name="Lê Thị Cúc", social_security_account="ASXH0001")
    bank = office.person(full_name="Phạm Văn Dũng", bank_account="0011002233", bank_name="Vietcombank")
    office.person(full_name="Hoàng Văn Em")  # no account: paid in cash, not in the bank file
    for person in Person.objects.all():
        office.grant(person, signed_on=NOV)
    run = approved_payroll(office, NOV)
    issued, content = bankfile_export(actor=office.officer, run=run)

    lines = content.decode().splitlines()
    assert lines[0].startswith("H,ANSINH-CK,1,00001,202611,1,")
    assert sorted(lines[1:3]) == [
        f"D,1,00001-202611-{ssa.pk},{ssa.personal_id},Lê Thị Cúc,SSA,ASXH0001,,810000,"
        f"TRO CAP XA HOI T11/2026 00001-202611-{ssa.pk}",
        f"D,2,00001-202611-{bank.pk},{bank.personal_id},Phạm Văn Dũng,BANK,0011002233,Vietcombank,810000,"
        f"TRO CAP XA HOI T11/2026 00001-202611-{bank.pk}",
    ]
    assert lines[3] == f"T,2,1620000,{issued.checksum}"
    assert checksum_verify(content)
    assert not checksum_verify(content.replace(b"810000", b"910000", 1))
    assert (issued.sequence, issued.row_count, issued.total_amount) == (1, 2, 1_620_000)
    assert issued.filename == "chuyen-khoan_00001_202611_000001.csv"
    run.refresh_from_db()
    assert run.status == PayrollStatus.SENT

    again, content_again = bankfile_export(actor=office.officer, run=run)  # same file, same number
    assert (again.pk, content_again) == (issued.pk, content)
    cash, workbook = provider_list_export(actor=office.officer, run=run)
    assert (cash.sequence, cash.row_count, cash.total_amount) == (2, 1, 810_000)
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet["A2"].value == "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI BẰNG TIỀN MẶT THÁNG 11/2026"
    assert [c.value for c in sheet[5]][:7] == [
        1,
        payee(run, Person.objects.get(full_name="Hoàng Văn Em")).reference,
        "Hoàng Văn Em",
        Person.objects.get(full_name="Hoàng Văn Em").personal_id,
        None,
        None,
        810_000,
    ]
    assert [c.value for c in sheet[6]][:7] == [None, "Tổng cộng", "1 người", None, None, None, 810_000]
    assert sheet["A7"].value == f"Mã kiểm tra (SHA-256): {cash.checksum}"


def test_no_bank_file_for_a_payroll_not_yet_approved(office):
    office.grant(office.person(bank_account="1"), signed_on=NOV)
    run = checked(office)
    before = cycle_state()
    with pytest.raises(Conflict) as refused:
        bankfile_export(actor=office.officer, run=run)
    assert "đang ở trạng thái “Đã kiểm tra”" in refused.value.message
    with pytest.raises(Conflict):
        provider_list_export(actor=office.officer, run=run)
    assert cycle_state() == before
    assert PaymentFile.objects.count() == 0


def test_the_signature_list_is_grouped_by_village(office):
    east, west = make_village(office.commune, "Thôn Đông"), make_village(office.commune, "Thôn Tây")
    office.grant(office.person(full_name="Nguyễn Văn An", village=west), signed_on=NOV)
    office.grant(office.person(full_name="Đỗ Thị Bảo", village=east), signed_on=OCT)
    office.grant(office.person(full_name="Vũ Văn Chiến", village=east, bank_account="9"), signed_on=NOV)
    run = approved_payroll(office, NOV)
    pdf = signature_list_pdf(run)
    text = " ".join(pdf_text(pdf).split())
    assert "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 11/2026" in text.upper()
    assert text.index("Thôn Đông (1 người)") < text.index("Đỗ Thị Bảo") < text.index("Thôn Tây (1 người)")
    assert text.index("Thôn Tây (1 người)") < text.index("Nguyễn Văn An")
    assert "Vũ Văn Chiến" not in text  # paid into an account: no signature on receipt
    assert "Cộng Thôn Đông 1.620.000 đ 810.000 đ" in text
    assert "Tổng cộng (2 người) 2.430.000 đ 810.000 đ" in text
    assert pdf_png(pdf).startswith(b"\x89PNG")


# --- reconciliation --------------------------------------------------------------------------
def test_a_return_file_with_unknown_lines_duplicates_and_wrong_amounts(office):
    people = [office.person(full_name=f"Người Số {i}") for i in range(5)]
    for person in people:
        office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    make_commune("00002")  # another commune's payroll; 99999 names no commune at all
    paid, duplicated, wrong, failed, left_out = people
    content = return_file(
        run,
        [
            result_row(run, paid),
            result_row(run, duplicated),
            result_row(run, duplicated),
            result_row(run, wrong, amount=81_000),
            result_row(run, failed, "THAT_BAI", reason="Tài khoản đã đóng"),
            ("00001-202611-999999999", "", 810_000, "DA_CHI", "", "10/11/2026"),
            (f"00001-202610-{paid.pk}", "", 810_000, "DA_CHI", "", "10/11/2026"),
            (f"00002-202611-{paid.pk}", "", 810_000, "DA_CHI", "", "10/11/2026"),
            ("00001-202611-abc", "", 810_000, "DA_CHI", "", ""),
            (f"99999-202611-{paid.pk}", "", 810_000, "DA_CHI", "", "10/11/2026"),
        ],
    )
    result = reconcile_import(actor=office.officer, run=run, content=content, filename="ket-qua.csv")

    exceptions = list(
        ReconciliationException.objects.order_by("kind", "line_no").values_list(
            "kind", "line_no", "amount", "expected_amount"
        )
    )
    assert exceptions == [
        ("duplicate", 3, 810_000, 810_000),
        ("duplicate", 4, 810_000, 810_000),
        ("missing", None, None, 810_000),
        ("missing", None, None, 810_000),
        ("missing", None, None, 810_000),
        ("other_payroll", 8, 810_000, None),
        ("other_payroll", 9, 810_000, None),
        ("unknown", 7, 810_000, None),
        ("unknown", 10, 810_000, None),
        ("unknown", 11, 810_000, None),
        ("wrong_amount", 5, 81_000, 810_000),
    ]
    assert sorted(
        ReconciliationException.objects.filter(kind="missing").values_list("reference", flat=True)
    ) == sorted(payee(run, p).reference for p in (duplicated, wrong, left_out))
    outcomes = dict(PayeeOutcome.objects.values_list("payee__person_id", "result"))
    assert [outcomes.get(p.pk, "") for p in people] == ["paid", "", "", "failed", ""]
    # The failed line is owed again at once; the paid one is booked when the payroll is closed.
    statuses = dict(PaymentLine.objects.values_list("person_id", "status"))
    assert [statuses[p.pk] for p in people] == ["due", "due", "due", "failed", "due"]
    rf = result.return_file
    assert (
        rf.row_count,
        rf.applied_count,
        rf.paid_count,
        rf.paid_amount,
        rf.failed_count,
        rf.exception_count,
    ) == (
        10,
        2,
        1,
        810_000,
        1,
        11,
    )
    assert payee(run, failed).outcome.reason == "Tài khoản đã đóng"
    assert payee(run, paid).outcome.paid_on == dt.date(2026, 11, 10)
    run.refresh_from_db()
    assert run.status == PayrollStatus.SENT  # three payees still without a result

    # The provider's corrected file completes it; a line already reconciled is an exception.
    second = return_file(
        run,
        [result_row(run, p) for p in (duplicated, wrong, left_out)] + [result_row(run, paid)],
    )
    result = reconcile_import(actor=office.officer, run=run, content=second, filename="ket-qua-2.csv")
    assert list(result.return_file.exceptions.values_list("kind", "line_no")) == [("already", 5)]
    run.refresh_from_db()
    assert (run.status, result.reconciled_runs) == (PayrollStatus.RECONCILED, [run.pk])
    assert settlement(run)["total"]["paid_amount"] == 4 * 810_000
    assert settlement(run)["total"]["to_return"] == 810_000
    with pytest.raises(Conflict):  # the same file twice
        reconcile_import(actor=office.officer, run=run, content=second)
    run = payroll_close(actor=office.chairman, run=run)
    assert run.status == PayrollStatus.CLOSED
    statuses = dict(PaymentLine.objects.values_list("person_id", "status"))
    assert [statuses[p.pk] for p in people] == ["paid", "paid", "paid", "failed", "paid"]


def test_a_failed_payment_is_carried_forward_as_arrears(office):
    person = office.person()
    office.grant(person, signed_on=OCT)
    run = sent_payroll(office, OCT)
    reconcile_import(
        actor=office.officer,
        run=run,
        content=return_file(run, [result_row(run, person, "THAT_BAI", reason="Sai số tài khoản")]),
    )
    assert Entitlement.objects.get(person=person).arrears_from == OCT
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    rows = list(
        PaymentLine.objects.filter(person=person)
        .order_by("run__month", "month")
        .values_list("run__month", "month", "amount", "is_arrears", "status")
    )
    assert rows == [
        (OCT, OCT, 810_000, False, "failed"),
        (NOV, OCT, 810_000, True, "due"),
        (NOV, NOV, 810_000, False, "due"),
    ]
    assert PayrollRun.objects.get(month=NOV).arrears_amount == 810_000


def test_three_months_uncollected_raise_a_suspension_proposal(office):
    person, other = office.person(), office.person(full_name="Người Nhận Đủ")
    office.grant(person, signed_on=SEP)
    office.grant(other, signed_on=SEP)
    for month in (SEP, OCT, NOV):
        run = sent_payroll(office, month)
        content = return_file(run, [result_row(run, person, "CHUA_NHAN"), result_row(run, other)])
        result = reconcile_import(actor=office.officer, run=run, content=content)
        assert result.suspension_proposals == (1 if month == NOV else 0)
    proposal = SuspensionProposal.objects.get()
    assert (proposal.person_id, proposal.first_month, proposal.last_month, proposal.status) == (
        person.pk,
        SEP,
        NOV,
        "proposed",
    )
    assert proposal.uncollected_amount == 3 * 810_000
    assert list(PaymentLine.objects.filter(person=person).values_list("status", flat=True).distinct()) == [
        "uncollected"
    ]


def test_the_banks_return_file_does_not_list_the_cash_payees_as_missing(office):
    cash = [office.person(full_name=f"Tiền Mặt {i}") for i in range(2)]
    bank = [
        office.person(full_name=f"Tài Khoản {i}", bank_account=f"10{i}", bank_name="BIDV") for i in range(2)
    ]
    for person in cash + bank:
        office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    reconcile_import(actor=office.officer, run=run, content=return_file(run, [result_row(run, bank[0])]))
    # The bank answers for its payees only: the other account payee is missing, the cash payees
    # wait for the post office's file.
    assert list(ReconciliationException.objects.values_list("kind", "reference")) == [
        ("missing", payee(run, bank[1]).reference)
    ]


def test_a_payment_after_death_becomes_an_overpayment(office):
    person = office.person(full_name="Ông Đã Mất")
    office.grant(person, signed_on=SEP)
    run = sent_payroll(office, OCT)  # September and October, approved before the death was known
    Person.objects.filter(pk=person.pk).update(date_of_death=dt.date(2026, 9, 15))
    result = reconcile_import(
        actor=office.officer, run=run, content=return_file(run, [result_row(run, person)])
    )
    assert result.overpayments == 1
    assert list(
        Overpayment.objects.values_list("person_id", "month", "amount", "date_of_death", "status")
    ) == [(person.pk, OCT, 810_000, dt.date(2026, 9, 15), "open")]


def test_a_line_break_in_older_data_does_not_split_a_bank_record(office):
    person = office.person(full_name="Nguyễn Văn Xuống Dòng", bank_account="123", bank_name="BIDV")
    office.grant(person, signed_on=NOV)
    # Written before names were kept on one line (the registry's services now do).
    Person.objects.filter(pk=person.pk).update(
        bank_name="BIDV\nCN Hà Nội", full_name="Nguyễn Văn\r\nXuống Dòng"
    )
    run = approved_payroll(office, NOV)
    issued, content = bankfile_export(actor=office.officer, run=run)
    assert checksum_verify(content) and issued.row_count == 1
    text = content.decode()
    assert "Nguyễn Văn  Xuống Dòng" in text and "BIDV CN Hà Nội" in text
    assert len(text.splitlines()) == 3  # header, one record, trailer


def test_a_death_recorded_after_the_return_file_is_caught_at_closing(office):
    late, other = office.person(full_name="Bà Còn Sống Khi Chi"), office.person()
    for person in (late, other):
        office.grant(person, signed_on=OCT)
    run = sent_payroll(office, NOV)
    # The provider reports both paid; the file finds no death. Then a death in September is
    # recorded (known late), before the payroll is closed.
    reconcile_import(
        actor=office.officer,
        run=run,
        content=return_file(run, [result_row(run, late), result_row(run, other)]),
    )
    assert not Overpayment.objects.exists()
    Person.objects.filter(pk=late.pk).update(date_of_death=dt.date(2026, 9, 15))

    payroll_close(actor=office.chairman, run=PayrollRun.objects.get(pk=run.pk))
    closing = AuditEvent.objects.get(action="payroll.close")
    # Two people × October and November booked; her two months raised.
    assert closing.note == "4 dòng ghi đã chi trả; 2 khoản chi sau khi chết phải thu hồi."
    # October (arrears) and November were paid for months after the month of death.
    assert sorted(Overpayment.objects.values_list("person_id", "month", "amount", "status")) == [
        (late.pk, OCT, 810_000, "open"),
        (late.pk, NOV, 810_000, "open"),
    ]


def test_a_later_file_of_the_payroll_catches_a_death_recorded_after_the_first(office):
    late, other = office.person(full_name="Bà Còn Sống Khi Chi"), office.person()
    for person in (late, other):
        office.grant(person, signed_on=OCT)
    run = sent_payroll(office, NOV)
    first = reconcile_import(actor=office.officer, run=run, content=return_file(run, [result_row(run, late)]))
    assert first.overpayments == 0
    Person.objects.filter(pk=late.pk).update(date_of_death=dt.date(2026, 10, 3))
    # The second file does not name her, but she is a paid payee of the same payroll: her
    # November is raised now, not only at closing; October (the month she died in) is owed.
    second = reconcile_import(
        actor=office.officer, run=run, content=return_file(run, [result_row(run, other)])
    )
    assert second.overpayments == 1
    assert list(Overpayment.objects.values_list("person_id", "month", "status")) == [(late.pk, NOV, "open")]
    # Closing finds nothing new: one overpayment per run, person, benefit and month.
    payroll_close(actor=office.chairman, run=PayrollRun.objects.get(pk=run.pk))
    assert AuditEvent.objects.get(action="payroll.close").note.endswith(
        "0 khoản chi sau khi chết phải thu hồi."
    )
    assert Overpayment.objects.count() == 1


def _file(*, month=None, area_code=None, amount=None, code="DA_CHI", paid_on=None, mangle=None):
    """A return file for the test's one payee, with one thing changed."""

    def build(run, person):
        row = list(result_row(run, person, code))
        row[2] = row[2] if amount is None else amount
        row[5] = row[5] if paid_on is None else paid_on
        content = return_file(
            run, [tuple(row)], month=month or run.month, area_code=area_code or run.commune_id
        )
        return mangle(content) if mangle else content

    return build


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (_file(month=OCT), "month", "Tệp kết quả là của tháng 10/2026, không phải tháng 11/2026"),
        (_file(area_code="00002"), "commune", "Tệp kết quả là của địa bàn mã 00002"),
        (_file(amount="810000.50"), "so_tien", "Dòng 2, cột so_tien: “810000.50”: số tiền là số nguyên đồng"),
        (_file(amount="-810000"), "so_tien", "Dòng 2, cột so_tien: “-810000”: số tiền không được âm"),
        (
            _file(code="OK"),
            "ket_qua",
            "Dòng 2, cột ket_qua: “OK”: kết quả phải là DA_CHI, THAT_BAI hoặc CHUA_NHAN",
        ),
        (
            _file(code="THAT_BAI"),
            "ly_do",
            "Dòng 2, cột ly_do: (trống): chi trả không thành công phải ghi lý do",
        ),
        (_file(paid_on="31/02/2026"), "ngay_chi", "Dòng 2, cột ngay_chi: “31/02/2026”"),
        (_file(paid_on="05/12/2099"), "ngay_chi", "Dòng 2, cột ngay_chi: “05/12/2099”: ngày chi chưa đến"),
        (_file(mangle=lambda c: c.rsplit(b"\n", 2)[0]), "file", "Dòng cuối phải là dòng tổng"),
        (_file(mangle=lambda c: c.replace(b"T,1,", b"T,2,")), "file", "Dòng cuối ghi 2 dòng"),
        (_file(mangle=lambda c: c.replace(b",DA_CHI,", b",DA_CHI,,,")), "file", "sai định dạng ở dòng 2"),
        (_file(mangle=lambda c: b"ma_chi_tra,so_tien\n1,2\n"), "file", "Dòng 1 phải là dòng đầu tệp"),
    ],
)
def test_a_bad_return_file_is_refused_and_nothing_changes(office, build, field, words):
    person = office.person()
    office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    content = build(run, person)
    before = cycle_state()
    with pytest.raises(InvalidInput) as refused:
        reconcile_import(actor=office.officer, run=run, content=content)
    assert field in refused.value.fields
    assert words in refused.value.message
    assert cycle_state() == before


def test_results_are_refused_before_the_payroll_is_sent(office):
    person = office.person()
    office.grant(person, signed_on=NOV)
    run = approved_payroll(office, NOV)
    with pytest.raises(Conflict):
        reconcile_import(actor=office.officer, run=run, content=b"H,ANSINH-KQ,1,00001,202611,1\nT,0,0\n")


# --- funds, indicators, lists ----------------------------------------------------------------
def test_the_funds_request_by_benefit_and_source_due_by_the_25th(office):
    office.grant(office.person(), signed_on=OCT)
    office.grant(
        office.person(birth_year=1945), signed_on=NOV, coefficient="1", category="", benefit="social_pension"
    )
    run = approved_payroll(office, NOV)
    request = funds_request_submit(actor=office.officer, run=run)
    assert request.due_on == dt.date(2026, 11, 25)
    assert [
        (r["benefit"], r["source"], r["person_count"], r["amount"], r["arrears_amount"]) for r in request.rows
    ] == [
        ("monthly_allowance", "Ngân sách địa phương", 1, 1_620_000, 810_000),
        ("social_pension", "Ngân sách trung ương", 1, 540_000, 0),
    ]
    assert request.total_amount == run.total_amount == 2_160_000


def test_cashless_share_by_commune(office):
    office.grant(office.person(social_security_account="A1"), signed_on=NOV)
    office.grant(office.person(bank_account="B1"), signed_on=NOV)
    office.grant(office.person(), signed_on=NOV)
    other = Office("00002")
    other.grant(other.person(), signed_on=NOV)
    checked(office)  # frozen: read from the payees
    payroll_run(month=NOV, area_code="00002", actor=other.officer)  # draft: read from the registry
    assert selectors.cashless_share("01", NOV) == [
        {
            "commune_code": "00001",
            "commune_name": office.commune.name,
            "beneficiaries": 3,
            "cashless": 2,
            "share": Decimal("66.7"),
        },
        {
            "commune_code": "00002",
            "commune_name": other.commune.name,
            "beneficiaries": 1,
            "cashless": 0,
            "share": 0,
        },
    ]
    assert str(selectors.cashless_share("00001", NOV)[0]["share"]) == "66.7"


def test_cashless_share_counts_a_closed_payroll_without_frozen_payees(office):
    # Older months (and the demo's history) were closed without payees kept: the payroll's
    # payment lines give its beneficiaries, each once, with the channel the check would give.
    office.grant(office.person(social_security_account="A1", bank_account="B0"), signed_on=NOV)
    office.grant(office.person(bank_account="B1"), signed_on=NOV)
    office.grant(office.person(), signed_on=NOV)
    two_lines = office.person()
    office.grant(two_lines, signed_on=OCT)  # October paid as arrears in November: two lines
    cancelled = office.person(bank_account="B2")
    office.grant(cancelled, signed_on=NOV)
    payroll_run(month=NOV, area_code=office.commune.code, actor=office.officer)
    PaymentLine.objects.filter(person=cancelled).update(status="cancelled")
    assert PaymentLine.objects.filter(person=two_lines).count() == 2
    PayrollRun.objects.filter(commune=office.commune, month=NOV).update(status=PayrollStatus.CLOSED)
    assert not PayrollPayee.objects.exists()
    [row] = selectors.cashless_share("01", NOV)
    assert (row["beneficiaries"], row["cashless"], row["share"]) == (4, 2, Decimal("50.0"))


def test_new_stopped_and_changed_beneficiaries_against_last_month(office):
    stays, stops, changes = (
        office.person(full_name="Ở Lại"),
        office.person(full_name="Thôi Hưởng"),
        office.person(full_name="Đổi Mức"),
    )
    for person in (stays, stops, changes):
        office.grant(person, signed_on=OCT)
    approved_payroll(office, OCT)
    office.decide(person=stops, kind="stop", signed_on=dt.date(2026, 11, 2), event_date=dt.date(2026, 10, 20))
    office.decide(
        person=changes, kind="adjust", signed_on=dt.date(2026, 11, 2), coefficient="2.5", category="1"
    )
    newcomer = office.person(full_name="Mới Vào")
    office.grant(newcomer, signed_on=NOV)
    run = checked(office, NOV)
    changes_found = [
        (c["change"], c["person_id"], c["before_amount"], c["after_amount"])
        for c in selectors.payroll_changes(run)
    ]
    assert sorted(changes_found) == sorted(
        [
            ("changed", changes.pk, 810_000, 1_350_000),
            ("new", newcomer.pk, None, 810_000),
            ("stopped", stops.pk, 810_000, None),
        ]
    )


def test_a_provinces_bank_files_in_one_go_are_the_communes_own(office):
    from ansinh.payments.bankfile import bankfiles_export_area
    from ansinh.registry.tests.factories import make_user

    other = Office("00002")
    office.grant(office.person(full_name="Lê, Văn A", bank_account="1", bank_name="BIDV"), signed_on=OCT)
    office.grant(office.person(social_security_account="S2"), signed_on=NOV)
    other.grant(other.person(bank_account="3"), signed_on=NOV)
    first, second = approved_payroll(office, NOV), approved_payroll(other, NOV)
    province_officer = make_user(role="provincial_officer", province=office.commune.province)
    issued = bankfiles_export_area(actor=province_officer, month=NOV, area_code="01")
    assert sorted((f.commune_code, f.sequence, f.row_count, f.total_amount) for f, _ in issued.values()) == [
        ("00001", 1, 2, 2_430_000),
        ("00002", 1, 1, 810_000),
    ]
    for run in (first, second):
        again, content = bankfile_export(actor=office.officer if run == first else other.officer, run=run)
        assert (again.pk, content) == (issued[run.pk][0].pk, issued[run.pk][1])
        assert checksum_verify(content)
    assert '"Lê, Văn A"' in issued[first.pk][1].decode()
    assert set(PayrollRun.objects.values_list("status", flat=True)) == {"sent"}
    assert bankfiles_export_area(actor=province_officer, month=NOV, area_code="01") == {}


def test_a_province_file_of_another_area_names_the_province_by_its_name(office):
    from ansinh.payments.reconcile import reconcile_import_area
    from ansinh.registry.tests.factories import make_province

    make_province("77", name="Nghệ Tĩnh Thử")
    content = b"H,ANSINH-KQ,1,01,202611,1\nD,00001-202611-1,,810000,DA_CHI,,10/11/2026\nT,1,810000\n"
    with pytest.raises(InvalidInput) as error:
        reconcile_import_area(actor=None, area_code="77", month=NOV, content=content)
    assert "không phải tỉnh Nghệ Tĩnh Thử (77)" in str(error.value)


def test_a_signature_list_over_several_pages_totals_once_with_the_date_above_the_signers(office):
    for i in range(45):
        office.grant(office.person(full_name=f"Người Nhận Số {i:02d}"), signed_on=NOV)
    pdf = signature_list_pdf(approved_payroll(office, NOV))
    text = " ".join(pdf_text(pdf).split())
    assert "Trang 2/" in text  # the list runs over more than one page
    assert text.count("Tổng cộng (45 người)") == 1
    # The place and date come after the total and before the signers' titles.
    assert text.index("Tổng cộng (45 người)") < text.index(", ngày") < text.upper().index("NGƯỜI LẬP BIỂU")


def test_a_file_matching_nobody_lists_every_payee_as_missing(office):
    people = [office.person(full_name=f"Người Chưa Có Kết Quả {i}") for i in range(2)]
    for person in people:
        office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    content = return_file(run, [("00001-202611-999999999", "", 810_000, "DA_CHI", "", "10/11/2026")])
    reconcile_import(actor=office.officer, run=run, content=content)
    assert sorted(ReconciliationException.objects.values_list("kind", flat=True)) == [
        "missing",
        "missing",
        "unknown",
    ]
