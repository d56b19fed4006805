"""Bad input (issue 3): contradictory facts, unknown or not-yet/no-longer existing category codes,
months before a benefit existed: a 400 naming the field, never a silent zero."""

import pytest

from ansinh.accounts.models import User


@pytest.fixture
def api(client, db):
    user = User.objects.create_user(
        username="officer_bad", password="pw-bad-123", role="commune_officer", area_level="country"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "facts,month,field,words",
    [
        (
            {"person": {"birth_date": "2023-01-15", "receives_pension": True}},
            "2026-11",
            "person.receives_pension",
            "không thể có lương hưu",
        ),
        (
            {"person": {"birth_date": "2000-01-15", "date_of_death": "1999-01-01"}},
            "2026-11",
            "person.date_of_death",
            "Ngày chết trước ngày sinh",
        ),
        (
            {"person": {"birth_date": "2000-01-15"}, "categories": ["9"]},
            "2026-11",
            "categories",
            "Mã đối tượng không tồn tại: '9'",
        ),
        (
            {"person": {"birth_date": "2020-01-15"}, "categories": ["7"]},
            "2021-06",
            "categories",
            "chỉ áp dụng từ 07/2021",
        ),
        (
            {"person": {"birth_date": "1940-01-15"}, "categories": ["5c_nd20"]},
            "2025-07",
            "categories",
            "chỉ áp dụng đến hết 06/2025",
        ),
        (
            {"person": {"birth_date": "1940-01-15"}, "benefits": ["social_pension"]},
            "2021-06",
            "benefits",
            "áp dụng từ 07/2025",
        ),
        (
            {
                "person": {
                    "birth_date": "1970-01-15",
                    "in_institution": True,
                    "institution_eligible_in_community": True,
                }
            },
            "2026-11",
            "person.institution_eligible_in_community",
            "không thể đồng thời",
        ),
        (
            {"person": {"birth_date": "2020-01-15", "children_under_36_months": 1}},
            "2026-11",
            "person.children_under_36_months",
            "không thể đang nuôi con",
        ),
        (
            {"person": {"birth_date": "1970-01-15"}, "household": {"deprivations": 13}},
            "2026-11",
            "household.deprivations",
            "12 chỉ số",
        ),
        (
            {"person": {"birth_date": "1970-01-15", "disability_level": "nặng"}},
            "2026-11",
            "person.disability_level",
            "Mức độ khuyết tật không hợp lệ",
        ),
        (
            {"person": {"birth_date": "1970-01-15"}, "household": {"poverty_status": "very_poor"}},
            "2026-11",
            "household.poverty_status",
            "Giá trị không hợp lệ",
        ),
        (
            {"person": {"birth_date": "1970-01-15", "child_support_loss": "z"}},
            "2026-11",
            "person.child_support_loss",
            "Trường hợp không hợp lệ",
        ),
    ],
)
def test_bad_facts_are_refused_naming_the_field(api, facts, month, field, words):
    response = api.post(
        "/api/v1/assessments", {"month": month, "facts": facts}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert list(body["fields"]) == [field]
    assert words in body["fields"][field]


def test_a_bad_month_names_the_month(api):
    response = api.post(
        "/api/v1/assessments",
        {"month": "2026-13", "facts": {"person": {"birth_date": "1950"}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["month"]
