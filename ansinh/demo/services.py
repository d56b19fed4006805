"""Build a realistic demo province (or the whole country): `ansinh demo --beneficiaries N`.

Rows are generated column-wise (ansinh.demo.generate) one group of communes at a time and
streamed with COPY (ansinh.demo.load); ids come from the tables' sequences. The bulk creation is
audited with one summary AuditEvent per table: the per-record trail is for officers' edits.
"""

from __future__ import annotations

import datetime as dt
import queue
import sys
import threading
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.areas.models import Commune, Province, Village
from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.core.months import current_month
from ansinh.demo import generate as G
from ansinh.demo import load as L
from ansinh.law.levels import level_periods
from ansinh.registry.models import Person

DEFAULT_PROVINCE = "40"  # Nghệ An: large, with plains, towns and especially difficult mountain communes
WHOLE_COUNTRY_FROM = 200_000  # above this many beneficiaries the demo spreads over all 34 provinces
CHUNK_BENEFICIARIES = 100_000
BULK_MODE_FROM = 10_000  # drop/rebuild indexes and foreign keys from this many beneficiaries on
PASSWORD = "ansinh"

DEMO_USERS = [
    # username, role, area ("commune"/"province"/"country"), full name
    ("canbo", Role.COMMUNE_OFFICER, "commune", "Nguyễn Thị Hoa"),
    ("chutich", Role.COMMUNE_CHAIRMAN, "commune", "Trần Văn Minh"),
    ("tinh", Role.PROVINCIAL_OFFICER, "province", "Lê Thị Thu Hà"),
    ("thanhtra", Role.AUDITOR, "province", "Phạm Quốc Dũng"),
    # A national officer: works on any province it picks (the province-wide payment steps).
    ("trunguong", Role.PROVINCIAL_OFFICER, "country", "Đỗ Minh Quân"),
]

TABLES = [
    "registry_person",
    "registry_residence",
    "registry_household",
    "registry_householdmember",
    "registry_householdpoverty",
    "registry_disabilitydetermination",
    "decisions_decision",
    "decisions_entitlement",
    "payments_payrollrun",
    "payments_paymentline",
]


@dataclass
class DemoSummary:
    skipped: bool = False
    beneficiaries: int = 0
    communes: int = 0
    province_codes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first_commune: str = ""
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _ensure_areas() -> None:
    """The demo needs real communes: load the administrative units when none are there."""
    if not Commune.objects.exists():
        call_command("areas_load", verbosity=0)


def _sync_levels() -> None:
    try:
        from ansinh.payments.levels import levels_sync
    except ImportError:
        return
    levels_sync()


def _select_communes(beneficiaries: int, province: str, rng) -> list[Commune]:
    qs = Commune.objects.order_by("code")
    if province:
        if not Province.objects.filter(code=province).exists():
            raise InvalidInput.for_field(
                "province", f"Không có tỉnh/thành phố mã {province}: nhập mã tỉnh 2 chữ số, ví dụ 40."
            )
        communes = list(qs.filter(province_id=province))
    elif beneficiaries > WHOLE_COUNTRY_FROM:
        communes = list(qs)
    else:
        code = (
            DEFAULT_PROVINCE
            if qs.filter(province_id=DEFAULT_PROVINCE).exists()
            else qs.values_list("province_id", flat=True).first()
        )
        communes = list(qs.filter(province_id=code))
    if not communes:
        raise InvalidInput.for_field(
            "province", "Chưa có danh mục xã, phường: chạy `ansinh areas_load` trước."
        )
    # A small demo uses a handful of communes (about 20 beneficiaries each), chosen evenly.
    wanted = max(1, min(len(communes), beneficiaries // 20))
    if wanted < len(communes):
        picks = np.linspace(0, len(communes) - 1, wanted).round().astype(int)
        communes = [communes[i] for i in sorted(set(picks.tolist()))]
    return communes


def _users(communes: list[G.CommuneInfo], rng) -> list[tuple[str, str, str]]:
    """The four demo logins, and an officer and a chairman (no password) for every other commune."""
    first = communes[0]
    logins = []
    password_hash = make_password(PASSWORD)
    for username, role, area, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, first_name=full_name, password=password_hash)
            if area == "commune":
                user.area_level, user.commune_id, user.province_id = (
                    AreaLevel.COMMUNE,
                    first.code,
                    first.province_code,
                )
            elif area == "province":
                user.area_level, user.province_id = AreaLevel.PROVINCE, first.province_code
            else:
                user.area_level = AreaLevel.COUNTRY
            user.save()
        area_code = user.commune_id or user.province_id or "toàn quốc"
        logins.append((username, PASSWORD, f"{user.get_role_display()} – {area_code}"))
    by_name = {u.username: u for u in User.objects.filter(username__in=["canbo", "chutich"])}
    first_pair = all(by_name.get(n) and by_name[n].commune_id == first.code for n in ("canbo", "chutich"))
    unusable = make_password(None)
    wanted = []
    for index, c in enumerate(communes):
        if index == 0 and first_pair:
            continue
        for prefix, role in (("canbo", Role.COMMUNE_OFFICER), ("chutich", Role.COMMUNE_CHAIRMAN)):
            wanted.append(
                User(
                    username=f"{prefix}.{c.code}",
                    role=role,
                    area_level=AreaLevel.COMMUNE,
                    commune_id=c.code,
                    province_id=c.province_code,
                    password=unusable,
                    first_name=_random_name(rng),
                )
            )
    names = [u.username for u in wanted]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([u for u in wanted if u.username not in existing], batch_size=5000)
    found = {
        u: (i, n)
        for u, i, n in User.objects.filter(username__in=names).values_list("username", "id", "first_name")
    }
    for index, c in enumerate(communes):
        if index == 0 and first_pair:
            c.officer_id, c.chairman_id = by_name["canbo"].id, by_name["chutich"].id
            c.chairman_name = by_name["chutich"].first_name
        else:
            c.officer_id = found[f"canbo.{c.code}"][0]
            c.chairman_id, c.chairman_name = found[f"chutich.{c.code}"]
    return logins


def _random_name(rng, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.35
    key = "F" if female else "M"
    surname = G.NAMES.surnames[rng.choice(len(G.NAMES.surnames), p=G.NAMES.surname_p)]
    middle = G.NAMES.mid[key][rng.choice(len(G.NAMES.mid[key]), p=G.NAMES.mid_p[key])]
    given = G.NAMES.given[key][int(rng.integers(0, len(G.NAMES.given[key])))]
    return f"{surname} {middle} {given}"


def _villages(communes: list[G.CommuneInfo], rng) -> None:
    """Villages (thôn, tổ dân phố) for communes that have none yet; then load ids, difficult first."""
    codes = [c.code for c in communes]
    have = set(Village.objects.filter(commune_id__in=codes).values_list("commune_id", flat=True).distinct())
    new = []
    for c in communes:
        if c.code in have:
            continue
        for name, flag in G.village_names_for(c, rng):
            new.append(Village(commune_id=c.code, name=name, is_especially_difficult=flag))
    Village.objects.bulk_create(new, batch_size=10000, ignore_conflicts=True)
    rows = Village.objects.filter(commune_id__in=codes).values_list(
        "commune_id", "id", "name", "is_especially_difficult"
    )
    per: dict[str, list] = {}
    for code, vid, name, flag in rows:
        per.setdefault(code, []).append((not flag, vid, name, flag))
    for c in communes:
        items = sorted(per.get(c.code, []))
        if not items:  # a commune must have somewhere to live
            v = Village.objects.create(commune_id=c.code, name="Thôn 1")
            items = [(True, v.id, v.name, False)]
        c.village_ids = np.array([i[1] for i in items], dtype=np.int64)
        c.village_names = [i[2] for i in items]
        # In an especially difficult commune every village counts for cat. 7.
        c.difficult_villages = len(items) if c.is_difficult else sum(1 for i in items if i[3])


def _id_counters(cursor) -> np.ndarray:
    """Serials already used per personal-id bucket (first 6 digits), so a second run never collides."""
    counters = np.zeros(1_000_000, dtype=np.int64)
    cursor.execute(
        "SELECT substr(personal_id, 1, 6)::int, count(*) FROM registry_person "
        "WHERE personal_id IS NOT NULL GROUP BY 1"
    )
    for bucket, count in cursor.fetchall():
        counters[bucket] = count
    return counters


def _format_chunk(chunk: dict, ids: L.IdAllocator, now: str) -> list[tuple[str, list[str], bytes, int]]:
    """COPY payloads (table, columns, bytes, rows) for one generated chunk; runs in the producer
    thread, so it touches no database connection."""
    out = []

    def add(table, columns, data):
        out.append((table, columns, L.format_rows(data), len(data[0])))

    p, h, mem, pov, dis = (
        chunk["persons"],
        chunk["households"],
        chunk["members"],
        chunk["poverty"],
        chunk["disabilities"],
    )
    ent, runs, lines = chunk["entitlements"], chunk["runs"], chunk["lines"]
    base = {
        t: ids.take(t, n)
        for t, n in (
            ("registry_person", p["rows"]),
            ("registry_residence", p["rows"]),
            ("registry_household", h["rows"]),
            ("registry_householdmember", mem["rows"]),
            ("registry_householdpoverty", pov["rows"]),
            ("registry_disabilitydetermination", dis["rows"]),
            ("decisions_decision", ent["rows"]),
            ("decisions_entitlement", ent["rows"]),
            ("payments_paymentline", lines["rows"]),
        )
    }
    pid = base["registry_person"] + np.arange(p["rows"])
    hid0 = base["registry_household"]
    rows = p["rows"]
    no_month = p["year_only"]
    no_day = p["year_only"] | p["month_only"]
    add(
        "registry_person",
        [
            "id",
            "personal_id",
            "full_name",
            "name_folded",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "ethnicity",
            "address",
            "phone",
            "bank_account",
            "bank_name",
            "social_security_account",
            "created_at",
            "updated_at",
            "commune_id",
            "village_id",
        ],
        [
            pid,
            p["personal_id"],
            p["full_name"],
            p["name_folded"],
            p["birth_year"],
            L.nullable(L.text(p["birth_month"]), no_month),
            L.nullable(L.text(p["birth_day"]), no_day),
            np.where(p["female"], "F", "M").tolist(),
            p["ethnicity"],
            L.const("", rows),
            p["phone"],
            p["bank_account"],
            p["bank_name"],
            L.const("", rows),
            L.const(now, rows),
            L.const(now, rows),
            p["commune"],
            p["village"],
        ],
    )
    add(
        "registry_residence",
        [
            "id",
            "person_id",
            "commune_id",
            "village_id",
            "address",
        ],
        [base["registry_residence"] + np.arange(rows), pid, p["commune"], p["village"], L.const("", rows)],
    )
    add(
        "registry_household",
        [
            "id",
            "code",
            "address",
            "created_at",
            "updated_at",
            "commune_id",
            "village_id",
            "head_id",
        ],
        [
            hid0 + np.arange(h["rows"]),
            [f"{c}-{i}" for c, i in zip(h["commune"], (hid0 + np.arange(h["rows"])).tolist(), strict=True)],
            h["address"],
            L.const(now, h["rows"]),
            L.const(now, h["rows"]),
            h["commune"],
            h["village"],
            pid[h["head"]],
        ],
    )
    rel = np.array(G.RELATIONSHIPS, dtype=object)[mem["relationship"]].tolist()
    add(
        "registry_householdmember",
        [
            "id",
            "relationship",
            "household_id",
            "person_id",
        ],
        [
            base["registry_householdmember"] + np.arange(mem["rows"]),
            rel,
            hid0 + mem["household"],
            pid[mem["person"]],
        ],
    )
    add(
        "registry_householdpoverty",
        [
            "id",
            "year",
            "status",
            "certificate_number",
            "standard",
            "household_id",
        ],
        [
            base["registry_householdpoverty"] + np.arange(pov["rows"]),
            pov["year"],
            pov["status"],
            pov["cert"],
            L.const(G.POVERTY_STANDARD, pov["rows"]),
            hid0 + pov["household"],
        ],
    )
    add(
        "registry_disabilitydetermination",
        [
            "id",
            "disability_type",
            "level",
            "determined_on",
            "determining_body",
            "certificate_number",
            "person_id",
        ],
        [
            base["registry_disabilitydetermination"] + np.arange(dis["rows"]),
            dis["type"],
            dis["level"],
            G._dates(dis["day"]),
            dis["body"],
            dis["cert"],
            pid[dis["person"]],
        ],
    )
    n_e = ent["rows"]
    did = base["decisions_decision"] + np.arange(n_e)
    eid = base["decisions_entitlement"] + np.arange(n_e)
    months = L.month_text(ent["start"])
    coef = L.coef_text(ent["coef"])
    add(
        "decisions_decision",
        [
            "id",
            "number",
            "kind",
            "status",
            "benefit",
            "category",
            "coefficient",
            "monthly_amount",
            "effective_month",
            "reason",
            "legal_basis",
            "signer_name",
            "signed_on",
            "created_at",
            "commune_id",
            "person_id",
            "prepared_by_id",
            "signed_by_id",
        ],
        [
            did,
            [f"{i}/QĐ-UBND" for i in did.tolist()],
            L.const("grant", n_e),
            L.const("signed", n_e),
            ent["benefit"],
            ent["category"],
            coef,
            ent["amount"],
            months,
            ent["reason"],
            ent["legal"],
            ent["signer"],
            ent["signed"],
            ent["created"],
            ent["commune"],
            pid[ent["person"]],
            ent["officer"],
            ent["chairman"],
        ],
    )
    add(
        "decisions_entitlement",
        [
            "id",
            "benefit",
            "category",
            "coefficient",
            "start_month",
            "commune_id",
            "opened_by_id",
            "person_id",
        ],
        [eid, ent["benefit"], ent["category"], coef, months, ent["commune"], did, pid[ent["person"]]],
    )
    # A commune's payroll for a month may exist already (a second demo run): its lines join it.
    existing = ids.existing_runs
    codes, months_r = runs["commune"], runs["month"].tolist()
    known = np.array([existing.get((c, m), 0) for c, m in zip(codes, months_r, strict=True)], dtype=np.int64)
    fresh = known == 0
    rid = known.copy()
    rid[fresh] = ids.take("payments_payrollrun", int(fresh.sum())) + np.arange(int(fresh.sum()))
    ids.touched_runs.extend(known[~fresh].tolist())
    runs = {
        k: (v[fresh] if isinstance(v, np.ndarray) else [x for x, f in zip(v, fresh, strict=True) if f])
        for k, v in runs.items()
        if k != "rows"
    }
    n_r = int(fresh.sum())
    run_gen = [f"{m[:8]}05 09:00:00+07" for m in L.month_text(runs["month"])]
    add(
        "payments_payrollrun",
        [
            "id",
            "month",
            "status",
            "generated_at",
            "approved_at",
            "line_count",
            "total_amount",
            "arrears_amount",
            "approved_by_id",
            "commune_id",
            "prepared_by_id",
        ],
        [
            rid[fresh],
            L.month_text(runs["month"]),
            L.const("closed", n_r),
            run_gen,
            run_gen,
            runs["count"],
            runs["total"],
            L.const("0", n_r),
            runs["chairman"],
            runs["commune"],
            runs["officer"],
        ],
    )
    n_l = lines["rows"]
    add(
        "payments_paymentline",
        [
            "id",
            "commune_code",
            "benefit",
            "category",
            "month",
            "kind",
            "coefficient",
            "level",
            "amount",
            "is_arrears",
            "status",
            "entitlement_id",
            "person_id",
            "run_id",
        ],
        [
            base["payments_paymentline"] + np.arange(n_l),
            lines["commune"].tolist(),
            lines["benefit"].tolist(),
            lines["category"].tolist(),
            L.month_text(lines["month"]),
            L.const("regular", n_l),
            L.coef_text(lines["coef"]),
            lines["level"],
            lines["amount"],
            L.const("f", n_l),
            L.const("paid", n_l),
            eid[lines["entitlement"]],
            pid[lines["person"]],
            rid[lines["run"]],
        ],
    )
    return out


def _produce(ctx, communes, counts, groups, seed, ids, now):
    """Yield (beneficiaries, payloads) per chunk, generated one chunk ahead in a thread."""
    results: queue.Queue = queue.Queue(maxsize=2)

    def work():
        try:
            for index, group in enumerate(groups):
                chunk_rng = np.random.default_rng([seed, index])
                chunk = G.generate_chunk(ctx, [communes[i] for i in group], counts[group], chunk_rng)
                results.put((chunk["n"], _format_chunk(chunk, ids, now)))
            results.put(None)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            results.put(exc)

    thread = threading.Thread(target=work, name="demo-producer", daemon=True)
    thread.start()
    while True:
        item = results.get()
        if item is None:
            break
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def demo_build(
    *,
    beneficiaries: int,
    seed: int = 42,
    province: str = "",
    month: dt.date | None = None,
    history_months: int | None = None,
    if_empty: bool = False,
    progress: bool = True,
    stream=None,
) -> DemoSummary:
    """Create `beneficiaries` people with signed decisions, entitlements and payment history.

    `month` is the first month not yet paid (default: this month); entitlements start within the
    `history_months` before it and every earlier month is paid (closed payrolls), so the month's
    payroll has no arrears. Deterministic for a seed on the same areas data.
    """
    summary = DemoSummary()
    if beneficiaries < 1:
        raise InvalidInput.for_field("beneficiaries", "Số người hưởng phải từ 1 trở lên.")
    if if_empty and Person.objects.exists():
        summary.skipped = True
        return summary
    month = month or current_month()
    if history_months is None:
        history_months = 12 if beneficiaries <= WHOLE_COUNTRY_FROM else 1
    _ensure_areas()
    _sync_levels()
    rng = np.random.default_rng(seed)
    communes_qs = _select_communes(beneficiaries, (province or "").strip(), rng)
    communes = [
        G.CommuneInfo(
            code=c.code,
            name=c.name,
            province_code=c.province_id,
            division_type=c.division_type,
            is_difficult=c.is_especially_difficult,
        )
        for c in communes_qs
    ]
    # Beneficiaries per commune: uneven, as real caseloads are; the first commune gets a fair share.
    weights = rng.gamma(2.0, 1.0, len(communes))
    weights[0] = max(weights[0], weights.mean())
    counts = rng.multinomial(beneficiaries, weights / weights.sum())
    m0 = G.month_index(month)
    levels = G.Levels(level_periods(), m0 - max(history_months, 1) - 1, m0)
    now = timezone.now().isoformat()
    stream = stream or sys.stderr
    totals = {t: 0 for t in TABLES}

    outer_atomic = connection.in_atomic_block
    with transaction.atomic():
        logins = _users(communes, rng)
        _villages(communes, rng)
        with connection.cursor() as cursor:
            ctx = G.Context(
                month=month,
                history_months=history_months,
                levels=levels,
                today=dt.date.today(),
                id_counters=_id_counters(cursor),
            )
            # Groups of whole communes, about CHUNK_BENEFICIARIES each (a commune's payroll runs
            # must come from one chunk).
            groups, current, size = [], [], 0
            for i, n in enumerate(counts.tolist()):
                current.append(i)
                size += n
                if size >= CHUNK_BENEFICIARIES:
                    groups.append(current)
                    current, size = [], 0
            if current:
                groups.append(current)
            from tqdm import tqdm

            bar = tqdm(
                total=beneficiaries, unit=" người", desc="Tạo dữ liệu mẫu", disable=not progress, file=stream
            )
            with L.bulk_load_mode(cursor, TABLES, enabled=beneficiaries >= BULK_MODE_FROM):
                ids = L.IdAllocator(cursor, TABLES)
                cursor.execute("SELECT commune_id, month, id FROM payments_payrollrun")
                ids.existing_runs = {(c, G.month_index(m)): i for c, m, i in cursor.fetchall()}
                # Generating and formatting the next chunk (Python) overlaps with PostgreSQL
                # ingesting the current one: two cores, both busy.
                for n_done, payloads in _produce(ctx, communes, counts, groups, seed, ids, now):
                    for table, columns, payload, rows in payloads:
                        L.copy_payload(cursor, table, columns, payload)
                        totals[table] += rows
                    bar.update(n_done)
                ids.finish(cursor)
                if ids.touched_runs:
                    cursor.execute(
                        """
                        UPDATE payments_payrollrun r SET line_count = s.n, total_amount = s.total
                          FROM (SELECT run_id, count(*) AS n, sum(amount) AS total FROM payments_paymentline
                                 WHERE run_id = ANY(%s) GROUP BY run_id) s
                         WHERE r.id = s.run_id
                        """,
                        [sorted(set(ids.touched_runs))],
                    )
                bar.set_description("Dựng chỉ mục")
            bar.close()
            vacuum_after = beneficiaries >= BULK_MODE_FROM and not outer_atomic
            if not vacuum_after:
                for table in TABLES:
                    cursor.execute(f"ANALYZE {table}")
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=None,
                    action="demo.bulk_create",
                    entity_type=table.replace("_", ".", 1),
                    entity_id="",
                    area_code=communes[0].province_code
                    if len({c.province_code for c in communes}) == 1
                    else "",
                    after={"rows": rows, "seed": seed, "beneficiaries": beneficiaries},
                    note=f"Dữ liệu mẫu: {rows} dòng (ansinh demo --beneficiaries {beneficiaries} --seed {seed})",
                )
                for table, rows in totals.items()
            ]
        )
    if vacuum_after:
        # Set hint bits and the visibility map once now, as autovacuum would later, so the first
        # payroll does not pay for rewriting every freshly loaded page.
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    summary.beneficiaries = beneficiaries
    summary.communes = int((counts > 0).sum())
    summary.province_codes = sorted({c.province_code for c in communes})
    summary.counts = totals
    summary.first_commune = f"{communes[0].code} {communes[0].name}"
    summary.logins = logins
    return summary


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo accounts that exist, with their role and area, for printing."""
    users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    out = []
    for username, *_ in DEMO_USERS:
        user = users.get(username)
        if user is not None:
            area = user.commune_id or user.province_id or "toàn quốc"
            out.append((username, PASSWORD, f"{user.get_role_display()} ({area})"))
    return out
