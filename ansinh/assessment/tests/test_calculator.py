"""The officer's calculator (tra cứu chế độ) at /tra-cuu-che-do/."""

import datetime as dt

import pytest

from ansinh.assessment.selectors import registry_facts
from ansinh.decisions.tests.factories import Office
from ansinh.registry.models import DisabilityDetermination, IncomeStatus, SchoolingStatus
from ansinh.registry.tests.factories import make_household

URL = "/tra-cuu-che-do/"


@pytest.fixture
def offices(db):
    return Office("00001", province="01"), Office("00002", province="01")


def _facts(**extra):
    data = {
        "month": "2026-11",
        "birth_date": "15/01/2023",
        "child_support_loss": "b",
        "poverty_status": "none",
    }
    data.update(extra)
    return data


def test_the_calculator_shows_every_benefit_with_amount_basis_and_explanation(client, offices):
    client.force_login(offices[0].officer)
    response = client.post(URL, _facts())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trợ cấp xã hội hằng tháng" in body and "1.350.000" in body
    assert (
        "hệ số 2,5 vì trẻ em dưới 4 tuổi mồ côi cả cha và mẹ — Điều 6 khoản 1 điểm a, Nghị định 335/2026"
        in body
    )
    assert "Thẻ bảo hiểm y tế do ngân sách nhà nước đóng" in body
    results = response.context["results"]
    assert [(r["benefit"], r["amount"]) for r in results] == [
        ("monthly_social_allowance", 1_350_000),
        ("health_insurance", 0),
    ]


def test_the_same_facts_give_the_same_answer_as_the_api(client, offices):
    client.force_login(offices[0].officer)
    page = client.post(URL, _facts(month="2026-06")).context["results"]
    api = client.post(
        "/api/v1/assessments",
        {
            "month": "2026-06",
            "facts": {
                "person": {"birth_date": "15/01/2023", "child_support_loss": "b"},
                "household": {"poverty_status": "none"},
            },
        },
        content_type="application/json",
    ).json()["benefits"]
    assert page == api
    assert page[0]["amount"] == 1_250_000  # 2,5 × 500.000 before July 2026


@pytest.mark.parametrize(
    "extra,field,words",
    [
        ({"date_of_death": "01/01/2020"}, "date_of_death", "Ngày chết trước ngày sinh"),
        ({"receives_pension": "on"}, "receives_pension", "không thể có lương hưu"),
        ({"month": "2013-12"}, "month", "từ tháng 01/2014"),
        ({"birth_date": "31/02/2023"}, "birth_date", "Ngày không hợp lệ"),
        ({"birth_date": ""}, "birth_date", "Chưa nhập ngày sinh"),
    ],
)
def test_bad_facts_are_shown_beside_their_field(client, offices, extra, field, words):
    client.force_login(offices[0].officer)
    response = client.post(URL, _facts(**extra))
    assert response.status_code == 200
    assert response.context["results"] is None
    assert words in response.context["form"].errors[field][0]


def test_a_registered_person_prefills_the_facts(client, offices):
    office = offices[0]
    person = office.person(full_name="Hoàng Văn Kiên", birth_year=2010, birth_month=6, birth_day=1)
    make_household(head=person, poverty={2025: "poor", 2026: "near_poor"})
    DisabilityDetermination.objects.create(
        person=person, disability_type="visual", level="severe", determined_on=dt.date(2020, 1, 1)
    )
    SchoolingStatus.objects.create(person=person, valid_from=dt.date(2024, 9, 1))
    IncomeStatus.objects.create(person=person, kind="wage", valid_from=dt.date(2026, 1, 1))
    office.grant(person, signed_on=dt.date(2025, 9, 10), coefficient="2", category="1")
    assert registry_facts(person, dt.date(2026, 11, 1)) == {
        "person": {
            "birth_date": "2010-06-01",
            "disability_level": "severe",
            "has_wage": True,
            "studying": True,
            "child_support_loss": "b",
            "was_child_beneficiary": True,
        },
        "household": {
            "province_code": "01",
            "poverty_status": "near_poor",
            "especially_difficult_area": False,
        },
    }
    client.force_login(office.officer)
    response = client.get(URL, {"person": person.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.initial["birth_date"], form.initial["disability_level"], form.initial["poverty_status"]) == (
        "01/06/2010",
        "severe",
        "near_poor",
    )


def test_a_person_of_another_commune_is_not_found(client, offices):
    stranger = offices[1].person(full_name="Người Xã Khác", birth_year=1950)
    client.force_login(offices[0].officer)
    assert client.get(URL, {"person": stranger.pk}).status_code == 404


def test_the_calculator_needs_a_login(client, db):
    assert client.get(URL).status_code == 302


def test_the_health_insurance_card_is_shown_as_granted_not_as_zero(client, offices):
    """QA W5: the row read "… | 0 thẻ BHYT | …" for everyone who gets the card."""
    client.force_login(offices[0].officer)
    response = client.post(URL, _facts(birth_date="1946", child_support_loss="none"))
    table = response.content.decode().split('data-testid="assessment-results"')[1].split("</table>")[0]
    row = table.split("Thẻ bảo hiểm y tế do ngân sách nhà nước đóng")[1].split("</tr>")[0]
    assert "Được cấp" in row and "1 thẻ BHYT" in row
    assert ">0 <" not in row and "0 <span" not in row


def test_no_health_insurance_row_when_the_person_does_not_qualify(client, offices):
    client.force_login(offices[0].officer)
    response = client.post(URL, _facts(birth_date="1980", child_support_loss="none"))
    assert response.context["results"] == []
    body = response.content.decode()
    assert "thẻ BHYT" not in body and "không có chế độ nào" in body


def test_the_intro_speaks_to_the_officer_not_the_developer(client, offices):
    """QA F1: the intro said "— như ansinh assess và API"."""
    client.force_login(offices[0].officer)
    body = client.get(URL).content.decode()
    intro = body.split("<h1>Tra cứu chế độ</h1>")[1].split("</p>")[0]
    assert "ansinh assess" not in intro and "API" not in intro
    assert "căn cứ pháp lý và giải thích" in intro
