"""Follow-ups of reconciliation (suspension proposals, overpayments) and the province-wide steps
as background jobs: pages, checks before queueing, results on the job page."""

import io
import zipfile

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision
from ansinh.decisions.tests.factories import Office
from ansinh.jobs.models import Job, JobStatus
from ansinh.jobs.services import job_run_pending
from ansinh.payments.bankfile import bankfile_export, checksum_verify
from ansinh.payments.models import (
    Overpayment,
    PaymentFile,
    PayrollPayee,
    PayrollRun,
    ReturnFile,
    SuspensionProposal,
)
from ansinh.payments.reconcile import return_file_build
from ansinh.payments.tests.cycle import (
    NOV,
    OCT,
    SEP,
    approved_payroll,
    paid_after_death,
    sent_payroll,
    three_months_uncollected,
)
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office()


def test_the_officer_prepares_the_suspension_from_the_proposal(client, office):
    proposal = three_months_uncollected(office)
    client.force_login(office.officer)
    html = client.get(reverse("payments:proposals")).content.decode()
    assert "Trần Văn Vắng" in html and reverse("web:person_detail", args=[proposal.person_id]) in html
    assert "2.430.000" in html and "09/2026" in html

    response = client.post(reverse("payments:proposal_decide", args=[proposal.pk]))
    draft = Decision.objects.get(kind="suspend")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:decision_detail", args=[draft.pk])
    assert (draft.person_id, draft.status, draft.effective_month) == (proposal.person_id, "draft", SEP)
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    assert AuditEvent.objects.filter(action="suspension_proposal.decide").count() == 1

    # Twice: refused with the reason, nothing more written.
    again = client.post(reverse("payments:proposal_decide", args=[proposal.pk]), follow=True)
    assert "Đã ra quyết định" in again.content.decode()
    assert Decision.objects.filter(kind="suspend").count() == 1


def test_a_chairman_sees_proposals_but_cannot_prepare(client, office):
    proposal = three_months_uncollected(office)
    client.force_login(office.chairman)
    html = client.get(reverse("payments:proposals")).content.decode()
    assert "Trần Văn Vắng" in html and "Lập dự thảo quyết định tạm dừng" not in html
    client.post(reverse("payments:proposal_decide", args=[proposal.pk]))
    assert not Decision.objects.filter(kind="suspend").exists()


def test_an_overpayment_is_marked_recovered_once(client, office):
    overpayment = paid_after_death(office)
    client.force_login(office.officer)
    html = client.get(reverse("payments:overpayments")).content.decode()
    assert "Ông Đã Mất" in html and "15/09/2026" in html and "Phải thu hồi" in html
    assert reverse("web:person_detail", args=[overpayment.person_id]) in html

    page = client.post(reverse("payments:overpayment_recover", args=[overpayment.pk]), follow=True)
    assert "Đã ghi nhận thu hồi 810.000" in page.content.decode()
    overpayment.refresh_from_db()
    assert overpayment.status == "recovered"
    events = AuditEvent.objects.filter(action="overpayment.recover")
    assert [(e.before, e.after["status"], e.area_code) for e in events] == [
        ({"status": "open"}, "recovered", "00001")
    ]
    again = client.post(reverse("payments:overpayment_recover", args=[overpayment.pk]), follow=True)
    assert "đã được ghi nhận thu hồi trước đây" in again.content.decode()
    assert events.count() == 1


def test_another_communes_follow_ups_are_neither_listed_nor_reachable(client, office):
    proposal = three_months_uncollected(office)
    overpayment = paid_after_death(Office("00002"))
    stranger = Office("00003")
    client.force_login(stranger.officer)
    assert "Trần Văn Vắng" not in client.get(reverse("payments:proposals")).content.decode()
    assert "Ông Đã Mất" not in client.get(reverse("payments:overpayments")).content.decode()
    assert client.post(reverse("payments:proposal_decide", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("payments:overpayment_recover", args=[overpayment.pk])).status_code == 404
    assert SuspensionProposal.objects.get().status == "proposed"
    assert Overpayment.objects.get().status == "open"


# --- Province-wide steps ---------------------------------------------------------------------


def _province(office):
    other = Office("00002")
    office.grant(office.person(full_name="Lê, Văn A", bank_account="1", bank_name="BIDV"), signed_on=OCT)
    office.grant(office.person(social_security_account="S2"), signed_on=NOV)
    other.grant(other.person(bank_account="3"), signed_on=NOV)
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province)
    return other, officer


def test_the_province_exports_in_the_background_and_downloads_one_zip(client, office):
    other, officer = _province(office)
    client.force_login(officer)
    listing = client.get(reverse("web:payroll_list")).content.decode()
    assert reverse("payments:province") in listing
    assert client.get(reverse("payments:province")).status_code == 200

    # Checks before queueing: a bad month, then no approved payroll.
    bad = client.post(reverse("payments:province_export"), {"month": "13/2026"})
    assert bad.status_code == 400 and "Tháng 13 không tồn tại" in bad.content.decode()
    none = client.post(reverse("payments:province_export"), {"month": "11/2026"})
    assert none.status_code == 400 and "không có danh sách chi trả nào đã phê duyệt" in none.content.decode()
    assert not Job.objects.exists()

    first, second = approved_payroll(office, NOV), approved_payroll(other, NOV)
    response = client.post(reverse("payments:province_export"), {"month": "11/2026"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.id])
    assert (job.name, job.area_code, job.kwargs) == (
        "payments.bankfiles_export_area",
        "01",
        {"month": "2026-11", "area_code": "01"},
    )
    assert not PaymentFile.objects.exists()  # nothing in the request
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["message"] == "Đã xuất tệp chuyển khoản tháng 11/2026 cho 2 xã: 3 người, 3.240.000 đ."
    html = client.get(reverse("jobs:detail", args=[job.id])).content.decode()
    assert "3.240.000 đ" in html and reverse("payments:province_zip") in html

    download = client.get(job.result["url"])
    assert download["Content-Type"] == "application/zip"
    assert 'filename="chuyen-khoan_01_202611.zip"' in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    for run, who in ((first, office.officer), (second, other.officer)):
        issued, content = bankfile_export(actor=who, run=run)
        assert archive.read(issued.filename) == content and checksum_verify(content)
    assert len(archive.namelist()) == 2

    # Everything is sent now: a second export is refused before queueing.
    assert client.post(reverse("payments:province_export"), {"month": "11/2026"}).status_code == 400
    assert Job.objects.count() == 1


def test_province_pages_are_for_provincial_officers_only(client, office):
    client.force_login(office.officer)
    assert client.get(reverse("payments:province")).status_code == 404
    assert client.post(reverse("payments:province_export"), {"month": "11/2026"}).status_code == 404
    assert client.get(reverse("payments:province_zip"), {"month": "11/2026"}).status_code == 404
    assert not Job.objects.exists()


def test_the_province_imports_its_return_file_in_the_background(client, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other, officer = _province(office)
    client.force_login(officer)
    runs = [sent_payroll(office, NOV), sent_payroll(other, NOV)]
    rows = [
        (y.reference, y.personal_id or "", y.amount, "DA_CHI", "", "10/11/2026")
        for y in PayrollPayee.objects.filter(run__in=runs).order_by("reference")
    ]
    rows[0] = (*rows[0][:3], "THAT_BAI", "Sai số tài khoản", "")
    content = return_file_build(
        rows + [("00009-202611-1", "", 1, "DA_CHI", "", "")], area_code="01", month=NOV
    )

    def upload(data, month="11/2026", name="ket-qua_01_202611.csv"):
        return client.post(
            reverse("payments:province_return_file"), {"month": month, "file": _named(data, name)}
        )

    # Checks before queueing: no file, a commune's header, a truncated file, another month.
    assert (
        "Chưa chọn tệp kết quả"
        in client.post(reverse("payments:province_return_file"), {"month": "11/2026"}).content.decode()
    )
    wrong_area = return_file_build(rows, area_code="00001", month=NOV)
    assert upload(wrong_area).status_code == 400
    truncated = upload(content.rsplit(b"T,", 1)[0])
    assert truncated.status_code == 400 and "province-error" in truncated.content.decode()
    assert upload(content, month="10/2026").status_code == 400
    assert not Job.objects.exists() and not list(tmp_path.rglob("*.csv"))

    response = upload(content)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.id])
    assert job.name == "payments.reconcile_area" and job.kwargs["filename"] == "ket-qua_01_202611.csv"
    assert not ReturnFile.objects.exists()
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["message"] == (
        "Đã nhập kết quả chi trả tháng 11/2026 của tỉnh: 3 người có kết quả (2 đã chi, 1 không thành công, "
        "0 chưa nhận); 1 dòng ngoại lệ; 2 xã đối soát xong; 0 đề xuất tạm dừng, 0 khoản phải thu hồi."
    )
    assert set(PayrollRun.objects.values_list("status", flat=True)) == {"reconciled"}
    assert not list(tmp_path.rglob("*.csv"))  # the stored upload is removed once imported
    html = client.get(reverse("jobs:detail", args=[job.id])).content.decode()
    assert "2 xã đối soát xong" in html
    page = client.get(reverse("payments:province")).content.decode()
    assert "ket-qua_01_202611.csv" in page

    # The same file again is refused by the job, with the reason on the job page.
    upload(content)
    job_run_pending()
    failed = Job.objects.latest("created_at")
    assert failed.status == JobStatus.FAILED and "đã được nhập" in failed.error
    assert ReturnFile.objects.count() == 1


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
