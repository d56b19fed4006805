"""Reads on emergency assistance. Lists go through AreaScope; the indicator functions take an area
code (as the reports do) and are computed in SQL, one statement per call.

"Helped in time" (the first target of every provincial plan): a household that needs help is
helped on the first day it received anything (cash, rice or goods, with proof of receipt); it is
helped in time when that day is no later than the event's date + the province's deadline.
A household needs help when it has a proposal that was not refused, or, before any proposal,
when it is short of food, its house was hit, or someone in it was injured or killed. Households
the chairman refused, and households the event touched without any of these, are not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ansinh.accounts.scope import AreaScope
from ansinh.relief.items import stock_items
from ansinh.relief.models import (
    AffectedHousehold,
    Distribution,
    Donation,
    Event,
    Pledge,
    ResourceRequest,
    StockBalance,
    StockItem,
    StockMovement,
    Support,
    SupportStatus,
)


def event_list_for_user(user) -> QuerySet[Event]:
    scope = AreaScope.for_user(user)
    ids = scope.filter(Event.objects.all(), "areas__commune").values("pk")
    return Event.objects.filter(pk__in=ids).select_related("province").order_by("-occurred_on", "-id")


def event_communes(event: Event, user) -> list:
    scope = AreaScope.for_user(user)
    from ansinh.areas.models import Commune

    return list(
        scope.filter(
            Commune.objects.filter(code__in=event.areas.values("commune_id")), "code", by_code=True
        ).order_by("name")
    )


def event_villages(event: Event) -> list:
    from ansinh.areas.models import Village

    listed = Village.objects.filter(pk__in=event.villages.values("village_id"))
    if listed.exists():
        return list(listed.select_related("commune").order_by("commune_id", "name"))
    return list(
        Village.objects.filter(commune_id__in=event.areas.values("commune_id"))
        .select_related("commune")
        .order_by("commune_id", "name")
    )


def affected_for_event(event: Event, user) -> QuerySet[AffectedHousehold]:
    return (
        AreaScope.for_user(user)
        .filter(AffectedHousehold.objects.filter(event=event))
        .select_related("commune", "village")
    )


# --- timeliness ---------------------------------------------------------------------------------

_NEEDS = """
    (s.id IS NOT NULL AND s.status <> 'refused')
    OR (s.id IS NULL AND (a.food_shortage OR a.house_damage <> 'none'
        OR EXISTS (SELECT 1 FROM relief_affectedperson p WHERE p.affected_id = a.id)))
"""
_HOUSEHOLDS = f"""
    SELECT a.id, a.event_id, a.commune_id, a.size, e.occurred_on,
           e.occurred_on + e.deadline_days AS deadline,
           (SELECT MIN(d.received_on) FROM relief_distribution d WHERE d.affected_id = a.id) AS helped_on,
           s.status AS support_status,
           ({_NEEDS}) AS needs_help
    FROM relief_affectedhousehold a
    JOIN relief_event e ON e.id = a.event_id
    LEFT JOIN relief_support s ON s.affected_id = a.id
"""


@dataclass(frozen=True)
class HelpedInTime:
    """One commune (and, for an event's page, one event): households and people that needed help,
    how many were helped, helped in time, helped late, still waiting within or past the deadline."""

    commune_code: str
    commune_name: str
    province_code: str
    events: int
    households: int
    persons: int
    helped: int
    helped_in_time: int
    persons_helped_in_time: int
    helped_late: int
    waiting: int
    overdue: int

    @property
    def rate(self) -> Decimal | None:
        """Households helped in time, in percent (one decimal); None when nobody needed help."""
        if not self.households:
            return None
        return (Decimal(100 * self.helped_in_time) / self.households).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def persons_rate(self) -> Decimal | None:
        if not self.persons:
            return None
        return (Decimal(100 * self.persons_helped_in_time) / self.persons).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _area_clause(area_code: str) -> tuple[str, list]:
    code = (area_code or "").strip()
    if not code:
        return "TRUE", []
    if len(code) == 2:
        return "c.province_id = %s", [code]
    return "c.code = %s", [code]


def helped_in_time(
    area_code: str,
    date_from: dt.date,
    date_to: dt.date,
    *,
    event_id: int | None = None,
    as_of: dt.date | None = None,
) -> list[HelpedInTime]:
    """The "helped in time" indicator per commune for the events that occurred from `date_from` to
    `date_to` (both included) in `area_code` ("" the country, 2 digits a province, 5 a commune).
    Waiting households count as overdue once `as_of` (default today) is past their deadline."""
    as_of = as_of or timezone.localdate()
    area_sql, params = _area_clause(area_code)
    event_sql = "AND h.event_id = %s" if event_id is not None else ""
    sql = f"""
        WITH h AS ({_HOUSEHOLDS})
        SELECT c.code, c.name, c.province_id,
               COUNT(DISTINCT h.event_id),
               COUNT(*),
               COALESCE(SUM(h.size), 0),
               COUNT(*) FILTER (WHERE h.helped_on IS NOT NULL),
               COUNT(*) FILTER (WHERE h.helped_on <= h.deadline),
               COALESCE(SUM(h.size) FILTER (WHERE h.helped_on <= h.deadline), 0),
               COUNT(*) FILTER (WHERE h.helped_on > h.deadline),
               COUNT(*) FILTER (WHERE h.helped_on IS NULL AND %s <= h.deadline),
               COUNT(*) FILTER (WHERE h.helped_on IS NULL AND %s > h.deadline)
        FROM h JOIN areas_commune c ON c.code = h.commune_id
        WHERE h.needs_help AND h.occurred_on BETWEEN %s AND %s AND {area_sql} {event_sql}
        GROUP BY c.code, c.name, c.province_id
        ORDER BY c.province_id, c.code
    """
    args = [as_of, as_of, date_from, date_to, *params] + ([event_id] if event_id is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [HelpedInTime(*row) for row in cursor.fetchall()]


def helped_in_time_for_event(event: Event, user, *, as_of: dt.date | None = None) -> list[HelpedInTime]:
    scope = AreaScope.for_user(user)
    rows = helped_in_time("", event.occurred_on, event.occurred_on, event_id=event.pk, as_of=as_of)
    return [r for r in rows if scope.contains_commune(r.commune_code)] if not scope.is_country else rows


def total(rows: list[HelpedInTime], *, events: int | None = None) -> HelpedInTime:
    """The rows added up. An event striking several communes is one row per commune: the rows
    cannot tell which events they share, so the caller gives the number of distinct `events`
    (one event's page: 1); without it, the rows' largest count (never more than the true one)."""
    if events is None:
        events = max((r.events for r in rows), default=0)
    sums = [
        sum(getattr(r, f) for r in rows)
        for f in (
            "households",
            "persons",
            "helped",
            "helped_in_time",
            "persons_helped_in_time",
            "helped_late",
            "waiting",
            "overdue",
        )
    ]
    return HelpedInTime("", "Tổng", "", events, *sums)


@dataclass(frozen=True)
class HouseholdTime:
    affected_id: int
    deadline: dt.date
    helped_on: dt.date | None
    days: int | None
    status: str  # in_time / late / waiting / overdue / not_needed / refused
    label: str


_LABELS = {
    "in_time": "Kịp thời",
    "late": "Chậm",
    "waiting": "Chưa nhận, còn hạn",
    "overdue": "Quá hạn, chưa nhận",
    "not_needed": "Không cần hỗ trợ",
    "refused": "Không hỗ trợ",
}


def household_times(event: Event, *, as_of: dt.date | None = None) -> dict[int, HouseholdTime]:
    """Each household of the event: from the event to the help received, against the deadline."""
    as_of = as_of or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.id, h.deadline, h.helped_on, h.occurred_on, h.support_status, h.needs_help FROM ({_HOUSEHOLDS}) h WHERE h.event_id = %s",
            [event.pk],
        )
        rows = cursor.fetchall()
    result = {}
    for pk, deadline, helped_on, occurred_on, support_status, needs in rows:
        if support_status == SupportStatus.REFUSED:
            status = "refused"
        elif not needs:
            status = "not_needed"
        elif helped_on is not None:
            status = "in_time" if helped_on <= deadline else "late"
        else:
            status = "waiting" if as_of <= deadline else "overdue"
        days = (helped_on - occurred_on).days if helped_on else None
        result[pk] = HouseholdTime(pk, deadline, helped_on, days, status, _LABELS[status])
    return result


# --- stock and money ----------------------------------------------------------------------------


def stock_balances(user, commune_codes=None) -> list[dict]:
    """What each commune of the user's area holds, item by item (only rows ever moved)."""
    queryset = AreaScope.for_user(user).filter(StockBalance.objects.all())
    if commune_codes is not None:
        queryset = queryset.filter(commune_id__in=list(commune_codes))
    return list(
        queryset.select_related("commune", "item")
        .order_by("commune_id", "item_id")
        .values("commune_id", "commune__name", "item__code", "item__name", "item__unit", "quantity")
    )


def event_flows(event: Event, user) -> list[dict]:
    """Per commune and item: received for the event (by source) and given out for it."""
    queryset = AreaScope.for_user(user).filter(StockMovement.objects.filter(event=event))
    rows = list(
        queryset.values("commune_id", "commune__name", "item__code", "item__name", "item__unit")
        .annotate(
            received=Sum("quantity", filter=Q(quantity__gt=0), default=0),
            donated=Sum("quantity", filter=Q(quantity__gt=0, source="donation"), default=0),
            from_province=Sum(
                "quantity", filter=Q(quantity__gt=0, source__in=["province", "national_reserve"]), default=0
            ),
            given=Sum("quantity", filter=Q(quantity__lt=0), default=0),
        )
        .order_by("commune_id", "item__code")
    )
    for row in rows:
        row["given"] = -row["given"]
    return rows


def needs_and_means(event: Event, commune_code: str) -> dict:
    """Decided but not yet handed over, against what the commune holds: the shortfall the
    commune may ask the province for (Art. 13)."""
    supports = Support.objects.filter(event=event, commune_id=commune_code, status=SupportStatus.DECIDED)
    decided = supports.aggregate(rice=Sum("rice_kg", default=0), cash=Sum("cash_amount", default=0))
    given = (
        Distribution.objects.filter(event=event, commune_id=commune_code)
        .values("kind")
        .annotate(total=Sum("quantity"))
    )
    given = {row["kind"]: row["total"] for row in given}
    held = dict(
        StockBalance.objects.filter(commune_id=commune_code, item__code__in=["gao", "tien_mat"]).values_list(
            "item__code", "quantity"
        )
    )
    rice_need = decided["rice"] - given.get("rice", 0)
    cash_need = decided["cash"] - given.get("cash", 0)
    return {
        "rice_need": rice_need,
        "cash_need": cash_need,
        "rice_held": held.get("gao", 0),
        "cash_held": held.get("tien_mat", 0),
        "rice_short": max(rice_need - held.get("gao", 0), 0),
        "cash_short": max(cash_need - held.get("tien_mat", 0), 0),
    }


def requests_for_event(event: Event, user) -> list[ResourceRequest]:
    return list(
        AreaScope.for_user(user).filter(ResourceRequest.objects.filter(event=event)).select_related("commune")
    )


def requests_waiting(user) -> list[ResourceRequest]:
    """Requests of the user's area the province has not answered yet."""
    queryset = ResourceRequest.objects.filter(status="requested").select_related("event", "commune")
    return list(AreaScope.for_user(user).filter(queryset).order_by("requested_at")[:100])


def donations_report(event: Event, user) -> dict:
    """Pledged and received, by donor and item, for the event."""
    scope = AreaScope.for_user(user)
    pledges = (
        scope.filter(Pledge.objects.filter(event=event))
        .select_related("item", "commune")
        .annotate(received=Sum("receipts__quantity", default=0))
    )
    receipts = scope.filter(Donation.objects.filter(event=event)).select_related("item", "commune", "pledge")
    by_item = list(
        scope.filter(Donation.objects.filter(event=event))
        .values("item__code", "item__name", "item__unit")
        .annotate(total=Sum("quantity"), donors=Count("donor_name", distinct=True))
        .order_by("item__code")
    )
    pledged_by_item = dict(
        scope.filter(Pledge.objects.filter(event=event))
        .values("item__code")
        .annotate(total=Sum("quantity"))
        .values_list("item__code", "total")
    )
    for row in by_item:
        row["pledged"] = pledged_by_item.get(row["item__code"], 0)
    return {"pledges": list(pledges), "receipts": list(receipts), "by_item": by_item}


def items() -> list[StockItem]:
    return list(stock_items().values())
