"""The relief pages: every page renders, the phone's sync endpoint records an entry once, bad
input comes back beside its field with nothing written, and every id URL is area-scoped."""

import datetime as dt
import json
import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver

from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.relief.models import AffectedHousehold, Distribution, StockBalance, Support
from ansinh.relief.services import resource_request, stock_receive, support_decide, support_propose
from ansinh.relief.tests.scenario import FLOOD_DAY, register

DAY_AFTER = FLOOD_DAY + dt.timedelta(days=1)


def state():
    return (
        AuditEvent.objects.count(),
        AffectedHousehold.objects.count(),
        list(Support.objects.order_by("pk").values_list("pk", "status")),
        Distribution.objects.count(),
        list(StockBalance.objects.order_by("pk").values_list("pk", "quantity")),
    )


def sync(client, entries):
    return client.post(
        "/cuu-tro/dong-bo/", data=json.dumps({"entries": entries}), content_type="application/json"
    )


def entry(w, **fields):
    return {
        "uuid": str(uuid.uuid4()),
        "event": w.flood.pk,
        "commune": w.commune_a.pk,
        "head_name": "Vũ Thị Mơ",
        "size": "3",
        "food_shortage": True,
        "house_damage": "severe_damage",
        "persons": [{"full_name": "Vũ Văn Tèo", "outcome": "injured", "treatment_days": "4"}],
        "recorded_at": "2026-09-08T08:30:00Z",
        **fields,
    }


def test_an_offline_entry_sent_twice_through_the_endpoint_is_recorded_once(client, w):
    client.force_login(w.officer_a)
    item = entry(w)
    first = sync(client, [item]).json()["results"]
    second = sync(client, [item, item]).json()["results"]
    assert first[0]["status"] == "created"
    assert [r["status"] for r in second] == ["duplicate", "duplicate"]
    assert {r["id"] for r in first + second} == {AffectedHousehold.objects.get().pk}
    affected = AffectedHousehold.objects.get(client_uuid=item["uuid"])
    assert (affected.size, affected.house_damage, affected.persons.get().treatment_days) == (
        3,
        "severe_damage",
        4,
    )


def test_the_endpoint_answers_errors_per_entry_and_keeps_going(client, w):
    client.force_login(w.officer_a)
    results = sync(
        client, [entry(w, size="0"), entry(w, event=w.event_b.pk), entry(w, head_name="Đào Văn Út")]
    ).json()["results"]
    assert [r["status"] for r in results] == ["error", "error", "created"]
    assert "Số nhân khẩu" in results[0]["fields"]["size"]
    assert results[1]["message"] == "Không tìm thấy đợt cứu trợ này trong địa bàn của bạn."
    assert AffectedHousehold.objects.count() == 1


def test_the_field_form_also_works_without_javascript(client, w):
    client.force_login(w.officer_a)
    page = client.get(f"/cuu-tro/dot/{w.flood.pk}/ghi-nhanh/")
    assert page.status_code == 200
    assert b"relief/field.js" in page.content
    key = str(uuid.uuid4())
    body = {
        "client_uuid": key,
        "commune": w.commune_a.pk,
        "head_name": "lê thị hoa",
        "size": "2",
        "food_shortage": "on",
        "house_damage": "none",
        "injured_names": "Lê Văn Tư; 6\n",
        "killed_names": "",
    }
    assert client.post(f"/cuu-tro/dot/{w.flood.pk}/ghi-nhanh/", body).status_code == 302
    assert client.post(f"/cuu-tro/dot/{w.flood.pk}/ghi-nhanh/", body).status_code == 302  # double submit
    affected = AffectedHousehold.objects.get()
    assert (affected.head_name, affected.persons.get().treatment_days) == ("Lê Thị Hoa", 6)
    bad = client.post(
        f"/cuu-tro/dot/{w.flood.pk}/ghi-nhanh/",
        {**body, "client_uuid": str(uuid.uuid4()), "commune": w.commune_b.pk},
    )
    assert bad.status_code == 400
    assert "không nằm trong vùng bị ảnh hưởng" in bad.content.decode()


def test_a_distribution_above_the_decision_comes_back_beside_the_field(client, w):
    affected, _ = register(w, size=2, food_shortage=True)
    (support,) = support_propose(actor=w.officer_a, event=w.flood)
    support_decide(actor=w.chairman_a, supports=[support], decision_number="5/QĐ-UBND", decided_on=DAY_AFTER)
    stock_receive(
        actor=w.officer_a,
        commune=w.commune_a,
        item="gao",
        quantity=500,
        source="local",
        received_on=FLOOD_DAY,
    )
    client.force_login(w.officer_a)
    before = state()
    response = client.post(
        f"/cuu-tro/ho/{affected.pk}/cap-phat/",
        {"kind": "rice", "quantity": "100", "received_on": "09/09/2026", "signed": "on"},
    )
    assert response.status_code == 400
    assert "vượt mức đã quyết định: quyết định 90 kg" in response.content.decode()
    assert state() == before
    ok = client.post(
        f"/cuu-tro/ho/{affected.pk}/cap-phat/",
        {"kind": "rice", "quantity": "90", "received_on": "09/09/2026", "signed": "on"},
    )
    assert ok.status_code == 302
    assert StockBalance.objects.get().quantity == 410


def test_every_page_renders_for_the_commune_and_the_province(client, w):
    affected, _ = register(w, size=2, food_shortage=True)
    support_propose(actor=w.officer_a, event=w.flood)
    request = resource_request(
        actor=w.officer_a, event=w.flood, commune=w.commune_a, rice_kg=10, reason="Thiếu gạo"
    )
    for user in (w.officer_a, w.chairman_a, w.province_officer):
        client.force_login(user)
        for url in (
            "/cuu-tro/",
            "/cuu-tro/dot/moi/",
            f"/cuu-tro/dot/{w.flood.pk}/",
            f"/cuu-tro/dot/{w.flood.pk}/ghi-nhanh/",
            f"/cuu-tro/dot/{w.flood.pk}/chon-ho/?q=an",
            f"/cuu-tro/dot/{w.flood.pk}/ky-nhan/",
            f"/cuu-tro/dot/{w.flood.pk}/ung-ho/",
            f"/cuu-tro/ho/{affected.pk}/",
            f"/cuu-tro/de-nghi/{request.pk}/",
            "/cuu-tro/kho/",
            "/cuu-tro/thoi-han/",
        ):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
    client.force_login(w.officer_a)
    picked = client.get(f"/cuu-tro/dot/{w.flood.pk}/chon-ho/?q=nguyen van an").content.decode()
    assert "Nguyễn Văn An" in picked and "Trần Văn Bảy" not in picked


def test_the_province_sets_the_deadline_the_next_events_use(client, w):
    client.force_login(w.province_officer)
    response = client.post(
        "/cuu-tro/thoi-han/",
        {"days": "5", "valid_from": "01/09/2026", "legal_basis": "Quyết định 12/QĐ-UBND tỉnh"},
    )
    assert response.status_code == 302
    client.force_login(w.officer_a)
    assert client.post("/cuu-tro/thoi-han/", {"days": "30", "valid_from": "01/09/2026"}).status_code == 400
    response = client.post(
        "/cuu-tro/dot/moi/",
        {"kind": "fire", "name": "Cháy nhà", "occurred_on": "10/09/2026", "communes": [w.commune_a.pk]},
    )
    assert response.status_code == 302
    from ansinh.relief.models import Event

    event = Event.objects.get(name="Cháy nhà")
    assert (event.deadline_days, event.deadline_basis, event.rice_months) == (
        5,
        "Quyết định 12/QĐ-UBND tỉnh",
        3,
    )
    assert w.flood.deadline_days == 7  # recorded before: keeps the default


# --- area scoping: every relief route with an id ------------------------------------------------

_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


def _relief_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _relief_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif prefix.startswith("cuu-tro/") and _PARAM.search(str(pattern.pattern)):
            yield prefix + str(pattern.pattern)


ROUTES = sorted(set(_relief_routes()))


def test_the_walk_finds_every_relief_id_route():
    assert len(ROUTES) == 14
    assert {m["name"] for r in ROUTES for m in _PARAM.finditer(r)} == {
        "event_id",
        "affected_id",
        "request_id",
    }


@pytest.mark.parametrize("role", ["officer_a", "chairman_a"])
@pytest.mark.parametrize("route", ROUTES)
def test_another_communes_object_is_a_404_on_every_relief_route(client, w, route, role):
    affected_b, _ = register(w, event=w.event_b, actor=w.officer_b, commune=w.commune_b, food_shortage=True)
    request_b = resource_request(
        actor=w.officer_b, event=w.event_b, commune=w.commune_b, rice_kg=10, reason="Thiếu gạo"
    )
    ids = {"event_id": w.event_b.pk, "affected_id": affected_b.pk, "request_id": request_b.pk}
    client.force_login(getattr(w, role))
    foreign = "/" + _PARAM.sub(lambda m: str(ids[m["name"]]), route)
    missing = "/" + _PARAM.sub("2000000000", route)
    before = state()
    body = {
        "kind": "rice",
        "quantity": "1",
        "received_on": "09/09/2026",
        "signed": "on",
        "decision_number": "1/QĐ",
        "decided_on": "09/09/2026",
        "commune": w.commune_b.pk,
        "head_name": "X",
        "size": "1",
        "client_uuid": str(uuid.uuid4()),
        "rice_kg": "1",
        "reason": "x",
        "granted_rice_kg": "1",
        "what": "receipt",
        "donor_name": "X",
        "donor_kind": "individual",
        "item": "gao",
        "on": "09/09/2026",
    }
    answered = set()
    for method in ("get", "post"):
        got = getattr(client, method)(foreign, body) if method == "post" else client.get(foreign)
        gone = getattr(client, method)(missing, body) if method == "post" else client.get(missing)
        assert got.status_code == gone.status_code, (method, foreign)
        assert got.status_code in (404, 405), (method, foreign, got.status_code)
        answered.add(got.status_code)
    assert 404 in answered
    assert state() == before


def test_a_short_commune_asks_and_the_province_answers_on_the_pages(client, w):
    affected, _ = register(w, size=4, food_shortage=True)
    (support,) = support_propose(actor=w.officer_a, event=w.flood)
    support_decide(actor=w.chairman_a, supports=[support], decision_number="5/QĐ-UBND", decided_on=DAY_AFTER)
    client.force_login(w.officer_a)
    page = client.get(f"/cuu-tro/dot/{w.flood.pk}/")
    assert page.context["request_form"].initial == {"commune": "00004", "rice_kg": 180, "cash_amount": ""}
    body = {
        "commune": "00004",
        "level": "province",
        "rice_kg": "180",
        "cash_amount": "",
        "reason": "Kho xã hết gạo",
    }
    assert client.post(f"/cuu-tro/dot/{w.flood.pk}/de-nghi/", body).status_code == 302
    client.force_login(w.province_officer)
    listed = client.get("/cuu-tro/")
    (waiting,) = listed.context["waiting"]
    answer = {
        "granted_rice_kg": "180",
        "granted_cash": "0",
        "decided_on": "10/09/2026",
        "answer": "Xuất kho tỉnh",
    }
    assert client.post(f"/cuu-tro/de-nghi/{waiting.pk}/", answer).status_code == 302
    assert StockBalance.objects.get(commune=w.commune_a, item__code="gao").quantity == 180
    assert client.get("/cuu-tro/").context["waiting"] == []


def test_donations_are_recorded_and_reported_on_the_event_page(client, w):
    client.force_login(w.officer_a)
    url = f"/cuu-tro/dot/{w.flood.pk}/ung-ho/"
    pledge = {
        "what": "pledge",
        "commune": "00004",
        "donor_name": "Hội Chữ thập đỏ",
        "donor_kind": "organisation",
        "item": "mi_tom",
        "quantity": "50",
        "on": "09/09/2026",
    }
    assert client.post(url, pledge).status_code == 302
    bad = client.post(url, {**pledge, "what": "receipt", "quantity": "", "donor_name": ""})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"quantity", "donor_name"}
    assert client.post(url, {**pledge, "what": "receipt", "quantity": "30"}).status_code == 302
    report = client.get(url).context["report"]
    assert [(r["item__code"], r["pledged"], r["total"]) for r in report["by_item"]] == [("mi_tom", 50, 30)]


def test_a_tampered_support_id_is_refused_beside_the_field_not_a_500(client, w):
    affected, _ = register(w)
    support_propose(actor=w.officer_a, event=w.flood)
    client.force_login(w.chairman_a)
    for value in ("", "abc"):
        response = client.post(
            f"/cuu-tro/dot/{w.flood.pk}/quyet-dinh/", {"support": value, "decision_number": "45/QĐ-UBND"}
        )
        assert response.status_code == 400  # refused, not a 500
    with pytest.raises(InvalidInput) as error:
        support_decide(actor=w.chairman_a, supports=["abc"], decision_number="45/QĐ-UBND")
    assert "supports" in error.value.fields
    assert not Support.objects.exclude(status="proposed").exists()


def test_a_household_needing_nothing_is_not_offered_for_a_proposal(client, w):
    register(w, size=3, food_shortage=True)
    register(w, head_name="Hộ Không Thiệt Hại", size=2)  # no damage, no shortage: the law gives nothing
    client.force_login(w.officer_a)
    page = client.get(f"/cuu-tro/dot/{w.flood.pk}/")
    assert page.context["unproposed"] == 1
    client.post(f"/cuu-tro/dot/{w.flood.pk}/de-xuat/")
    after = client.get(f"/cuu-tro/dot/{w.flood.pk}/")
    assert after.context["unproposed"] == 0 and 'data-testid="propose-all"' not in after.content.decode()
    # Asked again anyway: no "0 hộ" success.
    again = client.post(f"/cuu-tro/dot/{w.flood.pk}/de-xuat/", follow=True)
    assert "Không có hộ nào cần lập đề xuất" in again.content.decode()
