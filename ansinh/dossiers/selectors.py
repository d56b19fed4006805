"""Reads on dossiers: the officer's list by deadline bucket, the indicators the plans measure."""

import datetime as dt

from django.db import connection
from django.db.models import Case, F, QuerySet, When
from django.utils import timezone

from ansinh.accounts.scope import AreaScope
from ansinh.dossiers.models import Dossier, Status
from ansinh.dossiers.services import FORM_FIELDS

OPEN = (Status.RECEIVED, Status.CHECKING, Status.PROPOSED, Status.FORWARDED)
DECIDED = (Status.GRANTED, Status.REFUSED)
BUCKETS = {
    "forwarded": "Mẫu 04 chờ cơ sở trợ giúp xã hội quyết định",
    "overdue": "Quá hạn",
    "due": "Trong hạn, chưa giải quyết",
    "on_time": "Đã giải quyết đúng hạn",
    "late": "Đã giải quyết quá hạn",
}


def declared_facts(dossier: Dossier) -> list[tuple[str, str]]:
    """What the form declares, for the page: (the form's label, Có/Không or the value), in the
    form's order (services.FORM_FIELDS); keys the form does not ask for are not shown."""
    rows = []
    data = dossier.form_data or {}
    for name, (label, kind, _required) in FORM_FIELDS.get(dossier.form, {}).items():
        if name not in data:
            continue
        value = data[name]
        if kind == "bool":
            text = "Có" if value else "Không"
        elif kind == "date":
            try:
                text = dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
            except ValueError:
                text = str(value)
        else:
            text = str(value)
        rows.append((label, text))
    return rows


STEP_DEADLINE = Case(
    When(status=Status.FORWARDED, facility_deadline__isnull=False, then=F("facility_deadline")),
    When(commune_deadline__isnull=False, then=F("commune_deadline")),
    default=F("deadline"),
)


def dossier_list_for_user(user, *, bucket: str = "", today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    qs = (
        AreaScope.for_user(user)
        .filter(Dossier.objects.select_related("commune"))
        .annotate(current_deadline=STEP_DEADLINE)
        .order_by("deadline", "id")
    )
    if bucket == "forwarded":
        return qs.filter(status=Status.FORWARDED).order_by("facility_deadline", "id")
    # Open dossiers are due or overdue by the deadline of the step they are in (Form 04: the
    # commune's 3 wd, then the facility's 2 wd); decided ones by the whole deadline.
    if bucket == "overdue":
        return qs.filter(status__in=OPEN, current_deadline__lt=today)
    if bucket == "due":
        return qs.filter(status__in=OPEN, current_deadline__gte=today)
    if bucket == "on_time":
        return qs.filter(status__in=DECIDED, decided_on__lte=F("deadline"))
    if bucket == "late":
        return qs.filter(status__in=DECIDED, decided_on__gt=F("deadline"))
    return qs


def dossier_counts_for_user(user, *, today: dt.date | None = None) -> dict[str, int]:
    return {key: dossier_list_for_user(user, bucket=key, today=today).count() for key in BUCKETS}


def dossier_timeliness(area_code: str, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Per commune of the area ("" country, 2 digits province, 5 digits commune), for dossiers
    received between the two dates (both included): received, decided, decided on time, the
    share decided on time, the median working days from receipt to decision, and the share filed
    online. One SQL query."""
    if area_code and len(area_code) == 2:
        where, params = "c.province_id = %s", [area_code]
    elif area_code:
        where, params = "c.code = %s", [area_code]
    else:
        where, params = "TRUE", []
    sql = f"""
        SELECT d.commune_id, c.name,
               count(*) AS received,
               count(*) FILTER (WHERE d.status IN ('granted', 'refused')) AS decided,
               count(*) FILTER (WHERE d.status IN ('granted', 'refused') AND d.decided_on <= d.deadline) AS on_time,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.processing_days)
                   FILTER (WHERE d.processing_days IS NOT NULL) AS median_days,
               count(*) FILTER (WHERE d.channel = 'online') AS online
        FROM dossiers_dossier d JOIN areas_commune c ON c.code = d.commune_id
        WHERE {where} AND d.received_on BETWEEN %s AND %s
        GROUP BY d.commune_id, c.name ORDER BY d.commune_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, date_from, date_to])
        rows = cursor.fetchall()
    out = []
    for code, name, received, decided, on_time, median, online in rows:
        out.append(
            {
                "commune_code": code,
                "commune_name": name,
                "received": received,
                "decided": decided,
                "decided_on_time": on_time,
                "share_on_time": round(on_time / decided, 4) if decided else None,
                "median_processing_days": float(median) if median is not None else None,
                "filed_online": online,
                "share_online": round(online / received, 4) if received else None,
            }
        )
    return out


def declared_days_for_user(user) -> QuerySet:
    """The days declared by the provinces the user's scope covers (a commune's: its province's,
    to read; a province's: its own; the country: all)."""
    from ansinh.accounts.models import AreaLevel
    from ansinh.dossiers.models import DeclaredDay

    scope = AreaScope.for_user(user)
    rows = DeclaredDay.objects.select_related("province").order_by("-day", "province_id")
    if scope.is_country:
        return rows
    if scope.level in (AreaLevel.PROVINCE, AreaLevel.COMMUNE) and scope.province_code:
        return rows.filter(province_id=scope.province_code)
    return rows.none()
