import json

import pytest
from django.core.management import CommandError, call_command

from ansinh.accounts.models import User
from ansinh.assessment.tests.section9 import cases

CASES = list(cases())


def _amounts(benefits):
    return {b["benefit"]: b["amount"] for b in benefits}


def _check(benefits, expected):
    amounts = _amounts(benefits)
    for benefit, amount in expected.items():
        assert amounts.get(benefit, 0) == amount, (benefit, amounts)


def test_every_section9_case_is_covered():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name,facts,month,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_command_section9(tmp_path, capsys, name, facts, month, expected):
    path = tmp_path / "person.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    call_command("assess", str(path), "--month", f"{month:%Y-%m}", "--json")
    _check(json.loads(capsys.readouterr().out)["benefits"], expected)


@pytest.fixture
def client_logged_in(client, db):
    user = User.objects.create_user(
        username="officer_law", password="pw-law-123", role="commune_officer", area_level="country"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize("name,facts,month,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_api_section9(client_logged_in, name, facts, month, expected):
    response = client_logged_in.post(
        "/api/v1/assessments", {"month": f"{month:%Y-%m}", "facts": facts}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    _check(response.json()["benefits"], expected)


def test_command_table_shows_explanation(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"person": {"birth_date": "2023-01-15", "child_support_loss": "b"}}), encoding="utf-8"
    )
    call_command("assess", str(path), "--month", "2026-11")
    out = capsys.readouterr().out
    assert "1.350.000 đ" in out
    assert (
        "hệ số 2,5 vì trẻ em dưới 4 tuổi mồ côi cả cha và mẹ — Điều 6 khoản 1 điểm a, Nghị định 335/2026"
        in out
    )


def test_command_table_shows_the_health_insurance_card_as_granted(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"person": {"birth_date": "1946"}}), encoding="utf-8")
    call_command("assess", str(path), "--month", "2026-11")
    out = capsys.readouterr().out
    assert "Được cấp thẻ BHYT" in out and "0 thẻ BHYT" not in out
    # The level's own reference stays intact (was "Nghị định 335/2026/NĐ-CP. Điều 31").
    assert "mức 540.000 đồng theo Điều 31 Nghị định 335/2026/NĐ-CP" in out


def test_command_refuses_contradiction(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"person": {"birth_date": "2023-01-15", "receives_pension": True}}), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="person.receives_pension"):
        call_command("assess", str(path), "--month", "2026-11")


def test_api_requires_login(client, db):
    response = client.post(
        "/api/v1/assessments", {"month": "2026-11", "facts": {}}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "facts,month,field",
    [
        (
            {"person": {"birth_date": "2023-01-15", "receives_pension": True}},
            "2026-11",
            "person.receives_pension",
        ),
        (
            {"person": {"birth_date": "2000-01-15", "date_of_death": "1999-01-01"}},
            "2026-11",
            "person.date_of_death",
        ),
        ({"person": {"birth_date": "2000-01-15"}, "categories": ["9"]}, "2026-11", "categories"),
        ({"person": {"birth_date": "1940-01-15"}, "benefits": ["social_pension"]}, "2024-11", "benefits"),
        (
            {"person": {"birth_date": "1970-01-15", "foster_cat1_under_4": 1}},
            "2020-11",
            "person.foster_cat1_under_4",
        ),
        ({"person": {"birth_date": "1970-01-15"}}, "2013-12", "month"),
        ({"person": {"birth_date": "1970-01-15", "colour": "red"}}, "2026-11", "person.colour"),
        ({"person": {"birth_date": "2027-01-15"}}, "2026-11", "person.birth_date"),
    ],
)
def test_api_bad_facts_name_the_field(client_logged_in, facts, month, field):
    response = client_logged_in.post(
        "/api/v1/assessments", {"month": month, "facts": facts}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in body["fields"]
