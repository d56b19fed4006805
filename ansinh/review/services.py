"""Writes of the monthly review: run it for a month and an area, and close an item once the
officer has prepared its decision or found none is needed.

`review_run` reads the open entitlements in keyset chunks, evaluates the law over each chunk at
once (ansinh.review.engine), COPYs the rows needing a decision into a temporary table and, in the
same transaction, replaces the month's still-open items of the area with them (INSERT … SELECT).
Running the same month again gives the same open items; items already handled stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune, Province
from ansinh.core.audit import audit_record, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.money import format_number
from ansinh.core.months import format_month, month_start
from ansinh.law.system import law_system
from ansinh.review import engine
from ansinh.review.models import ReviewItem, ReviewRun, ReviewStatus

# The law is encoded month by month from July 2021 (Decree 20/2021); the review of an earlier
# month would re-evaluate under rules that are not all encoded (ansinh.law.assess FIRST_MONTH).
FIRST_MONTH = dt.date(2021, 7, 1)
REVIEW_LOCK = 3_202_611  # pg_advisory_xact_lock key space of the monthly review

COLUMNS = (
    "month",
    "commune_id",
    "person_id",
    "entitlement_id",
    "benefit",
    "reason",
    "action",
    "category",
    "coefficient",
    "current_amount",
    "law_category",
    "law_coefficient",
    "law_amount",
    "age",
    "event_date",
    "effective_month",
)
TEMP_TABLE = """
CREATE TEMP TABLE review_new (
    month date, commune_id varchar(5), person_id bigint, entitlement_id bigint, benefit varchar(32),
    reason varchar(32), action varchar(16), category varchar(32), coefficient numeric(5, 2),
    current_amount bigint, law_category varchar(32), law_coefficient numeric(5, 2), law_amount bigint,
    age smallint, event_date date, effective_month date
) ON COMMIT DROP
"""


def _check_area(area_code: str, actor) -> str:
    area_code = (area_code or "").strip()
    if area_code and (not area_code.isdigit() or len(area_code) not in (2, 5)):
        raise InvalidInput.for_field(
            "area", f"Mã địa bàn “{area_code}” không hợp lệ: nhập mã tỉnh 2 chữ số hoặc mã xã 5 chữ số."
        )
    if len(area_code) == 2 and not Province.objects.filter(code=area_code).exists():
        raise InvalidInput.for_field("area", f"Không có tỉnh/thành phố mã {area_code}.")
    if len(area_code) == 5 and not Commune.objects.filter(code=area_code).exists():
        raise InvalidInput.for_field("area", f"Không có xã/phường mã {area_code}.")
    if actor is not None:
        scope = AreaScope.for_user(actor)
        inside = (
            scope.is_country
            or (len(area_code) == 2 and scope.contains_province(area_code))
            or (len(area_code) == 5 and scope.contains_commune(area_code))
        )
        if not inside:
            raise NotAllowed(
                "Bạn chỉ rà soát được địa bàn mình quản lý: chọn xã (hoặc tỉnh) của bạn.",
                fields={"area": "Địa bàn ngoài phạm vi của bạn."},
            )
    return area_code


def _count(month: dt.date, area_code: str) -> int:
    condition, params = engine.area_filter(area_code)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM decisions_entitlement e JOIN areas_commune c ON c.code = e.commune_id "
            f"WHERE e.start_month <= %(month)s AND (e.end_month IS NULL OR e.end_month > %(month)s) {condition}",
            {"month": month, **params},
        )
        return cursor.fetchone()[0]


def _items_filter(area_code: str) -> str:
    """SQL condition on review_reviewitem for the area (the same parameter name as engine.area_filter)."""
    if not area_code:
        return ""
    if len(area_code) == 2:
        return "AND commune_id IN (SELECT code FROM areas_commune WHERE province_id = %(area)s)"
    return "AND commune_id = %(area)s"


def _decimal_text(values: np.ndarray) -> list[str]:
    return [f"{v // 100}.{v % 100:02d}" for v in values.tolist()]


def _dates(values: np.ndarray) -> list:
    return [None if np.isnat(v) else v.astype(dt.date) for v in values]


def _rows(data: dict, result: engine.Evaluation, month: dt.date):
    """The rows needing a decision, ready for COPY (month, commune, …, effective month)."""
    keep = np.flatnonzero(result.reason > 0)
    if not len(keep):
        return []
    reasons = np.array(engine.REASONS, dtype=object)[result.reason[keep]]
    stop = np.isin(reasons, list(engine.STOP_REASONS))
    event = result.event[keep]
    review = np.datetime64(month, "M")
    event_month = np.where(np.isnat(event), review, event.astype("datetime64[M]"))
    # Decree 335/2026 Art. 8: stop from the month after the event; adjust from the month of it.
    effective = np.where(stop & ~np.isnat(event), event_month + 1, event_month)
    start = data["start"][keep].astype("timedelta64[D]") + engine.EPOCH
    effective = np.maximum(effective.astype("datetime64[D]"), start)
    law_coefficient = result.law_coefficient[keep]
    law_text = _decimal_text(law_coefficient)
    columns = [
        [month] * len(keep),
        np.char.zfill(data["commune"][keep].astype(str), 5).tolist(),
        data["person"][keep].tolist(),
        data["entitlement"][keep].tolist(),
        np.array(engine.BENEFIT_CODES, dtype=object)[data["benefit"][keep]].tolist(),
        reasons.tolist(),
        np.where(stop, "stop", "adjust").tolist(),
        data["category"][keep].tolist(),
        _decimal_text(data["coefficient"][keep]),
        result.current_amount[keep].tolist(),
        [str(c) for c in result.law_category[keep].tolist()],
        [t if c > 0 else None for t, c in zip(law_text, law_coefficient.tolist(), strict=True)],
        result.law_amount[keep].tolist(),
        result.age[keep].tolist(),
        _dates(event),
        _dates(effective),
    ]
    return list(zip(*columns, strict=True))


def review_run(
    *,
    month: dt.date,
    area_code: str = "",
    actor=None,
    progress: Callable | None = None,
    chunk: int = engine.CHUNK,
) -> ReviewRun:
    """Re-evaluate every entitlement open in `month` in the area ("" = the country, 2 digits a
    province, 5 digits a commune) and store the items needing a decision. Idempotent per month."""
    if not isinstance(month, dt.date):
        raise InvalidInput.for_field("month", "Tháng không hợp lệ: nhập theo dạng 2026-11.")
    month = month_start(month)
    if month < FIRST_MONTH:
        raise InvalidInput.for_field(
            "month",
            f"Rà soát chỉ áp dụng từ tháng {format_month(FIRST_MONTH)} (Nghị định 20/2021/NĐ-CP); "
            f"tháng {format_month(month)} chưa được mã hoá đầy đủ: chọn tháng từ 07/2021.",
        )
    area_code = _check_area(area_code, actor)
    total = _count(month, area_code)
    progress = progress or (lambda done, total=None, message=None: None)
    progress(0, total, f"Rà soát tháng {format_month(month)}: {total:,} chế độ đang hưởng".replace(",", "."))
    system = law_system()
    _, params = engine.area_filter(area_code)
    commune_filter = _items_filter(area_code)

    with transaction.atomic():
        run = ReviewRun.objects.create(
            month=month, area_code=area_code, started_at=timezone.now(), created_by=actor
        )
        with connection.cursor() as cursor:
            # Two reviews of the same month (the command and a job, two provinces) run one after
            # the other: each replaces the open items it owns, and the lock keeps them from
            # deleting and inserting the same rows at once.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [REVIEW_LOCK, month.year * 12 + month.month]
            )
            # Inside an outer transaction (tests) ON COMMIT has not dropped an earlier run's table.
            cursor.execute("DROP TABLE IF EXISTS pg_temp.review_new")
            cursor.execute(TEMP_TABLE)
            after, done = 0, 0
            while True:
                data = engine.fetch_chunk(cursor, month=month, area_code=area_code, after=after, limit=chunk)
                if data is None:
                    break
                rows = _rows(data, engine.evaluate(system, data, month), month)
                if rows:
                    with cursor.cursor.copy(f"COPY review_new ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                after = int(data["entitlement"][-1])
                done += len(data["entitlement"])
                progress(done, total, f"Đã rà soát {format_number(done)}/{format_number(total)}")
            # The month's open items of the area are replaced; handled ones (a decision prepared,
            # or dismissed) stay, and the conflict keeps them from being raised twice.
            cursor.execute(
                f"DELETE FROM review_reviewitem WHERE month = %(month)s AND status = 'open' {commune_filter}",
                {"month": month, **params},
            )
            cursor.execute(
                f"INSERT INTO review_reviewitem ({', '.join(COLUMNS)}, status, created_at) "
                f"SELECT {', '.join(COLUMNS)}, 'open', now() FROM review_new "
                "ON CONFLICT (month, entitlement_id) DO NOTHING"
            )
            cursor.execute(
                f"SELECT count(*) FROM review_reviewitem WHERE month = %(month)s {commune_filter}",
                {"month": month, **params},
            )
            run.item_count = cursor.fetchone()[0]
        run.reviewed = done
        run.finished_at = timezone.now()
        run.save(update_fields=["reviewed", "item_count", "finished_at"])
        audit_record(
            actor=actor,
            action="review.run",
            entity=run,
            area_code=area_code,
            after=snapshot(run),
            note=f"Rà soát tháng {format_month(month)}: {done} chế độ, {run.item_count} việc cần quyết định",
        )
    progress(done, total, f"Xong: {run.item_count:,} trường hợp cần quyết định".replace(",", "."))
    return run


def review_item_close(*, actor, item: ReviewItem, decision=None, dismiss: bool = False) -> ReviewItem:
    """Mark an item handled: a decision was prepared from it, or the officer found none needed."""
    scope = AreaScope.for_user(actor)
    if not scope.contains_commune(item.commune_id):
        raise NotAllowed("Trường hợp này ngoài địa bàn của bạn.", fields={"item": "Ngoài địa bàn."})
    # Closing an item is the preparing officer's write: an auditor or the chairman (the checker)
    # only reads the list (maker-checker enforced here, not only by hiding the button).
    if not can_prepare(actor):
        raise NotAllowed(
            "Chỉ cán bộ lập quyết định được đánh dấu trường hợp rà soát đã xử lý.",
            fields={"item": "Tài khoản này không xử lý trường hợp rà soát."},
        )
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ReviewStatus.OPEN:
            raise Conflict(
                f"Trường hợp đã được xử lý ({item.get_status_display().lower()}).",
                fields={"item": "Đã xử lý."},
            )
        before = snapshot(item, ["status", "decision_id"])
        item.status = ReviewStatus.DISMISSED if dismiss else ReviewStatus.PREPARED
        item.decision = decision
        item.save(update_fields=["status", "decision"])
        audit_record(
            actor=actor,
            action="review.item_close",
            entity=item,
            area_code=item.commune_id,
            before=before,
            after=snapshot(item, ["status", "decision_id"]),
        )
    return item
