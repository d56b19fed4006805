import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from ansinh.core.months import add_months, current_month, format_month
from ansinh.decisions.models import Decision, Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.payments.levels import levels_sync
from ansinh.payments.models import BenefitLevel, PaymentLine, PayrollRun

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def offices():
    return Office("00001"), Office("00002")


def test_decision_api_prepare_sign_and_list(offices):
    office, other = offices
    person = office.person(full_name="Phạm Thị Hoa")
    response = post(
        client_for(office.officer),
        "/api/v1/decisions",
        {
            "person": person.pk,
            "kind": "grant",
            "benefit": "monthly_allowance",
            "category": "6",
            "coefficient": "2,0",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["coefficient"], body["monthly_amount"]) == ("draft", "2.00", 1_080_000)

    # The preparer cannot sign; a chairman of another commune does not even see it.
    url = f"/api/v1/decisions/{body['id']}/sign"
    assert (
        post(client_for(office.officer), url, {"number": "1", "signed_on": "2026-11-28"}).status_code == 403
    )
    assert (
        post(client_for(other.chairman), url, {"number": "1", "signed_on": "2026-11-28"}).status_code == 404
    )
    # Signed today (the API refuses a day to come or one before the draft was prepared).
    today = timezone.localdate()
    response = post(
        client_for(office.chairman), url, {"number": "01/QĐ-UBND", "signed_on": today.isoformat()}
    )
    assert response.status_code == 200, response.content
    assert response.json()["effective_month"] == today.replace(day=1).isoformat()
    assert response.json()["status"] == "signed"

    listed = client_for(office.officer).get(f"/api/v1/decisions?person={person.pk}")
    assert [d["number"] for d in listed.json()] == ["01/QĐ-UBND"]
    assert client_for(other.officer).get(f"/api/v1/decisions?person={person.pk}").status_code == 404
    assert client_for(other.officer).get(f"/api/v1/decisions/{body['id']}").status_code == 404


def test_decision_api_refuses_a_dead_person_with_the_field_named(offices):
    office, _ = offices
    person = office.person(date_of_death=dt.date(2026, 9, 9))
    response = post(
        client_for(office.officer),
        "/api/v1/decisions",
        {"person": person.pk, "kind": "grant", "benefit": "monthly_allowance", "coefficient": "1.5"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "person" in response.json()["fields"]
    assert Decision.objects.count() == 0


def test_decision_api_for_a_person_of_another_commune_is_404(offices):
    office, other = offices
    person = other.person()
    response = post(
        client_for(office.officer),
        "/api/v1/decisions",
        {"person": person.pk, "kind": "grant", "benefit": "monthly_allowance", "coefficient": "1.5"},
    )
    assert response.status_code == 404
    assert Decision.objects.count() == 0


def test_payroll_api_runs_and_lists_only_the_users_area(offices):
    office, other = offices
    office.grant(office.person(), signed_on=dt.date(2026, 10, 2))
    other.grant(other.person(), signed_on=NOV)
    client = client_for(office.officer)

    response = post(client, "/api/v1/payrolls/run", {"month": "2026-11", "area": "00001"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["line_count"], body["total_amount"], body["arrears_amount"]) == (2, 1_620_000, 810_000)

    assert post(client, "/api/v1/payrolls/run", {"month": "2026-11", "area": "00002"}).status_code == 404
    assert post(client, "/api/v1/payrolls/run", {"month": "2026-11", "area": "01"}).status_code == 404
    post(client_for(other.officer), "/api/v1/payrolls/run", {"month": "2026-11", "area": "00002"})

    listed = client.get("/api/v1/payrolls?month=2026-11").json()
    assert [(p["commune_code"], p["total_amount"]) for p in listed] == [("00001", 1_620_000)]
    own = PayrollRun.objects.get(commune_id="00001")
    foreign = PayrollRun.objects.get(commune_id="00002")
    detail = client.get(f"/api/v1/payrolls/{own.pk}").json()
    assert [(line["month"], line["amount"], line["is_arrears"]) for line in detail["lines"]] == [
        ("2026-10-01", 810_000, True),
        ("2026-11-01", 810_000, False),
    ]
    assert detail["totals"][0]["total_amount"] == 1_620_000
    assert client.get(f"/api/v1/payrolls/{foreign.pk}").status_code == 404
    assert client.get("/api/v1/payrolls?area=00002").status_code == 404

    assert post(client, f"/api/v1/payrolls/{own.pk}/approve", {}).status_code == 403  # the preparer
    assert post(client_for(other.chairman), f"/api/v1/payrolls/{own.pk}/approve", {}).status_code == 404
    assert (
        post(client_for(office.chairman), f"/api/v1/payrolls/{own.pk}/approve", {}).status_code == 409
    )  # draft
    assert post(client, f"/api/v1/payrolls/{own.pk}/check", {}).json()["status"] == "checked"
    approved = post(client_for(office.chairman), f"/api/v1/payrolls/{own.pk}/approve", {})
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")


def test_payroll_api_refuses_a_future_month(offices):
    office, _ = offices
    future = add_months(current_month(), 1)
    response = post(
        client_for(office.officer), "/api/v1/payrolls/run", {"month": f"{future:%Y-%m}", "area": "00001"}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"month"}
    assert PayrollRun.objects.count() == 0


def test_payroll_command_prints_counts_and_totals_in_vietnamese(offices):
    office, other = offices
    office.grant(office.person(), signed_on=dt.date(2026, 9, 10))
    other.grant(other.person(), signed_on=NOV, coefficient="2.5")
    out = StringIO()
    call_command("payroll", "run", "--month", "2026-11", "--area", "01", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Danh sách chi trả tháng 11/2026" in text
    assert "00001 Xã Thử 00001: 3 dòng, 2.430.000 đ (truy lĩnh 1.620.000 đ)" in text
    assert "00002 Xã Thử 00002: 1 dòng, 1.350.000 đ" in text
    assert "Tổng cộng: 2 xã, 4 dòng, 3.780.000 đ (trong đó truy lĩnh 1.620.000 đ)." in text

    out = StringIO()
    call_command("payroll", "show", "--month", "11/2026", "--area", "00002", stdout=out)
    assert "00002 Xã Thử 00002: 1 dòng, 1.350.000 đ" in out.getvalue()


def test_payroll_command_reports_bad_input(offices):
    future = format_month(add_months(current_month(), 1))
    with pytest.raises(CommandError, match="chưa đến"):
        call_command(
            "payroll", "run", "--month", future, "--area", "00001", stdout=StringIO(), stderr=StringIO()
        )
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command(
            "payroll", "run", "--month", "2026-11", "--area", "12345", stdout=StringIO(), stderr=StringIO()
        )
    assert PaymentLine.objects.count() == 0


def test_levels_sync_is_idempotent_and_mirrors_the_law():
    first = levels_sync()
    rows = sorted(
        BenefitLevel.objects.values_list("kind", "province_code", "valid_from", "valid_to", "amount")
    )
    assert levels_sync() == first
    assert (
        sorted(BenefitLevel.objects.values_list("kind", "province_code", "valid_from", "valid_to", "amount"))
        == rows
    )
    national = [r for r in rows if r[0] == "standard" and r[1] == ""]
    assert national[-2:] == [
        ("standard", "", dt.date(2024, 7, 1), dt.date(2026, 7, 1), 500_000),
        ("standard", "", dt.date(2026, 7, 1), None, 540_000),
    ]


def test_entitlements_are_untouched_by_a_refused_payroll(offices):
    office, _ = offices
    office.grant(office.person(), signed_on=dt.date(2026, 9, 10))
    before = list(Entitlement.objects.values_list("id", "arrears_from"))
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        call_command(
            "payroll", "run", "--month", "2099-01", "--area", "00001", stdout=StringIO(), stderr=StringIO()
        )
    assert list(Entitlement.objects.values_list("id", "arrears_from")) == before


def test_payroll_api_gives_the_providers_answer_before_closing(offices):
    from ansinh.payments.lifecycle import payroll_close
    from ansinh.payments.reconcile import reconcile_import
    from ansinh.payments.tests.cycle import NOV, result_row, return_file, sent_payroll

    office, _ = offices
    paid, failed = office.person(), office.person(full_name="Người Lỗi Tài Khoản")
    for person in (paid, failed):
        office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    content = return_file(
        run, [result_row(run, paid), result_row(run, failed, "THAT_BAI", reason="Sai tài khoản")]
    )
    reconcile_import(actor=office.officer, run=run, content=content)

    def lines():
        body = client_for(office.officer).get(f"/api/v1/payrolls/{run.pk}").json()
        return {line["person_id"]: (line["status"], line["provider_result"]) for line in body["lines"]}

    assert lines() == {paid.pk: ("due", "paid"), failed.pk: ("failed", "failed")}
    payroll_close(actor=office.chairman, run=PayrollRun.objects.get(pk=run.pk))
    assert lines() == {paid.pk: ("paid", "paid"), failed.pk: ("failed", "failed")}
