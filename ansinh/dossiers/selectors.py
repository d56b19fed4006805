"""Reads on dossiers: the officer's list by deadline bucket, the indicators the plans measure."""

import datetime as dt

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from ansinh.accounts.scope import AreaScope
from ansinh.dossiers.models import Dossier, Status

OPEN = (Status.RECEIVED, Status.CHECKING, Status.PROPOSED)
DECIDED = (Status.GRANTED, Status.REFUSED)
BUCKETS = {
    "overdue": "Quá hạn",
    "due": "Trong hạn, chưa giải quyết",
    "on_time": "Đã giải quyết đúng hạn",
    "late": "Đã giải quyết quá hạn",
}


def dossier_list_for_user(user, *, bucket: str = "", today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    qs = AreaScope.for_user(user).filter(Dossier.objects.select_related("commune")).order_by("deadline", "id")
    if bucket == "overdue":
        return qs.filter(status__in=OPEN, deadline__lt=today)
    if bucket == "due":
        return qs.filter(status__in=OPEN, deadline__gte=today)
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
