"""The payment pages after QA (qa_province.md §10, qa_commune.md F8): the auditor reads the
province-wide page (return files, exceptions) with no form and is refused any POST with the
read-only message; the pages that import a return file explain the ANSINH-KQ layout and offer a
sample file built from the payroll itself."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.scope import READ_ONLY_MESSAGE
from ansinh.areas.models import Province
from ansinh.decisions.tests.factories import Office
from ansinh.jobs.models import Job
from ansinh.payments import followups
from ansinh.payments.models import PayeeOutcome, PayrollPayee, ReturnFile
from ansinh.payments.reconcile import reconcile_import_area
from ansinh.payments.tests.cycle import NOV, result_row, return_file, sent_payroll
from ansinh.registry.tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

PROVINCE = reverse("payments:province")
EXPORT = reverse("payments:province_export")
RETURN_FILE = reverse("payments:province_return_file")
ZIP = reverse("payments:province_zip")
PROVINCE_SAMPLE = reverse("payments:province_return_file_sample")


@pytest.fixture
def reconciled():
    """Province 01: a commune whose November payroll was sent and answered by the province's
    return file with one wrong amount (an exception to read)."""
    make_province("01", name="Tỉnh Một")
    office = Office("00001", province="01")
    paid, wrong = office.person(full_name="Người Đã Nhận"), office.person(full_name="Người Sai Tiền")
    office.grant(paid, signed_on=NOV)
    office.grant(wrong, signed_on=NOV)
    run = sent_payroll(office, NOV)
    rows = [result_row(run, paid), result_row(run, wrong, amount=1)]
    reconcile_import_area(
        actor=make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province),
        area_code="01",
        month=NOV,
        content=return_file(run, rows, area_code="01"),
        filename="ket-qua_01_202611.csv",
    )
    return office, run


def no_write_form(html: str) -> None:
    """No form or button but the province picker in the page's content (the header keeps its
    log-out button)."""
    content = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'method="post"' not in content and "csrfmiddlewaretoken" not in content
    assert content.count("<button") == content.count('data-testid="province-choose"')
    for url in (EXPORT, RETURN_FILE, ZIP):
        assert f'action="{url}' not in html


def test_a_province_auditor_reads_the_province_page_without_any_form(client, reconciled):
    office, run = reconciled
    auditor = make_user(role=Role.AUDITOR, province=office.commune.province)
    client.force_login(auditor)

    listing = client.get(reverse("web:payroll_list")).content.decode()
    assert f'href="{PROVINCE}" data-testid="province-read"' in listing

    page = client.get(PROVINCE)
    html = page.content.decode()
    assert page.status_code == 200
    # Named as stored: the real units, when another test loaded them, call 01 Hà Nội.
    assert f"Chi trả toàn tỉnh: {Province.objects.get(code='01').name} (mã 01)" in html
    assert 'data-testid="province-return-files"' in html and "ket-qua_01_202611.csv" in html
    assert 'data-testid="province-exceptions"' in html and "Sai số tiền" in html
    assert 'data-testid="province-read-only"' in html
    no_write_form(html)

    # The forms are not shown; posting them anyway is refused with the read-only message.
    for url, data in ((EXPORT, {"month": "11/2026"}), (RETURN_FILE, {"month": "11/2026"})):
        refused = client.post(url, data)
        assert refused.status_code == 403
        assert READ_ONLY_MESSAGE in refused.content.decode()
        no_write_form(refused.content.decode())
    assert not Job.objects.exists()
    assert ReturnFile.objects.count() == 1


def test_a_national_auditor_picks_the_province_to_read(client, reconciled):
    auditor = make_user(role=Role.AUDITOR, country=True)
    client.force_login(auditor)

    picker = client.get(PROVINCE)
    html = picker.content.decode()
    assert picker.status_code == 200
    assert 'data-testid="province-pick"' in html and "xem các tệp kết quả đã nhập" in html
    assert 'data-testid="province-return-files"' not in html

    picked = client.get(PROVINCE, {"tinh": "01"})
    html = picked.content.decode()
    assert picked.status_code == 200
    assert '<option value="01" selected>' in html
    assert "ket-qua_01_202611.csv" in html and "Sai số tiền" in html
    no_write_form(html)
    assert client.get(PROVINCE, {"tinh": "99"}).status_code == 404

    refused = client.post(f"{RETURN_FILE}?tinh=01", {"month": "11/2026"})
    assert refused.status_code == 403 and READ_ONLY_MESSAGE in refused.content.decode()
    assert not Job.objects.exists()


def test_only_province_and_national_auditors_read_it(client, reconciled):
    office, _run = reconciled
    commune_auditor = make_user(role=Role.AUDITOR, commune=office.commune)
    for user in (commune_auditor, office.officer, office.chairman):
        client.force_login(user)
        assert client.get(PROVINCE).status_code == 404
        assert client.post(EXPORT, {"month": "11/2026"}).status_code == 404
    # A province's auditor reads its own province only.
    other = make_province("02", name="Tỉnh Hai")
    client.force_login(make_user(role=Role.AUDITOR, province=other))
    assert client.get(PROVINCE, {"tinh": "01"}).status_code == 404
    assert followups.province_reader(make_user(role=Role.AUDITOR, country=True))
    assert not followups.province_reader(commune_auditor)


def test_the_commune_cycle_page_explains_the_return_file_and_offers_a_sample(client, reconciled):
    office, run = reconciled
    client.force_login(office.officer)
    html = client.get(reverse("payments:cycle", args=[run.pk])).content.decode()
    assert 'data-testid="upload-return-file"' in html
    assert "Hướng dẫn tệp chi trả" in html and 'data-testid="return-file-guide"' in html
    for part in ("H,ANSINH-KQ,1,", "00001", "202611", "DA_CHI", "THAT_BAI", "CHUA_NHAN", "dd/mm/yyyy", "T,"):
        assert part in html
    sample_url = reverse("payments:return_file_sample", args=[run.pk])
    assert f'href="{sample_url}"' in html

    sample = client.get(sample_url)
    assert sample.status_code == 200
    assert sample["Content-Disposition"] == 'attachment; filename="ket-qua-mau_00001_202611.csv"'
    lines = sample.content.decode().splitlines()
    today = f"{timezone.localdate():%d/%m/%Y}"
    payees = list(PayrollPayee.objects.filter(run=run).order_by("reference"))
    assert lines[0].startswith("H,ANSINH-KQ,1,00001,202611,")
    assert lines[1:-1] == [f"D,{y.reference},{y.personal_id},{y.amount},DA_CHI,,{today}" for y in payees]
    assert lines[-1] == f"T,{len(payees)},{sum(y.amount for y in payees)}"


def test_the_sample_is_a_file_the_import_accepts(client):
    make_province("01", name="Tỉnh Một")
    office = Office("00001", province="01")
    office.grant(office.person(full_name="Người Mẫu"), signed_on=NOV)
    run = sent_payroll(office, NOV)
    client.force_login(office.officer)
    sample = client.get(reverse("payments:return_file_sample", args=[run.pk])).content
    upload = SimpleUploadedFile("mau.csv", sample, content_type="text/csv")
    response = client.post(reverse("payments:return_file", args=[run.pk]), {"file": upload})
    assert response.status_code == 302
    assert list(PayeeOutcome.objects.values_list("result", flat=True)) == ["paid"]


def test_another_communes_sample_is_not_found(client, reconciled):
    _office, run = reconciled
    other = Office("00002", province="01")
    client.force_login(other.officer)
    assert client.get(reverse("payments:return_file_sample", args=[run.pk])).status_code == 404


def test_the_province_page_explains_the_return_file_and_offers_the_provinces_sample(client, reconciled):
    office, run = reconciled
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province))
    html = client.get(PROVINCE).content.decode()
    assert 'data-testid="province-return-file"' in html
    assert "Hướng dẫn tệp chi trả" in html and "THAT_BAI" in html and "CHUA_NHAN" in html
    url = f"{PROVINCE_SAMPLE}?month=2026-11"
    assert f'href="{url}"' in html and "Tải tệp kết quả mẫu tháng 11/2026" in html

    sample = client.get(url)
    assert sample["Content-Disposition"] == 'attachment; filename="ket-qua-mau_01_202611.csv"'
    lines = sample.content.decode().splitlines()
    assert lines[0] == "H,ANSINH-KQ,1,01,202611,1"
    assert len(lines) == 2 + PayrollPayee.objects.filter(run=run).count()
    # What the province's import checks before queueing accepts it.
    followups.return_file_check("01", NOV, sample.content)
    assert client.get(PROVINCE_SAMPLE, {"month": "tháng mười"}).status_code == 400


def test_a_national_officers_sample_link_keeps_the_picked_province(client, reconciled):
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, country=True))
    html = client.get(PROVINCE, {"tinh": "01"}).content.decode()
    url = f"{PROVINCE_SAMPLE}?month=2026-11&amp;tinh=01"
    assert f'href="{url}"' in html
    assert client.get(PROVINCE_SAMPLE, {"month": "2026-11", "tinh": "01"}).status_code == 200
    assert client.get(PROVINCE_SAMPLE, {"month": "2026-11"}).status_code == 404  # none picked


def test_a_zip_request_refused_keeps_its_month_and_an_empty_month_is_named(client, reconciled):
    from ansinh.accounts.models import Role
    from ansinh.registry.tests.factories import make_user

    province = Province.objects.get(code="01")
    client.force_login(make_user(username="so_zip", role=Role.PROVINCIAL_OFFICER, province=province))
    refused = client.get("/chi-tra/toan-tinh/tep-chuyen-khoan.zip", {"month": "12/2026"})
    assert refused.status_code == 400
    assert 'id="zip-month" name="month" value="12/2026"' in refused.content.decode()
    empty = client.get("/chi-tra/toan-tinh/tep-chuyen-khoan.zip", {"month": ""})
    assert "Chưa nhập tháng" in empty.content.decode()
