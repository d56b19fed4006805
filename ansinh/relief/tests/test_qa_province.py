"""QA report of the province walkthrough (/work/notes/qa_province.md): §8 the event total counts
one event, §9 the auditor sees no write form and every refused post says why, §12 the field
entry's villages are grouped by commune."""

import re
import uuid

import pytest
from django.contrib.messages import get_messages

from ansinh.accounts.models import Role
from ansinh.accounts.scope import READ_ONLY_MESSAGE
from ansinh.core.models import AuditEvent
from ansinh.registry.tests.factories import make_user, make_village
from ansinh.relief.models import AffectedHousehold, Event
from ansinh.relief.services import event_create
from ansinh.relief.tests.scenario import FLOOD_DAY, register


@pytest.fixture
def storm(w):
    """One event striking both communes, each with a "Tổ dân phố 3", a household hit in each."""
    make_village(w.commune_b, "Tổ dân phố 3")
    event = event_create(
        actor=w.province_officer,
        kind="disaster",
        name="Bão số 5",
        occurred_on=FLOOD_DAY,
        communes=[w.commune_a, w.commune_b],
    )
    register(w, event=event, actor=w.officer_a, commune=w.commune_a, size=3, food_shortage=True)
    register(w, event=event, actor=w.officer_b, commune=w.commune_b, size=2, food_shortage=True)
    return event


@pytest.fixture
def auditor(w):
    return make_user(username="thanh_tra", role=Role.AUDITOR, province=w.commune_a.province)


# --- §8 ------------------------------------------------------------------------------------------


def test_helped_in_time_of_one_event_over_two_communes_counts_one_event(client, w, storm):
    client.force_login(w.province_officer)
    body = client.get(f"/api/v1/relief/events/{storm.pk}/helped-in-time").json()
    assert [r["events"] for r in body["communes"]] == [1, 1]
    assert body["total"]["events"] == 1
    assert body["total"]["households"] == 2


# --- §9 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/cuu-tro/dot/moi/", "/cuu-tro/dot/{event}/ghi-nhanh/"])
def test_the_auditor_sees_a_read_only_notice_instead_of_the_form(client, storm, auditor, page):
    client.force_login(auditor)
    response = client.get(page.format(event=storm.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="read-only"' in html and READ_ONLY_MESSAGE in html
    assert 'method="post"' not in html.replace('action="/dang-xuat/"', "").split("<main", 1)[1]


def test_the_officer_still_gets_the_forms(client, w, storm):
    client.force_login(w.officer_a)
    for page in ("/cuu-tro/dot/moi/", f"/cuu-tro/dot/{storm.pk}/ghi-nhanh/"):
        html = client.get(page).content.decode()
        assert 'data-testid="read-only"' not in html and 'class="stacked"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/cuu-tro/kho/",
        "/cuu-tro/thoi-han/",
        "/cuu-tro/dot/{event}/de-nghi/",
        "/cuu-tro/dot/{event}/ung-ho/",
        "/cuu-tro/dot/moi/",
        "/cuu-tro/dot/{event}/ghi-nhanh/",
        "/cuu-tro/dot/{event}/de-xuat/",
        "/cuu-tro/dot/{event}/quyet-dinh/",
        "/cuu-tro/ho/{affected}/de-xuat/",
        "/cuu-tro/ho/{affected}/quyet-dinh/",
        "/cuu-tro/ho/{affected}/cap-phat/",
    ],
)
def test_every_refused_post_of_the_auditor_shows_the_read_only_message(client, storm, auditor, url):
    affected = AffectedHousehold.objects.filter(event=storm).first()
    client.force_login(auditor)
    before = (AuditEvent.objects.count(), Event.objects.count(), AffectedHousehold.objects.count())
    response = client.post(
        url.format(event=storm.pk, affected=affected.pk),
        {
            "commune": "00004",
            "item": "gao",
            "quantity": "10",
            "head_name": "X",
            "size": "2",
            "client_uuid": str(uuid.uuid4()),
            "name": "Đợt",
            "kind": "fire",
            "occurred_on": "08/09/2026",
            "communes": ["00004"],
            "rice_kg": "10",
            "reason": "thiếu",
            "days": "5",
            "valid_from": "01/01/2026",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert READ_ONLY_MESSAGE in [m.message for m in get_messages(response.wsgi_request)] or (
        READ_ONLY_MESSAGE in response.content.decode()
    )
    assert READ_ONLY_MESSAGE in response.content.decode()
    assert (AuditEvent.objects.count(), Event.objects.count(), AffectedHousehold.objects.count()) == before


# --- §12 -----------------------------------------------------------------------------------------


def test_field_entry_groups_the_villages_under_their_commune(client, w, storm):
    client.force_login(w.province_officer)
    html = client.get(f"/cuu-tro/dot/{storm.pk}/ghi-nhanh/").content.decode()
    select = re.search(r'<select name="village".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["Phường Ba Đình", "Phường Ngọc Hà"]
    assert "Tổ dân phố 3" in groups[0][1] and "Tổ dân phố 4" in groups[0][1]
    assert "Tổ dân phố 3" in groups[1][1] and "Tổ dân phố 4" not in groups[1][1]


def test_a_village_of_the_other_commune_is_still_refused(client, w, storm):
    village_b = w.commune_b.villages.get(name="Tổ dân phố 3")
    client.force_login(w.province_officer)
    response = client.post(
        f"/cuu-tro/dot/{storm.pk}/ghi-nhanh/",
        {
            "client_uuid": str(uuid.uuid4()),
            "commune": w.commune_a.pk,
            "village": village_b.pk,
            "head_name": "Lê Văn Sáu",
            "size": "2",
            "house_damage": "none",
        },
    )
    assert response.status_code == 400
    assert "Thôn không thuộc xã đã chọn" in response.content.decode()
