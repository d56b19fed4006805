import pytest

from ansinh.core.models import AuditEvent
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, officer):
    client.force_login(officer)
    return client


def test_anonymous_users_are_refused(client, commune):
    make_person(commune=commune)
    assert client.get("/api/v1/persons").status_code == 401


def test_search_finds_by_name_without_diacritics(api, commune, neighbour):
    person = make_person(commune=commune, full_name="Nguyễn Văn An", birth_year=1950, birth_month=3)
    make_person(commune=neighbour, full_name="Nguyễn Văn An")
    response = api.get("/api/v1/persons", {"q": "nguyen van an"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": person.pk,
            "personal_id": person.personal_id,
            "full_name": "Nguyễn Văn An",
            "birth_date": "03/1950",
            "birth_year": 1950,
            "birth_month": 3,
            "birth_day": None,
            "sex": "M",
            "ethnicity": "Kinh",
            "commune_code": "00001",
            "commune_name": "Xã Phúc Thịnh",
            "village_id": None,
            "address": "",
            "date_of_death": None,
        }
    ]


def test_a_person_of_another_commune_is_404(api, neighbour):
    theirs = make_person(commune=neighbour)
    assert api.get(f"/api/v1/persons/{theirs.pk}").status_code == 404


def test_a_person_of_the_commune_is_shown(api, commune):
    mine = make_person(commune=commune)
    response = api.get(f"/api/v1/persons/{mine.pk}")
    assert response.status_code == 200
    assert response.json()["full_name"] == "Nguyễn Văn An"


def test_a_province_officer_reads_any_commune_of_the_province(
    client, province_officer, neighbour, far_commune
):
    client.force_login(province_officer)
    assert client.get(f"/api/v1/persons/{make_person(commune=neighbour).pk}").status_code == 200
    assert client.get(f"/api/v1/persons/{make_person(commune=far_commune).pk}").status_code == 404


def test_create_registers_and_audits(api, officer):
    response = api.post(
        "/api/v1/persons",
        {
            "personal_id": "001150000123",
            "full_name": "nguyễn thị lan",
            "birth_date": "1950",
            "sex": "F",
            "commune": "00001",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["full_name"], body["birth_date"], body["commune_code"]) == (
        "Nguyễn Thị Lan",
        "1950",
        "00001",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.entity_id) == ("person.create", officer, str(body["id"]))


def test_create_with_a_bad_id_is_400_and_writes_nothing(api):
    response = api.post(
        "/api/v1/persons",
        {
            "personal_id": "003150000123",
            "full_name": "Nguyễn Thị Lan",
            "birth_date": "1950",
            "sex": "F",
            "commune": "00001",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    message = (
        "Ba chữ số đầu của số định danh cá nhân (003) không phải mã tỉnh nơi đăng ký khai sinh: "
        "kiểm tra lại số in trên căn cước công dân."
    )
    assert response.json() == {
        "code": "invalid_input",
        "message": message,
        "fields": {"personal_id": message},
    }
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_create_in_an_unknown_commune_is_400(api):
    response = api.post(
        "/api/v1/persons",
        {
            "full_name": "Nguyễn Thị Lan",
            "birth_date": "31/02/1950",
            "sex": "F",
            "commune": "99999",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"birth_date", "commune"}
    assert Person.objects.count() == 0


def test_create_in_another_commune_is_403(api, neighbour):
    response = api.post(
        "/api/v1/persons",
        {
            "full_name": "Nguyễn Thị Lan",
            "birth_date": "1950",
            "sex": "F",
            "commune": "00002",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert Person.objects.count() == 0


def test_an_auditor_reads_but_cannot_create(client, auditor, commune):
    client.force_login(auditor)
    mine = make_person(commune=commune)
    assert client.get(f"/api/v1/persons/{mine.pk}").status_code == 200
    response = client.post(
        "/api/v1/persons",
        {
            "full_name": "Nguyễn Thị Lan",
            "birth_date": "1950",
            "sex": "F",
            "commune": "00001",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Person.objects.count() == 1
