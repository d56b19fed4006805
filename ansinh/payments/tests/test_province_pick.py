"""Which province the province-wide pages work on: a national officer picks one of the provinces
(`?tinh=NN`), a provincial officer works on their own and cannot open another, a commune officer
gets the answer a page that does not exist gives."""

import io
import zipfile

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.areas.models import Province
from ansinh.decisions.tests.factories import Office
from ansinh.jobs.models import Job, JobStatus
from ansinh.jobs.services import job_run_pending
from ansinh.payments.bankfile import checksum_verify
from ansinh.payments.models import PaymentFile
from ansinh.payments.tests.cycle import NOV, approved_payroll
from ansinh.registry.tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

PROVINCE = reverse("payments:province")
EXPORT = reverse("payments:province_export")
RETURN_FILE = reverse("payments:province_return_file")
ZIP = reverse("payments:province_zip")


@pytest.fixture
def offices():
    """Two provinces, each with a commune whose payroll is approved: 01 (Hà Nội when other tests
    have loaded the real units, else Tỉnh Một) and 02 (Tỉnh Hai, a code no real province has)."""
    make_province("01", name="Tỉnh Một")
    make_province("02", name="Tỉnh Hai")
    one, two = Office("00001", province="01"), Office("00003", province="02")
    one.grant(one.person(full_name="Người Tỉnh Một", bank_account="111", bank_name="BIDV"), signed_on=NOV)
    two.grant(two.person(full_name="Người Tỉnh Hai", bank_account="222", bank_name="BIDV"), signed_on=NOV)
    approved_payroll(one, NOV)
    approved_payroll(two, NOV)
    return one, two


def test_a_national_officer_picks_a_province_and_works_on_it(client, offices):
    national = make_user(role=Role.PROVINCIAL_OFFICER, country=True)
    client.force_login(national)

    # Nothing picked yet: the list of provinces, no form to export or import.
    page = client.get(PROVINCE)
    html = page.content.decode()
    assert page.status_code == 200
    # Every province is offered (other tests may have loaded the real ones).
    assert page.context["provinces"].count() == Province.objects.count() >= 2
    assert f'<option value="01">01 – {Province.objects.get(code="01").name}</option>' in html
    assert '<option value="02">02 – Tỉnh Hai</option>' in html
    assert EXPORT not in html and RETURN_FILE not in html

    picked = client.get(PROVINCE, {"tinh": "02"})
    html = picked.content.decode()
    assert picked.status_code == 200
    assert "Chi trả toàn tỉnh: Tỉnh Hai (mã 02)" in html
    assert '<option value="02" selected>' in html
    assert f'action="{EXPORT}?tinh=02"' in html and f'action="{RETURN_FILE}?tinh=02"' in html
    assert '<input type="hidden" name="tinh" value="02">' in html

    # The export is queued for the picked province only; its result links back to it.
    response = client.post(f"{EXPORT}?tinh=02", {"month": "11/2026"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.id])
    assert (job.area_code, job.kwargs) == ("02", {"month": "2026-11", "area_code": "02"})
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["url"] == f"{ZIP}?month=2026-11&tinh=02"
    assert list(PaymentFile.objects.values_list("commune_code", flat=True)) == ["00003"]

    download = client.get(job.result["url"])
    assert 'filename="chuyen-khoan_02_202611.zip"' in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.namelist() == ["chuyen-khoan_00003_202611_000001.csv"]
    content = archive.read("chuyen-khoan_00003_202611_000001.csv")
    assert checksum_verify(content) and "Người Tỉnh Hai" in content.decode()


def test_a_national_officer_must_pick_a_province_that_exists(client, offices):
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, country=True))
    assert client.get(PROVINCE, {"tinh": "99"}).status_code == 404
    assert client.post(EXPORT, {"month": "11/2026"}).status_code == 404  # none picked
    assert client.post(f"{EXPORT}?tinh=99", {"month": "11/2026"}).status_code == 404
    assert client.get(ZIP, {"month": "11/2026"}).status_code == 404
    assert client.post(RETURN_FILE, {"month": "11/2026"}).status_code == 404
    assert not Job.objects.exists()


def test_a_provincial_officer_works_on_their_own_province_only(client, offices):
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=offices[0].commune.province)
    client.force_login(officer)

    own = client.get(PROVINCE)
    html = own.content.decode()
    assert own.status_code == 200
    assert f"Chi trả toàn tỉnh: {Province.objects.get(code='01').name} (mã 01)" in html
    assert 'name="tinh"' not in html  # no picker: the forms act for the officer's province
    assert f'action="{EXPORT}"' in html
    assert client.get(PROVINCE, {"tinh": "01"}).status_code == 200

    assert client.get(PROVINCE, {"tinh": "02"}).status_code == 404
    assert client.post(f"{EXPORT}?tinh=02", {"month": "11/2026"}).status_code == 404
    assert client.post(f"{RETURN_FILE}?tinh=02", {"month": "11/2026"}).status_code == 404
    assert client.get(ZIP, {"month": "11/2026", "tinh": "02"}).status_code == 404
    assert not Job.objects.exists() and not PaymentFile.objects.exists()


@pytest.mark.parametrize("who", ["commune_officer", "commune_auditor"])
def test_a_commune_officer_or_auditor_gets_404(client, offices, who):
    # A province's or the country's auditor reads the page (test_qa_pages.py); a commune's does not.
    user = (
        offices[0].officer
        if who == "commune_officer"
        else make_user(role=Role.AUDITOR, commune=offices[0].commune)
    )
    client.force_login(user)
    for tinh in ("", "01", "02"):
        query = f"?tinh={tinh}" if tinh else ""
        assert client.get(f"{PROVINCE}{query}").status_code == 404
        assert client.post(f"{EXPORT}{query}", {"month": "11/2026"}).status_code == 404
        assert client.post(f"{RETURN_FILE}{query}", {"month": "11/2026"}).status_code == 404
        assert client.get(ZIP, {"month": "11/2026", "tinh": tinh}).status_code == 404
    assert not Job.objects.exists() and not PaymentFile.objects.exists()
