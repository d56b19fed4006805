"""/api/v1/dossiers: list (scoped, by status and overdue), detail, receive (desk/post), move;
errors {code, message, fields}; another commune's dossier is a 404 like a missing id."""

import datetime as dt
import json

import pytest

from ansinh.accounts.models import Role
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Dossier, DossierEvent, Status
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, form04, population_with
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_anonymous_is_refused(client, office):
    assert client.get("/api/v1/dossiers").status_code == 401


def test_the_officer_receives_at_the_desk_and_moves_the_dossier(client, office, today):
    person = elder(office)
    population_with(person)
    client.force_login(office.officer)
    response = post(
        client,
        "/api/v1/dossiers",
        {
            "form": "01",
            "channel": "post",
            "commune": "00001",
            "benefit": "monthly_allowance",
            "subject_personal_id": ELDER_ID,
            "subject_name": "Hoàng Văn Thụ",
            "postmark_date": "2026-10-30",
            "form_data": {"no_supporter": True},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get()
    assert (
        body["id"],
        body["code"],
        body["channel"],
        body["status"],
        body["received_on"],
        body["deadline"],
    ) == (
        dossier.pk,
        dossier.code,
        "post",
        "received",
        "2026-10-30",
        "2026-11-10",  # Fri 30 Oct + 7 wd under Decree 335
    )
    assert body["allowed_actions"] == ["start_check", "withdraw"]
    assert {c["kind"] for c in body["checks"]} >= {"registry", "identity", "death"}
    moved = post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "start_check"})
    assert moved.status_code == 200 and moved.json()["status"] == "checking"
    assert moved.json()["events"][-1]["action"] == "start_check"
    # The officer may not grant: 403 in the shared error shape, nothing written.
    refused = post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "grant"})
    assert refused.status_code == 403
    assert set(refused.json()) == {"code", "message", "fields"} and refused.json()["fields"] == {
        "action": "Vai trò này không được thực hiện thao tác này."
    }
    # Propose without an outcome: 400 naming the field.
    bad = post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "propose"})
    assert bad.status_code == 400 and "outcome" in bad.json()["fields"]
    dossier.refresh_from_db()
    assert dossier.status == Status.CHECKING and DossierEvent.objects.filter(dossier=dossier).count() == 2


def test_bad_input_names_the_field_and_writes_nothing(client, office):
    client.force_login(office.officer)
    response = post(client, "/api/v1/dossiers", {"form": "01", "commune": "99999", "subject_name": ""})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"commune", "subject_personal_id", "subject_name"} <= set(fields)
    online = post(client, "/api/v1/dossiers", {"form": "01", "channel": "online"})
    assert online.status_code == 400 and "channel" in online.json()["fields"]
    assert Dossier.objects.count() == 0


def test_list_filters_by_status_and_overdue_and_is_scoped(client, office, today):
    person = elder(office)
    population_with(person)
    late = form01(office, person)  # received Mon 2 Nov, due 11 Nov
    waiting = form04(office, elder(office, personal_id="001046000322"))  # commune step due 5 Nov
    today(dt.date(2026, 11, 6))
    fresh = form01(office, elder(office, personal_id="001046000323"))
    client.force_login(office.officer)
    everything = client.get("/api/v1/dossiers").json()
    assert [d["code"] for d in everything] == [waiting.code, late.code, fresh.code]
    overdue = client.get("/api/v1/dossiers?overdue=true").json()
    assert [(d["code"], d["overdue"], d["step_deadline"]) for d in overdue] == [
        (waiting.code, True, "2026-11-05")
    ]
    due = client.get("/api/v1/dossiers?overdue=false&form=01").json()
    assert [d["code"] for d in due] == [late.code, fresh.code]
    assert client.get("/api/v1/dossiers?status=checking").json() == []
    assert [d["code"] for d in client.get("/api/v1/dossiers?status=received&limit=1&offset=1").json()] == [
        late.code
    ]
    bad = client.get("/api/v1/dossiers?status=done")
    assert bad.status_code == 400 and "status" in bad.json()["fields"]
    # Another commune sees none of them; the province sees all three.
    other = Office("00002")
    client.force_login(other.officer)
    assert client.get("/api/v1/dossiers").json() == []
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province))
    assert len(client.get("/api/v1/dossiers").json()) == 3


def test_another_commune_gets_404_like_a_missing_id_and_nothing_moves(client, office):
    person = elder(office)
    dossier = form01(office, person)
    other = Office("00002")
    client.force_login(other.officer)
    foreign = client.get(f"/api/v1/dossiers/{dossier.pk}")
    missing = client.get("/api/v1/dossiers/2000000000")
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    moved = post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "start_check"})
    assert (
        moved.status_code == 404
        and moved.json()
        == post(client, "/api/v1/dossiers/2000000000/transition", {"action": "start_check"}).json()
    )
    client.force_login(other.chairman)
    assert client.get(f"/api/v1/dossiers/{dossier.pk}").status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_form_04_is_admitted_through_the_api(client, office, today):
    person = elder(office)
    population_with(person)
    dossier = form04(office, person)
    client.force_login(office.officer)
    post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "start_check"})
    post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "propose", "outcome": "grant"})
    client.force_login(office.chairman)
    forwarded = post(client, f"/api/v1/dossiers/{dossier.pk}/transition", {"action": "forward"}).json()
    assert (forwarded["status"], forwarded["forwarded_on"], forwarded["facility_deadline"]) == (
        "forwarded",
        "2026-11-02",
        "2026-11-04",
    )
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province))
    assert client.get("/api/v1/dossiers?status=forwarded").json()[0]["code"] == dossier.code
    admitted = post(
        client,
        f"/api/v1/dossiers/{dossier.pk}/transition",
        {
            "action": "admit",
            "admission_date": "2026-11-03",
            "facility_name": "Trung tâm Bảo trợ xã hội tỉnh",
            "signer_name": "Lê Thị Hoa",
        },
    ).json()
    assert (admitted["status"], admitted["admission_date"], admitted["facility_name"]) == (
        "granted",
        "2026-11-03",
        "Trung tâm Bảo trợ xã hội tỉnh",
    )
    assert Dossier.objects.get(pk=dossier.pk).admission_signer == "Lê Thị Hoa"
