"""/api/v1/relief over HTTP with the session the API uses: events, affected households with their
support and the help received, the "helped in time" figure of an event, and registering a
household from the field. Another commune's event or household is a 404 exactly like a missing
id; the figures are the selectors' own; bad input is a 400 naming the field, and writes nothing."""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.core.models import AuditEvent
from ansinh.relief.models import AffectedHousehold, Support
from ansinh.relief.selectors import helped_in_time_for_event, household_times, total
from ansinh.relief.tests.scenario import register
from ansinh.relief.tests.test_helped_in_time import build

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "code": "not_found",
    "message": "Không tìm thấy hồ sơ này trong địa bàn bạn quản lý.",
    "fields": {},
}
API = "/api/v1/relief"


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def written():
    return AffectedHousehold.objects.count(), AuditEvent.objects.count()


def test_anonymous_is_refused(client, w):
    response = client.get(f"{API}/events")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_each_user_lists_the_events_of_their_area(client, w):
    assert [e["name"] for e in as_user(client, w.officer_a).get(f"{API}/events").json()] == [
        "Lũ lụt tháng 9/2026"
    ]
    assert [e["name"] for e in as_user(client, w.officer_b).get(f"{API}/events").json()] == [
        "Cháy chợ Ngọc Hà"
    ]
    client = as_user(client, w.province_officer)
    assert {e["id"] for e in client.get(f"{API}/events").json()} == {w.flood.pk, w.event_b.pk}
    (fire,) = client.get(f"{API}/events", {"kind": "fire"}).json()
    assert fire == {
        "id": w.event_b.pk,
        "kind": "fire",
        "kind_label": "Hỏa hoạn",
        "name": "Cháy chợ Ngọc Hà",
        "occurred_on": "2026-09-08",
        "province_code": "01",
        "deadline_days": 7,
        "deadline_basis": w.event_b.deadline_basis,
        "rice_months": w.event_b.rice_months,
        "description": "",
    }
    assert client.get(f"{API}/events", {"date_from": "2026-10-01"}).json() == []


def test_a_bad_filter_is_a_400_in_vietnamese(client, w):
    client = as_user(client, w.officer_a)
    bad_kind = client.get(f"{API}/events", {"kind": "lu"})
    assert bad_kind.status_code == 400
    assert bad_kind.json()["fields"] == {
        "kind": "Loại đợt “lu” không có: dùng một trong disaster, fire, crop_failure, lean_season, tet, other."
    }
    bad_date = client.get(f"{API}/events", {"date_from": "08/09/2026"})
    assert bad_date.status_code == 400
    assert bad_date.json()["fields"] == {
        "date_from": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ISO) trong API."
    }
    bad_limit = client.get(f"{API}/events/{w.flood.pk}/households", {"limit": 0})
    assert bad_limit.status_code == 400 and "limit" in bad_limit.json()["fields"]


def test_the_event_shows_only_the_communes_and_villages_of_the_area(client, w):
    body = as_user(client, w.officer_a).get(f"{API}/events/{w.flood.pk}").json()
    assert body["communes"] == [{"code": "00004", "name": "Phường Ba Đình"}]
    assert [(v["name"], v["commune_code"]) for v in body["villages"]] == [
        ("Tổ dân phố 3", "00004"),
        ("Tổ dân phố 4", "00004"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/events/{event_b}",
        "/events/{event_b}/households",
        "/events/{event_b}/helped-in-time",
        "/households/{affected_b}",
    ],
)
def test_another_commune_s_event_or_household_is_a_404_like_a_missing_id(client, w, url):
    affected_b, _ = register(w, event=w.event_b, actor=w.officer_b, commune=w.commune_b, size=2)
    client = as_user(client, w.officer_a)
    foreign = client.get(API + url.format(event_b=w.event_b.pk, affected_b=affected_b.pk))
    missing = client.get(API + url.format(event_b=2_000_000_000, affected_b=2_000_000_000))
    assert (foreign.status_code, foreign.json()) == (404, NOT_FOUND)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_the_households_carry_the_support_decided_and_the_help_received(client, w):
    on_time, late, waiting, refused = build(w)
    rows = {
        r["id"]: r for r in as_user(client, w.officer_a).get(f"{API}/events/{w.flood.pk}/households").json()
    }
    assert len(rows) == 5  # with the household the law gives nothing
    times = household_times(w.flood)
    for pk, row in rows.items():
        time = times[pk]
        assert row["help"] == {
            "deadline": time.deadline.isoformat(),
            "helped_on": time.helped_on and time.helped_on.isoformat(),
            "days": time.days,
            "status": time.status,
            "label": time.label,
        }
    row = rows[on_time.pk]
    support = Support.objects.get(affected=on_time)
    assert (row["head_name"], row["size"], row["food_shortage"], row["commune_name"]) == (
        "Hộ Kịp",
        4,
        True,
        "Phường Ba Đình",
    )
    assert {
        k: row["support"][k] for k in ("status", "rice_kg", "cash_amount", "decision_number", "decided_on")
    } == {
        "status": "decided",
        "rice_kg": support.rice_kg,
        "cash_amount": support.cash_amount,
        "decision_number": "9/QĐ-UBND",
        "decided_on": "2026-09-08",
    }
    assert [(line["kind"], line["item_code"], line["quantity"]) for line in row["support"]["lines"]] == list(
        support.lines.values_list("kind", "item__code", "quantity")
    )
    assert [(d["kind"], d["quantity"], d["received_on"], d["signed"]) for d in row["distributions"]] == [
        ("rice", 15, "2026-09-10", True)
    ]
    assert (row["help"]["status"], row["help"]["days"]) == ("in_time", 2)
    assert rows[refused.pk]["support"]["status"] == "refused"
    assert rows[refused.pk]["support"]["refusal_reason"] == "Đã được họ hàng cưu mang"
    assert rows[waiting.pk]["distributions"] == []
    assert rows[late.pk]["help"]["status"] == "late"
    # One household alone is the same row as in the list.
    assert client.get(f"{API}/households/{on_time.pk}").json() == row
    # Another commune's code lists nothing rather than its households.
    assert client.get(f"{API}/events/{w.flood.pk}/households", {"commune": "00008"}).json() == []


def test_the_household_list_costs_the_same_queries_for_more_households(client, w):
    build(w)
    client = as_user(client, w.officer_a)
    url = f"{API}/events/{w.flood.pk}/households"
    client.get(url)  # the session warmed up
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()) == 5
    for name in ("Hộ Thêm Một", "Hộ Thêm Hai", "Hộ Thêm Ba"):
        register(w, head_name=name, size=2, food_shortage=True)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(url).json()) == 8
    assert len(more) == len(few)


def test_helped_in_time_of_an_event_is_the_selector_s_figure(client, w):
    build(w)
    as_of = dt.date(2026, 11, 22)
    body = (
        as_user(client, w.officer_a)
        .get(f"{API}/events/{w.flood.pk}/helped-in-time", {"as_of": "2026-11-22"})
        .json()
    )
    rows = helped_in_time_for_event(w.flood, w.officer_a, as_of=as_of)
    expected = total(rows)
    assert body["as_of"] == "2026-11-22" and body["event_id"] == w.flood.pk
    # The selector's row field for field, with its two rates.
    assert body["total"] == {
        **vars(expected),
        "rate": str(expected.rate),
        "persons_rate": str(expected.persons_rate),
    }
    assert body["communes"] == [
        {**vars(r), "rate": str(r.rate), "persons_rate": str(r.persons_rate)} for r in rows
    ]
    # The figures worked out by hand in test_helped_in_time.py.
    assert (body["total"]["households"], body["total"]["helped_in_time"], body["total"]["rate"]) == (
        3,
        1,
        "33.3",
    )
    assert [r["commune_code"] for r in body["communes"]] == ["00004"]
    bad = client.get(f"{API}/events/{w.flood.pk}/helped-in-time", {"as_of": "22/11/2026"})
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"as_of": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ISO) trong API."}


def _entry(w, **fields):
    return {
        "client_uuid": str(uuid.uuid4()),
        "commune": "00004",
        "village": w.village_a.pk,
        "head_name": "lê thị hoa",
        "head_personal_id": "001080000456",
        "size": 3,
        "house_damage": "collapsed",
        "food_shortage": True,
        "persons": [{"full_name": "Lê Văn Tư", "outcome": "injured", "treatment_days": 5}],
        "recorded_at": "2026-09-09T07:30:00+07:00",
        **fields,
    }


def test_a_household_registered_from_the_field_is_recorded_once(client, w):
    client = as_user(client, w.officer_a)
    entry = _entry(w)
    url = f"{API}/events/{w.flood.pk}/households"
    first = post(client, url, entry)
    assert first.status_code == 201, first.content
    body = first.json()
    affected = AffectedHousehold.objects.get(client_uuid=entry["client_uuid"])
    assert (body["id"], body["head_name"], body["village_name"], body["house_damage_label"]) == (
        affected.pk,
        "Lê Thị Hoa",
        "Tổ dân phố 3",
        "Nhà bị đổ, sập, trôi, cháy hoàn toàn, không còn nơi ở",
    )
    assert [(p["full_name"], p["outcome"], p["treatment_days"]) for p in body["persons"]] == [
        ("Lê Văn Tư", "injured", 5)
    ]
    assert body["support"] is None and body["distributions"] == []
    assert body["help"]["status"] == "overdue"  # needs help, nothing received, past 15/09/2026
    assert body["recorded_at"].startswith("2026-09-09T00:30:00")  # stored in UTC
    assert (
        AuditEvent.objects.filter(action="relief.affected_register", entity_id=str(affected.pk)).count() == 1
    )
    # The phone sends it again (the answer was lost): the same household, nothing written.
    before = written()
    again = post(client, url, entry)
    assert (again.status_code, again.json()) == (200, body)
    assert written() == before


def test_a_bad_entry_is_a_400_naming_the_field_and_writes_nothing(client, w):
    client = as_user(client, w.officer_a)
    url = f"{API}/events/{w.flood.pk}/households"
    before = written()
    not_a_number = post(client, url, _entry(w, size="bốn"))
    assert not_a_number.status_code == 400
    assert not_a_number.json()["fields"] == {"size": "Phải là một số."}
    no_name = post(client, url, _entry(w, head_name=""))
    assert no_name.status_code == 400
    assert no_name.json() == {
        "code": "invalid_input",
        "message": "Chưa nhập họ và tên chủ hộ.",
        "fields": {"head_name": "Chưa nhập họ và tên chủ hộ."},
    }
    other_commune = post(client, url, _entry(w, commune="00008"))
    assert other_commune.status_code == 400 and "commune" in other_commune.json()["fields"]
    assert written() == before


def test_outside_the_area_or_without_the_role_nothing_is_registered(client, w):
    before = written()
    foreign = post(as_user(client, w.officer_b), f"{API}/events/{w.flood.pk}/households", _entry(w))
    assert (foreign.status_code, foreign.json()) == (404, NOT_FOUND)
    chairman = post(as_user(client, w.chairman_a), f"{API}/events/{w.flood.pk}/households", _entry(w))
    assert chairman.status_code == 403 and chairman.json()["code"] == "not_allowed"
    assert "Chỉ công chức văn hóa - xã hội cấp xã" in chairman.json()["message"]
    assert written() == before
