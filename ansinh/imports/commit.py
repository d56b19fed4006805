"""Commit a validated batch: set-based inserts into the registry, audit rows, row statuses, all in
one transaction. No per-row service call: one COPY per table (copying.py), one
`audit_bulk` per kind of change, one UPDATE … FROM unnest() for the row statuses.

Row outcomes: a valid row whose person is new → imported; whose person exists (same personal
ID, else same folded name, date of birth and commune) → merged into that person (the registry
keeps its values; what the row adds — a household, a poverty status, a disability, an
entitlement — is written unless the registry already has it). Rows still in error, and
duplicates not folded into an imported row, → rejected, keeping their errors as the reason.
"""

import datetime as dt
import time
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ansinh.areas.models import Village
from ansinh.core.audit import audit_bulk
from ansinh.core.errors import Conflict
from ansinh.core.models import AuditEvent
from ansinh.core.text import fold
from ansinh.imports.copying import copy_models, copy_rows
from ansinh.imports.models import ImportBatch, ImportKind, ImportRow, PaperDecision, RowStatus
from ansinh.registry.models import (
    DisabilityDetermination,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    Person,
    Residence,
)
from ansinh.registry.services import PERSON_FIELDS

BULK = 5000
# Decisions signed on paper before the system are recorded as such: Decision.signed_on_paper,
# signer_name = the name the list gives, and a PaperDecision row (number, date, signer's name).


@dataclass
class CommitSummary:
    imported: int = 0
    merged: int = 0
    rejected: int = 0
    persons_created: int = 0
    households_created: int = 0
    members_added: int = 0
    poverty_written: int = 0
    disabilities_written: int = 0
    entitlements_written: int = 0
    audit_rows: int = 0
    timings: dict = field(default_factory=dict)  # seconds per step, for the benchmark


def _chunks(items, size=BULK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _villages(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(commune, village name) → village id, creating the villages not yet known."""
    pairs = {(c, n) for c, n in pairs if c and n}
    if not pairs:
        return {}
    communes = {c for c, _ in pairs}
    known = {
        (c, n.lower()): pk
        for pk, c, n in Village.objects.filter(commune_id__in=communes).values_list(
            "pk", "commune_id", "name"
        )
    }
    new = [Village(commune_id=c, name=n) for c, n in sorted(pairs) if (c, n.lower()) not in known]
    if new:
        Village.objects.bulk_create(new, batch_size=BULK, ignore_conflicts=True)
        known = {
            (c, n.lower()): pk
            for pk, c, n in Village.objects.filter(commune_id__in=communes).values_list(
                "pk", "commune_id", "name"
            )
        }
    return {(c, n): known.get((c, n.lower())) for c, n in pairs}


def _existing_persons(rows: list[dict]) -> dict[str, int]:
    """person_key → id of the person already in the registry."""
    found: dict[str, int] = {}
    pids = sorted({r["values"]["personal_id"] for r in rows if r["values"].get("personal_id")})
    for part in _chunks(pids):
        found.update(dict(Person.objects.filter(personal_id__in=part).values_list("personal_id", "pk")))
    names = defaultdict(set)
    for r in rows:
        v = r["values"]
        if not v.get("personal_id"):
            names[v["commune"]].add(fold(v["full_name"]))
    for commune, folded in names.items():
        for pk, name, y, m, d in Person.objects.filter(
            commune_id=commune, name_folded__in=folded
        ).values_list("pk", "name_folded", "birth_year", "birth_month", "birth_day"):
            found[(commune, name, y, m, d)] = pk
    out = {}
    for r in rows:
        v = r["values"]
        if v.get("personal_id"):
            pk = found.get(v["personal_id"])
        else:
            pk = found.get(
                (v["commune"], fold(v["full_name"]), v["birth_year"], v["birth_month"], v["birth_day"])
            )
        if pk:
            out[v["person_key"]] = pk
    return out


# The columns of a new person, in the order commit_batch gives them to COPY: the person fields
# up to the phone (a list knows no bank account, social security account or date of death).
PERSON_COLUMNS = tuple(PERSON_FIELDS[: PERSON_FIELDS.index("phone") + 1])
# The "after" of a person's import audit row: key → SQL expression over the new row `t`.
PERSON_AFTER = {
    name: f"t.{name}"
    for name in (
        "personal_id",
        "full_name",
        "birth_year",
        "birth_month",
        "birth_day",
        "sex",
        "commune_id",
        "village_id",
        "phone",
    )
}
# An imported decision (signed on paper), as the row COPY writes.
_NewDecision = namedtuple(
    "_NewDecision",
    (
        "kind",
        "status",
        "person_id",
        "commune_id",
        "benefit",
        "category",
        "coefficient",
        "monthly_amount",
        "effective_month",
        "signed_on",
        "prepared_by_id",
        "signed_on_paper",
        "signer_name",
        "reason",
        "legal_basis",
    ),
)
DECISION_AFTER = {
    "person_id": "t.person_id",
    "benefit": "t.benefit",
    "category": "t.category",
    "coefficient": "t.coefficient::text",
    "monthly_amount": "t.monthly_amount",
    "start_month": "to_char(t.effective_month, 'YYYY-MM-DD')",
}


class _Folded(dict):
    """fold() of each distinct name once: a list of 100,000 people holds a few thousand names."""

    def __missing__(self, name: str) -> str:
        self[name] = value = fold(name)
        return value


def _insert_select(sql: str, ids: list[int]) -> None:
    """Run an INSERT … SELECT whose only parameter is the array of new ids it reads from."""
    for part in _chunks(ids, 50000):
        with connection.cursor() as cursor:
            cursor.execute(sql, [part])


def _audit_select(
    *, actor, action: str, entity_type: str, table: str, ids: list[int], after: dict, batch
) -> int:
    """The audit rows `audit_bulk` would write for these new rows of `table` (one per row: its id,
    its commune as the area, "after" = the given columns and the batch), in one INSERT … SELECT:
    the values are in the table already, so no Python dict per row."""
    pairs = ", ".join(f"'{key}', {expression}" for key, expression in after.items())
    sql = (
        f"INSERT INTO {AuditEvent._meta.db_table} "
        "(occurred_at, actor_id, action, entity_type, entity_id, area_code, before, after, note) "
        f"SELECT %s, %s, %s, %s, t.id::text, t.commune_id, NULL, jsonb_build_object({pairs}, 'import_batch', %s), '' "
        f"FROM {table} t WHERE t.id = ANY(%s::bigint[]) ORDER BY t.id"
    )
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    for part in _chunks(ids, 50000):
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, actor_id, action, entity_type, batch.pk, part])
    return len(ids)


def commit_batch(*, actor, scope, batch: ImportBatch, progress=None) -> CommitSummary:
    summary = CommitSummary()
    clock = time.perf_counter()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        rows = list(batch.rows.filter(status=RowStatus.VALID).values("id", "row_number", "values"))
        # The scope is checked again at commit: the committing officer may not be the validator.
        communes = {r["values"]["commune"] for r in rows}
        foreign = {c for c in communes if not scope.contains_commune(c)}
        outside = [r for r in rows if r["values"]["commune"] in foreign]
        if outside:
            raise Conflict(
                f"Có {len(outside)} dòng thuộc xã ngoài địa bàn quản lý của tài khoản (ví dụ dòng "
                f"{outside[0]['row_number']}): chỉ cán bộ của địa bàn đó được ghi các dòng này."
            )
        outcome: dict[int, tuple[str, int | None, str]] = {}  # row id → (status, person id, note)
        summary.timings["load"] = time.perf_counter() - clock

        clock = time.perf_counter()
        # 1. Persons: find existing, create the rest (one per person key).
        existing = _existing_persons(rows)
        villages = _villages({(r["values"]["commune"], r["values"].get("village_name") or "") for r in rows})
        folded = _Folded()
        to_create: dict[str, tuple] = {}
        for r in rows:
            v = r["values"]
            key = v["person_key"]
            if key in existing or key in to_create:
                continue
            to_create[key] = (
                v.get("personal_id") or None,
                v["full_name"],
                folded[v["full_name"]],
                v["birth_year"],
                v.get("birth_month"),
                v.get("birth_day"),
                v["sex"],
                v.get("ethnicity") or "Kinh",
                v["commune"],
                villages.get((v["commune"], v.get("village_name") or "")),
                v.get("address") or "",
                v.get("phone") or "",
            )
        created: list[int] = []
        values = list(to_create.values())
        for part in _chunks(values, 20000):
            created += copy_rows(Person, PERSON_COLUMNS, part)
            if progress:
                progress(len(part))
        _insert_select(
            f"INSERT INTO {Residence._meta.db_table} (person_id, commune_id, village_id, address, valid_from, valid_to) "
            f"SELECT p.id, p.commune_id, p.village_id, p.address, NULL, NULL FROM {Person._meta.db_table} p "
            "WHERE p.id = ANY(%s::bigint[]) ORDER BY p.id",
            created,
        )
        summary.persons_created = len(created)
        summary.timings["persons"] = time.perf_counter() - clock
        clock = time.perf_counter()
        summary.audit_rows += _audit_select(
            actor=actor,
            action="person.import",
            entity_type="registry.person",
            table=Person._meta.db_table,
            ids=created,
            after=PERSON_AFTER,
            batch=batch,
        )
        summary.timings["audit_persons"] = time.perf_counter() - clock
        clock = time.perf_counter()
        person_of = {**existing, **dict(zip(to_create, created, strict=True))}
        new_keys = set(to_create)
        first_row_of_key: dict[str, int] = {}
        for r in rows:
            v = r["values"]
            key = v["person_key"]
            status = (
                RowStatus.IMPORTED if key in new_keys and key not in first_row_of_key else RowStatus.MERGED
            )
            first_row_of_key.setdefault(key, r["row_number"])
            note = "" if status == RowStatus.IMPORTED else "Đã có trong sổ: giữ thông tin đang có."
            if key in new_keys and status == RowStatus.MERGED:
                note = f"Cùng người với dòng {first_row_of_key[key]}."
            outcome[r["id"]] = (status, person_of[key], note)

        # 2. What each kind adds.
        extra = {
            ImportKind.HOUSEHOLDS: _households,
            ImportKind.POVERTY: _poverty,
            ImportKind.DISABILITIES: _disabilities,
            ImportKind.BENEFICIARIES: _beneficiaries,
        }.get(batch.kind)
        if extra is not None:
            extra(
                actor=actor,
                batch=batch,
                rows=rows,
                person_of=person_of,
                villages=villages,
                outcome=outcome,
                summary=summary,
            )

        summary.timings["kind"] = time.perf_counter() - clock
        clock = time.perf_counter()
        # 3. Duplicates of a row that went in are merged into the same person; the rest rejected.
        waiting = list(
            batch.rows.filter(status__in=[RowStatus.ERROR, RowStatus.DUPLICATE]).values(
                "id", "row_number", "status", "values"
            )
        )
        by_number = {r["row_number"]: outcome[r["id"]] for r in rows}
        done_numbers = dict(
            batch.rows.filter(status__in=[RowStatus.IMPORTED, RowStatus.MERGED]).values_list(
                "row_number", "person_id"
            )
        )
        for r in waiting:
            first = r["values"].get("duplicate_of_row")
            if r["status"] == RowStatus.DUPLICATE and first:
                target = by_number.get(first)
                person = target[1] if target else done_numbers.get(first)
                if person:
                    outcome[r["id"]] = (RowStatus.MERGED, person, f"Trùng dòng {first}: gộp vào cùng người.")
                    continue
            reason = (
                "Loại bỏ khi ghi vào sổ: còn lỗi chưa sửa (xem cột Lỗi)."
                if r["status"] == RowStatus.ERROR
                else "Loại bỏ khi ghi vào sổ: nghi trùng, chưa được xác nhận."
            )
            outcome[r["id"]] = (RowStatus.REJECTED, None, reason)

        _write_outcomes(outcome)
        for status, _person, _note in outcome.values():
            if status == RowStatus.IMPORTED:
                summary.imported += 1
            elif status == RowStatus.MERGED:
                summary.merged += 1
            else:
                summary.rejected += 1
        summary.timings["outcomes"] = time.perf_counter() - clock
        batch.committed_at = timezone.now()
        batch.save(update_fields=["committed_at"])
        clock = time.perf_counter()
    # The COMMIT runs the deferred foreign-key checks of every new row.
    summary.timings["transaction_commit"] = time.perf_counter() - clock
    return summary


def _write_outcomes(outcome: dict) -> None:
    ids = list(outcome)
    for part in _chunks(ids, 20000):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {ImportRow._meta.db_table} AS r
                   SET status = v.status, person_id = v.person, note = v.note
                  FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[]) AS v(id, status, person, note)
                 WHERE r.id = v.id
                """,
                [
                    part,
                    [outcome[i][0] for i in part],
                    [outcome[i][1] for i in part],
                    [outcome[i][2] for i in part],
                ],
            )


def _set_note(outcome, row_id, status=None, note=""):
    old_status, person, old_note = outcome[row_id]
    outcome[row_id] = (status or old_status, person, note or old_note)


# --- households ---------------------------------------------------------------------------------


def _current_households(person_ids) -> dict[int, int]:
    out = {}
    for part in _chunks(sorted(set(person_ids))):
        out.update(
            dict(
                HouseholdMember.objects.filter(person_id__in=part, valid_to__isnull=True).values_list(
                    "person_id", "household_id"
                )
            )
        )
    return out


def _audit_households(*, actor, batch, households, fields: tuple[str, ...]) -> int:
    """The "household.import" audit rows of households the batch created: "after" = the given
    fields and the batch."""
    return audit_bulk(
        actor=actor,
        action="household.import",
        entity_type="registry.household",
        rows=[
            {
                "entity_id": h.pk,
                "area_code": h.commune_id,
                "after": {**{name: getattr(h, name) for name in fields}, "import_batch": batch.pk},
            }
            for h in households
        ],
    )


def _households(*, actor, batch, rows, person_of, villages, outcome, summary) -> None:
    today = timezone.localdate()
    current = _current_households(person_of.values())
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["values"]["household_key"]].append(r)
    codes = {
        (r["values"]["commune"], r["values"]["household_code"])
        for r in rows
        if r["values"].get("household_code")
    }
    existing_by_code = {}
    if codes:
        for pk, commune, code in Household.objects.filter(
            commune_id__in={c for c, _ in codes}, code__in={k for _, k in codes}
        ).values_list("pk", "commune_id", "code"):
            existing_by_code[(commune, code)] = pk
    household_of_group: dict[str, int] = {}
    new_households: dict[str, Household] = {}
    for key, members in groups.items():
        v = members[0]["values"]
        code = v.get("household_code") or ""
        if code and (v["commune"], code) in existing_by_code:
            household_of_group[key] = existing_by_code[(v["commune"], code)]
            continue
        # A household already holding one of these people (imported before without a code).
        held = {current.get(person_of[m["values"]["person_key"]]) for m in members} - {None}
        if len(held) == 1:
            household_of_group[key] = held.pop()
            continue
        head = next((m for m in members if m["values"]["relationship"] == "head"), members[0])
        hv = head["values"]
        new_households[key] = Household(
            code=code,
            commune_id=hv["commune"],
            village_id=villages.get((hv["commune"], hv.get("village_name") or "")),
            address=hv.get("address") or "",
        )
    copy_models(Household, list(new_households.values()))
    for key, household in new_households.items():
        household_of_group[key] = household.pk
    summary.households_created = len(new_households)
    summary.audit_rows += _audit_households(
        actor=actor, batch=batch, households=new_households.values(), fields=("code", "commune_id")
    )
    members_new, heads = [], {}
    for key, members in groups.items():
        household_id = household_of_group[key]
        for m in members:
            v = m["values"]
            person = person_of[v["person_key"]]
            held = current.get(person)
            if held == household_id:
                continue
            if held is not None:
                _set_note(
                    outcome,
                    m["id"],
                    RowStatus.REJECTED,
                    f"Người này đang là thành viên hộ khác (mã hộ #{held}): chuyển hộ bằng chức năng “Thành viên hộ”.",
                )
                continue
            if v["relationship"] == "head":
                if household_id in heads:
                    _set_note(
                        outcome,
                        m["id"],
                        RowStatus.REJECTED,
                        "Hộ đã có chủ hộ ở dòng khác: sửa quan hệ với chủ hộ.",
                    )
                    continue
                heads[household_id] = person
            members_new.append(
                HouseholdMember(
                    household_id=household_id,
                    person_id=person,
                    relationship=v["relationship"],
                    valid_from=today,
                )
            )
            current[person] = household_id
    copy_models(HouseholdMember, members_new)
    summary.members_added = len(members_new)
    for part in _chunks(list(heads.items())):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Household._meta.db_table} AS h SET head_id = v.person, updated_at = now() "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, person) WHERE h.id = v.id AND h.head_id IS NULL",
                [[h for h, _ in part], [p for _, p in part]],
            )
    area = {
        h: c
        for h, c in Household.objects.filter(pk__in=[m.household_id for m in members_new]).values_list(
            "pk", "commune_id"
        )
    }
    summary.audit_rows += audit_bulk(
        actor=actor,
        action="household.member_add",
        entity_type="registry.household",
        rows=[
            {
                "entity_id": m.household_id,
                "area_code": area.get(m.household_id, ""),
                "after": {
                    "person_id": m.person_id,
                    "relationship": m.relationship,
                    "valid_from": today.isoformat(),
                },
            }
            for m in members_new
        ],
    )


# --- poverty ------------------------------------------------------------------------------------


def _poverty(*, actor, batch, rows, person_of, villages, outcome, summary) -> None:
    from ansinh.registry.services import POVERTY_STANDARDS

    today = timezone.localdate()
    current = _current_households(person_of.values())
    # A head not yet in a household gets one, with them as head.
    new_households: dict[int, Household] = {}
    for r in rows:
        v = r["values"]
        person = person_of[v["person_key"]]
        if person not in current and person not in new_households:
            new_households[person] = Household(
                commune_id=v["commune"],
                village_id=villages.get((v["commune"], v.get("village_name") or "")),
                address=v.get("address") or "",
                head_id=person,
            )
    copy_models(Household, list(new_households.values()))
    copy_models(
        HouseholdMember,
        [
            HouseholdMember(household_id=h.pk, person_id=p, relationship="head", valid_from=today)
            for p, h in new_households.items()
        ],
    )
    for p, h in new_households.items():
        current[p] = h.pk
    summary.households_created = len(new_households)
    summary.audit_rows += _audit_households(
        actor=actor, batch=batch, households=new_households.values(), fields=("commune_id", "head_id")
    )
    wanted = {}
    for r in rows:
        v = r["values"]
        wanted[(current[person_of[v["person_key"]]], v["poverty_year"])] = (r, v)
    existing = {}
    for part in _chunks(sorted({h for h, _ in wanted})):
        for row in HouseholdPoverty.objects.filter(household_id__in=part):
            existing[(row.household_id, row.year)] = row
    new, changed, audit = [], [], []
    area = (
        dict(Household.objects.filter(pk__in={h for h, _ in wanted}).values_list("pk", "commune_id"))
        if len(wanted) < 50000
        else {}
    )
    for (household, year), (r, v) in wanted.items():
        standard = next((name for first, last, name in POVERTY_STANDARDS if first <= year <= last), "")
        row = existing.get((household, year))
        after = {
            "year": year,
            "status": v["poverty_status"],
            "certificate_number": v.get("certificate_number") or "",
            "standard": standard,
        }
        if row is None:
            new.append(
                HouseholdPoverty(
                    household_id=household,
                    year=year,
                    status=v["poverty_status"],
                    certificate_number=after["certificate_number"],
                    standard=standard,
                )
            )
            audit.append(
                {
                    "entity_id": household,
                    "area_code": area.get(household, v["commune"]),
                    "before": None,
                    "after": after,
                }
            )
        elif row.status != v["poverty_status"]:
            before = {
                "year": year,
                "status": row.status,
                "certificate_number": row.certificate_number,
                "standard": row.standard,
            }
            row.status, row.certificate_number = (
                v["poverty_status"],
                after["certificate_number"] or row.certificate_number,
            )
            changed.append(row)
            audit.append(
                {
                    "entity_id": household,
                    "area_code": area.get(household, v["commune"]),
                    "before": before,
                    "after": after,
                }
            )
        else:
            _set_note(outcome, r["id"], note="Tình trạng hộ năm này đã có trong sổ, giữ nguyên.")
    copy_models(HouseholdPoverty, new)
    HouseholdPoverty.objects.bulk_update(changed, ["status", "certificate_number"], batch_size=BULK)
    summary.poverty_written = len(new) + len(changed)
    summary.audit_rows += audit_bulk(
        actor=actor, action="household.poverty_set", entity_type="registry.household", rows=audit
    )


# --- disabilities -------------------------------------------------------------------------------


def _disabilities(*, actor, batch, rows, person_of, villages, outcome, summary) -> None:
    existing = set()
    for part in _chunks(sorted(set(person_of.values()))):
        existing.update(
            DisabilityDetermination.objects.filter(person_id__in=part).values_list(
                "person_id", "disability_type", "level", "determined_on"
            )
        )
    new = []
    for r in rows:
        v = r["values"]
        person = person_of[v["person_key"]]
        determined = dt.date.fromisoformat(v["determined_on"])
        key = (person, v["disability_type"], v["disability_level"], determined)
        if key in existing:
            _set_note(outcome, r["id"], note="Kết quả xác định khuyết tật này đã có trong sổ.")
            continue
        existing.add(key)
        new.append(
            (
                r,
                DisabilityDetermination(
                    person_id=person,
                    disability_type=v["disability_type"],
                    level=v["disability_level"],
                    determined_on=determined,
                    certificate_number=v.get("certificate_number") or "",
                ),
            )
        )
    copy_models(DisabilityDetermination, [d for _, d in new])
    summary.disabilities_written = len(new)
    summary.audit_rows += audit_bulk(
        actor=actor,
        action="person.disability_record",
        entity_type="registry.person",
        rows=[
            {
                "entity_id": d.person_id,
                "area_code": r["values"]["commune"],
                "after": {
                    "disability_type": d.disability_type,
                    "level": d.level,
                    "determined_on": d.determined_on.isoformat(),
                    "import_batch": batch.pk,
                },
            }
            for r, d in new
        ],
    )


# --- current beneficiaries -----------------------------------------------------------------------


def _arrears_from(start: dt.date, paid_through: dt.date | None) -> dt.date | None:
    """Entitlement.arrears_from of an imported beneficiary (see docs/import.md).

    The list's people were paid outside the system up to the cut-over, so by default nothing is
    owed from before it: NULL, and the payroll pays from the month after the commune's previous
    payroll (or only the month it runs, for the commune's first payroll) — never the months since
    a start years ago, as a new grant's arrears_from = start_month would. When the list gives
    "Đã chi trả đến tháng", the months after it are owed: arrears_from = the month after it (not
    before the start), and the payroll pays them as arrears."""
    if paid_through is None:
        return None
    after = (paid_through + dt.timedelta(days=32)).replace(day=1)
    return max(after, start)


def _beneficiaries(*, actor, batch, rows, person_of, villages, outcome, summary) -> None:
    from ansinh.decisions.models import Decision, Entitlement
    from ansinh.decisions.services import EXCLUSIVE_BENEFITS

    open_now = set()
    for part in _chunks(sorted(set(person_of.values()))):
        open_now.update(
            Entitlement.objects.filter(person_id__in=part, end_month__isnull=True).values_list(
                "person_id", "benefit"
            )
        )
    decisions, pending = [], []  # the new decisions; (row, number, signed on, paid through) of each
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    for r in rows:
        v = r["values"]
        person = person_of[v["person_key"]]
        if (person, v["benefit"]) in open_now:
            _set_note(outcome, r["id"], note="Đang hưởng chế độ này trong sổ: giữ nguyên, không tạo thêm.")
            continue
        open_now.add((person, v["benefit"]))
        other = EXCLUSIVE_BENEFITS.get(v["benefit"])
        if other and (person, other) in open_now:
            # The paper decisions are recorded as they are; the monthly review proposes to stop the lower.
            _set_note(
                outcome,
                r["id"],
                note=f"Cũng đang hưởng {other.label.lower()}: chỉ hưởng chế độ có mức cao hơn (khoản 3 "
                "Điều 22 Luật BHXH 2024); rà soát hằng tháng sẽ đề xuất thôi hưởng chế độ thấp hơn.",
            )
        start = dt.date.fromisoformat(v["start_month"])
        number = v.get("decision_number") or ""
        signed_on = dt.date.fromisoformat(v["decision_date"]) if v.get("decision_date") else None
        paid = dt.date.fromisoformat(v["paid_through"]) if v.get("paid_through") else None
        reason = f"Nhập danh sách đối tượng đang hưởng (lần nhập #{batch.pk}, dòng {r['row_number']})"
        decisions.append(
            _NewDecision(
                kind="grant",
                status="signed",
                person_id=person,
                commune_id=v["commune"],
                benefit=v["benefit"],
                category=v.get("category") or "",
                coefficient=Decimal(v["coefficient"]),
                monthly_amount=v.get("amount"),
                effective_month=start,
                signed_on=signed_on or start,
                prepared_by_id=actor_id,
                signed_on_paper=True,
                signer_name=v.get("decision_signer") or "",
                reason=reason + (f", quyết định số {number}" if number else ""),
                legal_basis="Quyết định giấy trước khi dùng hệ thống",
            )
        )
        pending.append((r, number, signed_on, paid))
    ids = copy_rows(Decision, _NewDecision._fields, decisions)
    copy_rows(
        PaperDecision,
        ("decision_id", "batch_id", "row_number", "number", "signed_on", "signer_name", "paid_through"),
        [
            (pk, batch.pk, r["row_number"], number, signed_on, d.signer_name, paid)
            for pk, d, (r, number, signed_on, paid) in zip(ids, decisions, pending, strict=True)
        ],
    )
    copy_rows(
        Entitlement,
        (
            "person_id",
            "commune_id",
            "benefit",
            "category",
            "coefficient",
            "start_month",
            "arrears_from",
            "opened_by_id",
        ),
        [
            (
                d.person_id,
                d.commune_id,
                d.benefit,
                d.category,
                d.coefficient,
                d.effective_month,
                _arrears_from(d.effective_month, paid),
                pk,
            )
            for pk, d, (_r, _n, _s, paid) in zip(ids, decisions, pending, strict=True)
        ],
    )
    summary.entitlements_written = len(ids)
    summary.audit_rows += _audit_select(
        actor=actor,
        action="decision.import",
        entity_type="decisions.decision",
        table=Decision._meta.db_table,
        ids=ids,
        after=DECISION_AFTER,
        batch=batch,
    )
