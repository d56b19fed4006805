"""Duplicate candidates against the registry, the review queue, merge and undo-merge.

Survivorship (which value the merged person keeps), unless the officer chooses per field in
`field_choices` ({"personal_id": "merged", "birth": "survivor", "address": "merged", …}):
  - personal_id: the verified ID wins (one that passes `validate_personal_id` against the
    person's own year of birth and sex), else the non-empty one, else the survivor's;
  - birth (year, month, day together): the more precise date wins (day > month > year only);
  - address (commune, village, address together): the most recently updated person's wins;
  - every other field: non-empty beats empty; both filled: the survivor's.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.core.audit import audit_record, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.text import nfc
from ansinh.dedup import engine
from ansinh.dedup.access import candidates_for_user
from ansinh.dedup.models import CandidateStatus, DuplicateCandidate, MergeRecord
from ansinh.registry.models import HouseholdMember, Person, Residence
from ansinh.registry.personal_id import validate_personal_id

# Field groups the survivorship rules decide as one unit.
GROUPS: dict[str, list[str]] = {
    "personal_id": ["personal_id"],
    "full_name": ["full_name", "name_folded"],
    "birth": ["birth_year", "birth_month", "birth_day"],
    "sex": ["sex"],
    "ethnicity": ["ethnicity"],
    "address": ["commune_id", "village_id", "address"],
    "phone": ["phone"],
    "bank": ["bank_account", "bank_name"],
    "social_security_account": ["social_security_account"],
    "date_of_death": ["date_of_death"],
}
GROUP_LABELS = {
    "personal_id": "số định danh cá nhân",
    "full_name": "họ tên",
    "birth": "ngày sinh",
    "sex": "giới tính",
    "ethnicity": "dân tộc",
    "address": "địa chỉ",
    "phone": "số điện thoại",
    "bank": "tài khoản ngân hàng",
    "social_security_account": "mã số BHXH",
    "date_of_death": "ngày mất",
}


# --- guards -------------------------------------------------------------------------------


def _scope_for_write(actor) -> AreaScope:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Cần đăng nhập để xử lý hồ sơ trùng.")
    if not can_write(actor):
        raise NotAllowed(
            "Tài khoản thanh tra, kiểm toán chỉ được xem, không được xác nhận hay gộp hồ sơ trùng."
        )
    return AreaScope.for_user(actor)


def _require_persons_in_scope(scope: AreaScope, *persons) -> None:
    for person in persons:
        if person is None:
            raise Conflict(
                "Một trong hai hồ sơ không còn (đã được gộp): hãy hoàn tác lần gộp trước nếu cần xem lại."
            )
        if not scope.contains_commune(person.commune_id):
            raise NotAllowed(
                f"Hồ sơ {person.full_name} thuộc xã mã {person.commune_id}, ngoài địa bàn tài khoản: "
                "chỉ cán bộ cấp tỉnh (hoặc của cả hai xã) được xử lý cặp này."
            )


# --- registry look-up ---------------------------------------------------------------------


def _registry_rows(persons: list[Person]) -> list[dict]:
    members: dict[int, list[str]] = {}
    current = HouseholdMember.objects.filter(person__in=persons, valid_to__isnull=True).values_list(
        "person_id", "household_id"
    )
    household_of = dict(current)
    if household_of:
        mates = HouseholdMember.objects.filter(
            household_id__in=set(household_of.values()), valid_to__isnull=True
        )
        by_household: dict[int, list[tuple[int, str]]] = {}
        for hid, pid, name in mates.values_list("household_id", "person_id", "person__full_name"):
            by_household.setdefault(hid, []).append((pid, name))
        for pid, hid in household_of.items():
            members[pid] = [name for other, name in by_household.get(hid, []) if other != pid]
    return [
        {
            "id": str(p.pk),
            "full_name": p.full_name,
            "birth_year": p.birth_year,
            "birth_month": p.birth_month,
            "birth_day": p.birth_day,
            "sex": p.sex,
            "personal_id": p.personal_id or "",
            "commune_code": p.commune_id,
            "village": p.village.name if p.village_id else "",
            "household_members": "|".join(members.get(p.pk, [])),
        }
        for p in persons
    ]


def registry_candidates(
    persons_rows: list[dict], *, scope: AreaScope, threshold: float = engine.DEFAULT_THRESHOLD
) -> list[dict]:
    """Registry persons (inside `scope`) that may be the same as incoming rows.

    persons_rows: dicts shaped like the dedup CSV (docs/dedup.md). Returns, best first,
    [{"row": index in persons_rows, "row_id", "person_id", "score", "reasons"}].
    The registry is read only around the incoming rows: same personal ID, same folded name (with
    or without "Thị") and year, or same commune and year (for misspelt names)."""
    if not persons_rows:
        return []
    incoming = engine.build_table(persons_rows)
    pids = {p for p in incoming.pid if p}
    years = {int(y) for y in incoming.year if y}
    names = set(incoming.full) | set(incoming.nothi)
    communes = {c for c in incoming.commune if c}
    query = Q(personal_id__in=pids) | Q(name_folded__in=names, birth_year__in=years)
    query |= Q(commune_id__in=communes, birth_year__in=years)
    found = list(scope.filter(Person.objects.filter(query)).select_related("village"))
    if not found:
        return []
    # registry names may carry "Thị" or not: also match name_folded on the version without it
    rows = [{**r, "id": f"row:{i}"} for i, r in enumerate(persons_rows)] + _registry_rows(found)
    table, result = engine.find_duplicates(
        rows, threshold=threshold, link_boundary=len(persons_rows), estimate=False
    )
    out = []
    for a, b, s, why in zip(
        result.left.tolist(), result.right.tolist(), result.score.tolist(), result.reasons, strict=True
    ):
        out.append(
            {
                "row": a,
                "row_id": str(persons_rows[a].get("id", a)),
                "person_id": int(table.ids[b]),
                "score": round(float(s), 4),
                "reasons": why,
            }
        )
    out.sort(key=lambda x: (-x["score"], x["row"], x["person_id"]))
    return out


# --- the review queue ---------------------------------------------------------------------


def candidates_save(pairs: list[tuple[int, int, float, str]]) -> int:
    """Put (person_a, person_b, score, reasons) pairs in the queue; a pair already there stays.
    Returns how many pairs are new (bulk_create with ignore_conflicts returns every object given,
    so the count comes from the INSERT itself)."""
    rows = {(min(a, b), max(a, b)): (s, r) for a, b, s, r in pairs if a != b}
    if not rows:
        return 0
    keys = list(rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {DuplicateCandidate._meta.db_table}
                       (left_id, right_id, score, reasons, status, note, created_at)
                SELECT l, r, s, why, %s, '', %s
                  FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::text[]) AS t(l, r, s, why)
                ON CONFLICT (left_id, right_id) DO NOTHING""",
            [
                CandidateStatus.PENDING,
                timezone.now(),
                [k[0] for k in keys],
                [k[1] for k in keys],
                [rows[k][0] for k in keys],
                [rows[k][1] for k in keys],
            ],
        )
        return cursor.rowcount


def _candidate_persons(candidate: DuplicateCandidate):
    persons = {p.pk: p for p in Person.objects.filter(pk__in=[candidate.left_id, candidate.right_id])}
    return persons.get(candidate.left_id), persons.get(candidate.right_id)


def _candidate_review(*, actor, candidate: DuplicateCandidate, status: str, note: str) -> DuplicateCandidate:
    scope = _scope_for_write(actor)
    note = nfc(note)  # typed Vietnamese may arrive decomposed (NFD) from some keyboards
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        left, right = _candidate_persons(candidate)
        _require_persons_in_scope(scope, left, right)
        if candidate.status != CandidateStatus.PENDING:
            raise Conflict(
                f"Cặp hồ sơ này đã được xem xét ({candidate.get_status_display().lower()}): không xem xét lại được."
            )
        before = {"status": candidate.status}
        candidate.status = status
        candidate.reviewer = actor
        candidate.reviewed_at = timezone.now()
        candidate.note = note
        candidate.save(update_fields=["status", "reviewer", "reviewed_at", "note"])
        audit_record(
            actor=actor,
            action=f"dedup.candidate_{'confirm' if status == CandidateStatus.CONFIRMED else 'reject'}",
            entity=candidate,
            area_code=left.commune_id,
            before=before,
            after={"status": status, "left": left.pk, "right": right.pk},
            note=note,
        )
    return candidate


def candidate_confirm(*, actor, candidate: DuplicateCandidate, note: str = "") -> DuplicateCandidate:
    return _candidate_review(actor=actor, candidate=candidate, status=CandidateStatus.CONFIRMED, note=note)


def candidate_reject(*, actor, candidate: DuplicateCandidate, note: str = "") -> DuplicateCandidate:
    return _candidate_review(actor=actor, candidate=candidate, status=CandidateStatus.REJECTED, note=note)


# --- merge --------------------------------------------------------------------------------


def _person_relations():
    """Every foreign key to Person from other tables (memberships, facts, decisions,
    entitlements, payment lines, household heads, and any app added later), except the queue."""
    for rel in Person._meta.related_objects:
        if rel.related_model in (DuplicateCandidate, MergeRecord) or not (rel.one_to_many or rel.one_to_one):
            continue
        yield rel.related_model, rel.field


def _verified_id(person: Person) -> bool:
    if not person.personal_id:
        return False
    try:
        validate_personal_id(person.personal_id, birth_year=person.birth_year, sex=person.sex)
    except InvalidInput:
        return False
    return True


def _precision(person: Person) -> int:
    return 3 if person.birth_day else 2 if person.birth_month else 1


def _empty(person: Person, group: str) -> bool:
    return all(getattr(person, f) in (None, "") for f in GROUPS[group])


def survivorship(survivor: Person, merged: Person, field_choices: dict | None = None) -> dict[str, str]:
    """For each field group, "survivor" or "merged": whose value the merged person keeps."""
    choices = dict(field_choices or {})
    unknown = set(choices) - set(GROUPS)
    if unknown or any(v not in ("survivor", "merged") for v in choices.values()):
        raise InvalidInput(
            "Lựa chọn trường khi gộp không hợp lệ: dùng các trường "
            + ", ".join(GROUPS)
            + " với giá trị “survivor” (giữ hồ sơ chính) hoặc “merged” (lấy hồ sơ bị gộp).",
            fields={"field_choices": "Chỉ dùng các tên trường và giá trị đã liệt kê."},
        )
    out: dict[str, str] = {}
    for group in GROUPS:
        if group in choices:
            out[group] = choices[group]
        elif group == "personal_id":
            sv, mv = _verified_id(survivor), _verified_id(merged)
            out[group] = (
                "merged"
                if (mv and not sv) or (not survivor.personal_id and merged.personal_id)
                else "survivor"
            )
        elif group == "birth":
            out[group] = "merged" if _precision(merged) > _precision(survivor) else "survivor"
        elif group == "address":
            out[group] = "merged" if merged.updated_at > survivor.updated_at else "survivor"
        else:
            out[group] = "merged" if _empty(survivor, group) and not _empty(merged, group) else "survivor"
    return out


def _check_merge_conflicts(survivor: Person, merged: Person) -> None:
    from ansinh.decisions.models import Entitlement
    from ansinh.payments.models import NOT_LIVE, PaymentLine

    both_open = set(
        Entitlement.objects.filter(person=survivor, end_month__isnull=True).values_list("benefit", flat=True)
    ) & set(
        Entitlement.objects.filter(person=merged, end_month__isnull=True).values_list("benefit", flat=True)
    )
    if both_open:
        raise Conflict(
            "Cả hai hồ sơ đang hưởng cùng chế độ ("
            + ", ".join(sorted(both_open))
            + "): lập quyết định thôi hưởng "
            "cho một hồ sơ trước, rồi mới gộp."
        )
    live = Q(kind="regular") & ~Q(status__in=NOT_LIVE)
    s_lines = set(PaymentLine.objects.filter(live, person=survivor).values_list("benefit", "month"))
    m_lines = set(PaymentLine.objects.filter(live, person=merged).values_list("benefit", "month"))
    twice = sorted(s_lines & m_lines)
    if twice:
        months = ", ".join(f"{m:%m/%Y}" for _, m in twice[:5])
        raise Conflict(
            f"Hai hồ sơ cùng được chi trả một chế độ trong các tháng {months}: xử lý thu hồi khoản chi trùng "
            "(hủy một dòng chi trả) trước khi gộp."
        )


@transaction.atomic
def person_merge(
    *,
    actor,
    survivor: Person,
    merged: Person,
    field_choices: dict | None = None,
    candidate: DuplicateCandidate | None = None,
) -> MergeRecord:
    """Merge `merged` into `survivor`: the survivor keeps the values the rules (or the officer)
    choose, takes over every row that pointed at the merged person, and the merged person's row
    is removed. The MergeRecord keeps everything needed to undo."""
    scope = _scope_for_write(actor)
    if survivor.pk == merged.pk:
        raise InvalidInput("Không gộp một hồ sơ vào chính nó: chọn hai hồ sơ khác nhau.")
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    survivor, merged = locked.get(survivor.pk), locked.get(merged.pk)
    _require_persons_in_scope(scope, survivor, merged)
    _check_merge_conflicts(survivor, merged)
    choices = survivorship(survivor, merged, field_choices)

    before_survivor = snapshot(survivor)
    before_merged = snapshot(merged)
    related: list[dict] = []
    for model, fk in _person_relations():
        rows = list(model.objects.filter(**{fk.name: merged}))
        if rows:
            related.append(
                {"model": model._meta.label_lower, "field": fk.attname, "rows": [snapshot(r) for r in rows]}
            )
    before = {
        "survivor": before_survivor,
        "merged": before_merged,
        "related": related,
        "candidate": {"id": candidate.pk, "status": candidate.status} if candidate else None,
    }

    # The merged person's current household and residence end today: a person is in one
    # household and lives in one place at a time (constraints member_one_current_household,
    # residence_one_current); the history stays with the survivor.
    today = timezone.localdate()
    if HouseholdMember.objects.filter(person=survivor, valid_to__isnull=True).exists():
        HouseholdMember.objects.filter(person=merged, valid_to__isnull=True).update(valid_to=today)
    if Residence.objects.filter(person=survivor, valid_to__isnull=True).exists():
        Residence.objects.filter(person=merged, valid_to__isnull=True).update(valid_to=today)

    new_values = {}
    for group, side in choices.items():
        source = merged if side == "merged" else survivor
        for f in GROUPS[group]:
            new_values[f] = getattr(source, f)
    if new_values["personal_id"] and new_values["personal_id"] == merged.personal_id:
        Person.objects.filter(pk=merged.pk).update(personal_id=None)  # unique: free it first

    try:
        with transaction.atomic():
            for model, fk in _person_relations():
                model.objects.filter(**{fk.name: merged.pk}).update(**{fk.attname: survivor.pk})
            Person.objects.filter(pk=merged.pk).delete()
            for f, v in new_values.items():
                setattr(survivor, f, v)
            survivor.save()
    except IntegrityError as exc:
        raise Conflict(
            f"Không gộp được vì dữ liệu hai hồ sơ xung đột ({exc.__cause__ or exc}): kiểm tra lại rồi thử lại."
        ) from exc

    if candidate is not None and candidate.status == CandidateStatus.PENDING:
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            status=CandidateStatus.CONFIRMED, reviewer=actor, reviewed_at=timezone.now()
        )
    after = snapshot(survivor)
    record = MergeRecord.objects.create(
        survivor=survivor,
        merged_person_id=before_merged["id"],
        candidate=candidate,
        field_choices=choices,
        before=before,
        after=after,
        merged_by=actor,
    )
    audit_record(
        actor=actor,
        action="person.merge",
        entity=survivor,
        area_code=survivor.commune_id,
        before=before_survivor,
        after=after,
        note=f"Gộp hồ sơ {before_merged['id']} ({merged.full_name}) vào hồ sơ {survivor.pk}; bản ghi gộp {record.pk}",
    )
    audit_record(
        actor=actor,
        action="person.merged_into",
        entity_type="registry.person",
        entity_id=before_merged["id"],
        area_code=before_merged["commune_id"],
        before=before_merged,
        after={"merged_into": survivor.pk},
    )
    return record


def _restore(model, values: dict) -> int:
    data = {k: v for k, v in values.items() if k != "id"}
    return model.objects.filter(pk=values["id"]).update(**data)


@transaction.atomic
def merge_undo(*, actor, merge: MergeRecord) -> Person:
    """Put back both persons and every moved row exactly as they were before the merge."""
    from django.apps import apps

    scope = _scope_for_write(actor)
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise Conflict(
            f"Lần gộp này đã được hoàn tác lúc {timezone.localtime(merge.undone_at):%H:%M %d/%m/%Y}."
        )
    before = merge.before
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    for snap in (before["survivor"], before["merged"]):
        if not scope.contains_commune(snap["commune_id"]):
            raise NotAllowed(
                f"Hồ sơ trước khi gộp thuộc xã mã {snap['commune_id']}, ngoài địa bàn tài khoản: "
                "nhờ cán bộ cấp tỉnh hoàn tác."
            )
    if not scope.contains_commune(survivor.commune_id):
        raise NotAllowed("Hồ sơ chính nằm ngoài địa bàn tài khoản: nhờ cán bộ cấp tỉnh hoàn tác.")
    survivor_now = snapshot(survivor)
    # survivor first: it may hold the merged person's personal ID, which must be freed
    _restore(Person, before["survivor"])
    merged_values = dict(before["merged"])
    person = Person(**{k: v for k, v in merged_values.items()})
    try:
        with transaction.atomic():
            person.save(force_insert=True)
            # auto_now / auto_now_add rewrote the timestamps: put the recorded ones back
            _restore(Person, merged_values)
            for group in before["related"]:
                model = apps.get_model(group["model"])
                for row in group["rows"]:
                    if not _restore(model, row):
                        raise Conflict(
                            f"Một dòng dữ liệu ({model._meta.verbose_name} số {row['id']}) đã bị xóa sau khi gộp: "
                            "không hoàn tác được đầy đủ, cần xử lý thủ công."
                        )
    except IntegrityError as exc:
        raise Conflict(
            f"Không hoàn tác được vì dữ liệu đã thay đổi sau khi gộp ({exc.__cause__ or exc}): kiểm tra hồ sơ rồi thử lại."
        ) from exc
    if before.get("candidate"):
        DuplicateCandidate.objects.filter(pk=before["candidate"]["id"]).update(
            status=before["candidate"]["status"], reviewer=None, reviewed_at=None
        )
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    audit_record(
        actor=actor,
        action="person.merge_undo",
        entity=survivor,
        area_code=before["survivor"]["commune_id"],
        before=survivor_now,
        after=before["survivor"],
        note=f"Hoàn tác bản ghi gộp {merge.pk}",
    )
    audit_record(
        actor=actor,
        action="person.unmerge",
        entity_type="registry.person",
        entity_id=merged_values["id"],
        area_code=merged_values["commune_id"],
        before=None,
        after=merged_values,
    )
    return Person.objects.get(pk=merged_values["id"])


# --- filling the queue for an area ----------------------------------------------------------


def area_scan(*, actor, threshold: float = engine.DEFAULT_THRESHOLD, progress=None) -> dict:
    """Score every pair of registry persons inside the actor's area with the engine and put the
    pairs above `threshold` in the review queue (pairs already there, reviewed or not, stay as
    they are). `progress(done, total, message)` as for jobs.

    Returns {"persons", "pairs", "new", "already", "pending"}: the pairs this scan found, how many
    of them were new to the queue and how many were there already, and the pairs of the area
    waiting for review after the scan (these include pairs that other checks put in the queue,
    e.g. the check of an import or a registration against the registry, which this scan's
    scoring over the whole area may leave below the threshold)."""
    scope = _scope_for_write(actor)
    persons = list(scope.filter(Person.objects.all()).select_related("village").order_by("pk"))
    if progress:
        progress(0, 3, f"Đang đọc {len(persons)} hồ sơ trong địa bàn")
    pairs = []
    if len(persons) >= 2:
        rows = _registry_rows(persons)
        if progress:
            progress(1, 3, "Đang so khớp các cặp hồ sơ")
        table, result = engine.find_duplicates(rows, threshold=threshold)
        pairs = [
            (int(table.ids[a]), int(table.ids[b]), round(float(s), 4), why)
            for a, b, s, why in zip(
                result.left.tolist(),
                result.right.tolist(),
                result.score.tolist(),
                result.reasons,
                strict=True,
            )
        ]
        if progress:
            progress(2, 3, f"Đang ghi {len(pairs)} cặp nghi trùng vào danh sách xem xét")
    new = candidates_save(pairs)
    pending = candidates_for_user(actor).filter(status=CandidateStatus.PENDING).count()
    return {
        "persons": len(persons),
        "pairs": len(pairs),
        "new": new,
        "already": len(pairs) - new,
        "pending": pending,
    }


def area_scan_message(found: dict) -> str:
    """The scan's result in words that agree with the queue shown under it."""
    text = f"Đã so khớp {found['persons']} hồ sơ: tìm thấy {found['pairs']} cặp nghi trùng"
    if found["pairs"]:
        text += f" ({found['new']} cặp mới đưa vào danh sách xem xét, {found['already']} cặp đã có trong danh sách)"
    text += f". Danh sách hiện có {found['pending']} cặp chờ xem xét"
    others = found["pending"] - found["new"]
    if others > 0:
        text += f", trong đó {others} cặp đã có từ trước (từ lần tìm trước hoặc khi kiểm tra lúc đăng ký, nhập dữ liệu)"
    return text + "."
