"""The relief flow through its services: register (idempotent), propose, decide (maker-checker),
distribute out of the stock, escalate to the province, donations; and the refusals, each naming
the field and writing nothing."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.relief.models import (
    AffectedHousehold,
    AffectedPerson,
    Distribution,
    StockBalance,
    StockItem,
    StockMovement,
    Support,
)
from ansinh.relief.selectors import donations_report, needs_and_means
from ansinh.relief.services import (
    distribution_record,
    donation_receive,
    pledge_record,
    resource_request,
    resource_request_decide,
    stock_receive,
    support_decide,
    support_propose,
)
from ansinh.relief.tests.scenario import FLOOD_DAY, injured, register

DAY_AFTER = FLOOD_DAY + dt.timedelta(days=2)


def state():
    """Everything a refused call could have written."""
    return (
        AuditEvent.objects.count(),
        AffectedHousehold.objects.count(),
        AffectedPerson.objects.count(),
        list(Support.objects.order_by("pk").values_list("pk", "status")),
        Distribution.objects.count(),
        StockMovement.objects.count(),
        list(StockBalance.objects.order_by("pk").values_list("pk", "quantity")),
    )


def decided(w, **fields):
    """A household of the flood with a decided support."""
    affected, _ = register(w, **fields)
    (support,) = support_propose(actor=w.officer_a, event=w.flood, affected_ids=[affected.pk])
    support_decide(actor=w.chairman_a, supports=[support], decision_number="45/QĐ-UBND", decided_on=DAY_AFTER)
    support.refresh_from_db()
    return affected, support


def stock(w, code, quantity, commune=None):
    return stock_receive(
        actor=w.officer_a,
        commune=commune or w.commune_a,
        item=code,
        quantity=quantity,
        source="local",
        received_on=FLOOD_DAY,
    )


# --- registration ----------------------------------------------------------------------------


def test_an_offline_entry_synced_twice_is_recorded_once(w):
    key = uuid.uuid4()
    first, created = register(w, client_uuid=key, persons=[injured("Lê Văn Tư", 4)])
    audits = AuditEvent.objects.count()
    again, created_again = register(w, client_uuid=str(key), persons=[injured("Lê Văn Tư", 4)])
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert AffectedHousehold.objects.filter(client_uuid=key).count() == 1
    assert AffectedPerson.objects.filter(affected=first).count() == 1
    assert AuditEvent.objects.count() == audits


def test_the_database_refuses_a_second_row_with_the_same_uuid(w):
    affected, _ = register(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        AffectedHousehold.objects.create(
            client_uuid=affected.client_uuid,
            event=w.flood,
            commune=w.commune_a,
            head_name="X",
            size=1,
            created_by=w.officer_a,
        )


def test_a_registry_household_fills_the_entry_and_is_registered_once_per_event(w):
    affected, _ = register(w, household=w.household_a.pk, head_name="", size=None, food_shortage=True)
    assert (affected.head_name, affected.head_personal_id, affected.size, affected.village_id) == (
        "Nguyễn Văn An",
        "001070000123",
        3,
        w.village_a.pk,
    )
    before = state()
    with pytest.raises(Conflict) as error:
        register(w, household=w.household_a.pk, head_name="", size=None)
    assert "household" in error.value.fields
    assert state() == before


def test_support_for_a_household_outside_the_events_area_is_refused(w):
    before = state()
    with pytest.raises(InvalidInput) as error:
        register(w, commune=w.commune_b, head_name="Trần Văn Bảy")
    assert "không nằm trong vùng bị ảnh hưởng" in error.value.fields["commune"]
    # A commune-B household picked from the registry, by a province officer who can see it.
    with pytest.raises(InvalidInput) as error:
        register(w, actor=w.province_officer, household=w.household_b.pk, head_name="", size=None)
    assert "ngoài vùng bị ảnh hưởng" in error.value.fields["household"]
    assert state() == before


def test_a_field_entry_with_bad_values_names_each_field(w):
    before = state()
    with pytest.raises(InvalidInput) as error:
        register(
            w, head_name="", size=0, head_personal_id="123", persons=[{"full_name": "A", "outcome": "lost"}]
        )
    assert set(error.value.fields) == {"head_name", "size", "head_personal_id", "persons.0.outcome"}
    assert state() == before


# --- proposals and decisions -----------------------------------------------------------------


def test_propose_in_bulk_skips_households_the_law_gives_nothing(w):
    register(w, head_name="Hộ Một", food_shortage=True, size=2)
    register(w, head_name="Hộ Hai", size=2)  # nothing happened that the law pays for
    supports = support_propose(actor=w.officer_a, event=w.flood)
    assert [(s.affected.head_name, s.rice_kg) for s in supports] == [("Hộ Một", 90)]
    assert AuditEvent.objects.filter(action="relief.support_propose").count() == 1
    assert support_propose(actor=w.officer_a, event=w.flood) == []


def test_the_proposer_cannot_decide_and_only_the_chairman_can(w):
    affected, _ = register(w, food_shortage=True)
    (support,) = support_propose(actor=w.officer_a, event=w.flood)
    before = state()
    for actor in (w.officer_a, w.chairman_b):
        with pytest.raises((NotAllowed, InvalidInput)):
            support_decide(actor=actor, supports=[support], decision_number="1/QĐ-UBND", decided_on=DAY_AFTER)
    assert state() == before
    assert (
        support_decide(
            actor=w.chairman_a, supports=[support], decision_number="1/QĐ-UBND", decided_on=DAY_AFTER
        )
        == 1
    )
    support.refresh_from_db()
    assert (support.status, support.decided_by_id, support.decision_number) == (
        "decided",
        w.chairman_a.pk,
        "1/QĐ-UBND",
    )
    assert AuditEvent.objects.filter(action="relief.support_decide", entity_id=str(support.pk)).count() == 1


# --- distribution and stock ------------------------------------------------------------------


def test_distribution_takes_from_the_stock_and_is_audited(w):
    affected, support = decided(w, size=2, food_shortage=True, house_damage="severe_damage")
    stock(w, "gao", 500)
    stock(w, "tien_mat", 50_000_000)
    distribution_record(actor=w.officer_a, affected=affected, kind="rice", quantity=30, received_on=DAY_AFTER)
    distribution_record(actor=w.officer_a, affected=affected, kind="rice", quantity=60, received_on=DAY_AFTER)
    distribution_record(
        actor=w.officer_a, affected=affected, kind="cash", quantity=20_000_000, received_on=DAY_AFTER
    )
    balances = dict(StockBalance.objects.values_list("item__code", "quantity"))
    assert balances == {"gao": 410, "tien_mat": 30_000_000}
    assert AuditEvent.objects.filter(action="relief.distribution_record").count() == 3
    assert needs_and_means(w.flood, w.commune_a.pk) == {
        "rice_need": 0,
        "cash_need": 0,
        "rice_held": 410,
        "cash_held": 30_000_000,
        "rice_short": 0,
        "cash_short": 0,
    }


def test_no_household_is_paid_cash_twice_in_one_event(w):
    affected, support = decided(w, house_damage="collapsed", persons=[injured("Lê Văn Tư", 5)])
    assert support.cash_amount == 45_400_000
    stock(w, "tien_mat", 100_000_000)
    distribution_record(
        actor=w.officer_a, affected=affected, kind="cash", quantity=40_000_000, received_on=DAY_AFTER
    )
    before = state()
    with pytest.raises(Conflict) as error:
        distribution_record(
            actor=w.officer_a, affected=affected, kind="cash", quantity=5_400_000, received_on=DAY_AFTER
        )
    assert "chỉ nhận tiền một lần" in error.value.message
    assert state() == before
    # The database itself refuses it, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.create(
            event=w.flood,
            affected=affected,
            support=support,
            commune=w.commune_a,
            kind="cash",
            item=StockItem.objects.get(code="tien_mat"),
            quantity=1,
            received_on=DAY_AFTER,
            receiver_name="X",
            recorded_by=w.officer_a,
        )


def test_a_distribution_above_what_was_decided_is_refused(w):
    affected, support = decided(w, size=2, food_shortage=True)  # 90 kg decided
    stock(w, "gao", 1000)
    distribution_record(actor=w.officer_a, affected=affected, kind="rice", quantity=60, received_on=DAY_AFTER)
    before = state()
    with pytest.raises(InvalidInput) as error:
        distribution_record(
            actor=w.officer_a, affected=affected, kind="rice", quantity=31, received_on=DAY_AFTER
        )
    assert error.value.fields["quantity"] == (
        "Cấp 31 kg gạo vượt mức đã quyết định: quyết định 90 kg, đã cấp 60 kg, còn được cấp tối đa 30 kg."
    )
    with pytest.raises(InvalidInput) as error:
        distribution_record(
            actor=w.officer_a, affected=affected, kind="cash", quantity=1, received_on=DAY_AFTER
        )
    assert "vượt mức đã quyết định" in error.value.fields["quantity"]
    assert state() == before


def test_more_rice_out_than_in_stock_is_refused_and_the_stock_never_goes_negative(w):
    affected, support = decided(w, size=4, food_shortage=True)  # 180 kg decided
    stock(w, "gao", 100)
    before = state()
    with pytest.raises(Conflict) as error:
        distribution_record(
            actor=w.officer_a, affected=affected, kind="rice", quantity=120, received_on=DAY_AFTER
        )
    assert error.value.message.startswith("Kho của xã không đủ gạo: còn 100 kg, cần xuất 120 kg.")
    assert state() == before
    # The CHECK constraint refuses a negative balance even from raw SQL.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE relief_stockbalance SET quantity = quantity - 101")


def test_nothing_is_distributed_before_the_chairman_decides(w):
    affected, _ = register(w, food_shortage=True)
    support_propose(actor=w.officer_a, event=w.flood)
    stock(w, "gao", 100)
    before = state()
    with pytest.raises(Conflict) as error:
        distribution_record(
            actor=w.officer_a, affected=affected, kind="rice", quantity=10, received_on=DAY_AFTER
        )
    assert "chưa có quyết định" in error.value.message
    assert state() == before


# --- escalation and donations ----------------------------------------------------------------


def test_a_short_commune_asks_the_province_which_grants_into_the_stock(w):
    decided(w, size=4, food_shortage=True, house_damage="collapsed")
    stock(w, "gao", 50)
    means = needs_and_means(w.flood, w.commune_a.pk)
    assert (means["rice_short"], means["cash_short"]) == (130, 40_000_000)
    request = resource_request(
        actor=w.officer_a,
        event=w.flood,
        commune=w.commune_a,
        rice_kg=130,
        cash_amount=40_000_000,
        reason="Xã hết gạo",
    )
    with pytest.raises(NotAllowed):
        resource_request_decide(actor=w.chairman_a, request=request, granted_rice_kg=130)
    resource_request_decide(
        actor=w.province_officer,
        request=request,
        granted_rice_kg=130,
        granted_cash=40_000_000,
        decided_on=DAY_AFTER,
    )
    request.refresh_from_db()
    assert (request.status, request.granted_rice_kg) == ("granted", 130)
    assert needs_and_means(w.flood, w.commune_a.pk)["rice_short"] == 0
    assert StockMovement.objects.filter(source="province").count() == 2
    with pytest.raises(InvalidInput) as error:
        resource_request(
            actor=w.officer_a, event=w.flood, commune=w.commune_a, rice_kg=10, reason="x", level="national"
        )
    assert "level" in error.value.fields


def test_pledges_and_donations_are_reported_and_go_into_the_stock(w):
    pledge = pledge_record(
        actor=w.officer_a,
        event=w.flood,
        commune=w.commune_a,
        donor_name="Công ty Sông Hồng",
        donor_kind="organisation",
        item="gao",
        quantity=1000,
        pledged_on=FLOOD_DAY,
    )
    donation_receive(
        actor=w.officer_a,
        event=w.flood,
        commune=w.commune_a,
        pledge=pledge,
        quantity=600,
        received_on=DAY_AFTER,
    )
    donation_receive(
        actor=w.officer_a,
        event=w.flood,
        commune=w.commune_a,
        donor_name="Bà Lê Thị Mai",
        donor_kind="individual",
        item="tien_mat",
        quantity=2_000_000,
        received_on=DAY_AFTER,
    )
    report = donations_report(w.flood, w.officer_a)
    assert [(p.donor_name, p.quantity, p.received) for p in report["pledges"]] == [
        ("Công ty Sông Hồng", 1000, 600)
    ]
    assert [(r["item__code"], r["total"], r["pledged"]) for r in report["by_item"]] == [
        ("gao", 600, 1000),
        ("tien_mat", 2_000_000, 0),
    ]
    assert dict(StockBalance.objects.values_list("item__code", "quantity")) == {
        "gao": 600,
        "tien_mat": 2_000_000,
    }
    assert donations_report(w.flood, w.officer_b)["receipts"] == []


def test_each_receipt_request_and_donation_writes_one_audit_row_of_the_new_row(w):
    from ansinh.core.audit import snapshot

    actions = [
        "relief.stock_receive",
        "relief.resource_request",
        "relief.pledge_record",
        "relief.donation_receive",
    ]
    request = resource_request(
        actor=w.officer_a, event=w.flood, commune=w.commune_a, rice_kg=10, reason="Thiếu"
    )
    donor = {"donor_name": "Hội Chữ thập đỏ", "donor_kind": "organisation", "item": "chan", "quantity": 20}
    pledge = pledge_record(
        actor=w.officer_a, event=w.flood, commune=w.commune_a, pledged_on=FLOOD_DAY, **donor
    )
    donation = donation_receive(
        actor=w.officer_a, event=w.flood, pledge=pledge, quantity=5, received_on=DAY_AFTER
    )
    rows = [stock(w, "gao", 500), request, pledge, donation]
    audits = AuditEvent.objects.filter(action__in=actions).order_by("action")
    assert [
        (a.action, a.entity_type, a.entity_id, a.area_code, a.actor_id, a.before, a.after) for a in audits
    ] == [
        (action, row._meta.label_lower, str(row.pk), "00004", w.officer_a.pk, None, snapshot(row))
        for action, row in sorted(zip(actions, rows, strict=True), key=lambda pair: pair[0])
    ]
    assert (donation.donor_name, donation.commune_id, donation.item.code) == (
        "Hội Chữ thập đỏ",
        "00004",
        "chan",
    )


def test_a_receipt_photo_must_be_an_image_by_its_content(w, settings, tmp_path, client):
    """Checked by content, not by the type the browser claims: a page served back from our
    origin as HTML would run in the chairman's session."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)

    affected, _ = decided(w, size=1, food_shortage=True)
    stock(w, "gao", 100)
    before = state()
    refused = [
        SimpleUploadedFile("bien-ban.txt", b"khong phai anh", content_type="text/plain"),
        SimpleUploadedFile("anh.html", b"<script>alert(1)</script>", content_type="image/png"),
    ]
    for upload in refused:
        with pytest.raises(InvalidInput) as error:
            distribution_record(
                actor=w.officer_a,
                affected=affected,
                kind="rice",
                quantity=15,
                received_on=DAY_AFTER,
                signed=False,
                photo=upload,
            )
        assert error.value.fields == {
            "photo": "Ảnh chụp khi nhận phải là tệp ảnh (JPG, PNG…) không quá 10 MB."
        }
    assert state() == before
    png = SimpleUploadedFile("nhan-gao.html", b"\x89PNG\r\n\x1a\n", content_type="text/html")
    distribution = distribution_record(
        actor=w.officer_a,
        affected=affected,
        kind="rice",
        quantity=15,
        received_on=DAY_AFTER,
        signed=False,
        photo=png,
    )
    assert distribution.photo.name.startswith(f"relief/receipts/{w.flood.pk}/")
    assert distribution.photo.name.endswith(".png")
    assert (tmp_path / distribution.photo.name).read_bytes() == b"\x89PNG\r\n\x1a\n"
    client.force_login(w.chairman_a)
    response = client.get(f"/cuu-tro/ho/{affected.pk}/anh/", {"d": distribution.pk})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_proposing_for_an_event_costs_the_same_queries_for_3_or_12_households(w):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from ansinh.relief.items import stock_items
    from ansinh.relief.services import event_create

    stock_items()  # the default items, made on first use
    counts = []
    for size in (3, 12):
        event = event_create(
            actor=w.officer_a,
            kind="disaster",
            name=f"Bão {size}",
            occurred_on=FLOOD_DAY,
            communes=[w.commune_a],
        )
        for n in range(size):
            register(
                w,
                event=event,
                head_name=f"Hộ Số {n}",
                size=2,
                food_shortage=True,
                persons=[injured("Người Bị Thương", 5)],
            )
        with CaptureQueriesContext(db) as queries:
            assert len(support_propose(actor=w.officer_a, event=event)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_event_only_in_the_officers_own_communes(w):
    from ansinh.relief.services import event_create

    before = state()
    with pytest.raises(InvalidInput) as error:
        event_create(
            actor=w.officer_a,
            kind="fire",
            name="Cháy",
            occurred_on=FLOOD_DAY,
            communes=[w.commune_a, w.commune_b],
        )
    assert error.value.fields == {
        "communes": "Phường Ngọc Hà nằm ngoài địa bàn của bạn: chỉ chọn xã bạn quản lý."
    }
    with pytest.raises(NotAllowed):
        event_create(
            actor=w.chairman_a, kind="fire", name="Cháy", occurred_on=FLOOD_DAY, communes=[w.commune_a]
        )
    assert state() == before
    event = event_create(
        actor=w.province_officer,
        kind="crop_failure",
        name="Mất mùa",
        occurred_on=FLOOD_DAY,
        communes=[w.commune_a, w.commune_b],
    )
    assert sorted(event.areas.values_list("commune_id", flat=True)) == ["00004", "00008"]
    audit = AuditEvent.objects.get(action="relief.event_create", entity_id=str(event.pk))
    assert audit.after["communes"] == ["00004", "00008"]


def test_a_registry_household_sent_without_a_commune_takes_its_own(w):
    affected, created = register(w, commune=None, household=w.household_a.pk, head_name="", size=None)
    assert (created, affected.commune_id, affected.household_id) == (True, "00004", w.household_a.pk)
    before = state()
    with pytest.raises(InvalidInput) as error:
        register(w, commune=None, household=w.household_b.pk, head_name="", size=None)
    # Another commune's household: not even its commune is revealed.
    assert error.value.fields["household"] == "Không tìm thấy hộ này trong sổ hộ của địa bàn bạn quản lý."
    assert "00008" not in error.value.message
    assert state() == before
