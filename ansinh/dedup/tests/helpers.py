"""Objects of the review queue for other tests (e.g. tests/test_area_scoping.py)."""

from ansinh.core.audit import snapshot
from ansinh.dedup.models import DuplicateCandidate, MergeRecord
from ansinh.registry.tests.factories import make_person


def candidate_of(person) -> DuplicateCandidate:
    """A pending pair: `person` and a namesake registered in the same commune."""
    twin = make_person(
        commune=person.commune,
        full_name=person.full_name,
        birth_year=person.birth_year,
        sex=person.sex,
        personal_id=None,
    )
    left, right = sorted([person.pk, twin.pk])
    return DuplicateCandidate.objects.get_or_create(
        left_id=left, right_id=right, defaults={"score": 0.9, "reasons": "trùng họ tên, năm sinh"}
    )[0]


def merge_of(person, officer) -> MergeRecord:
    """A merge record into `person` of a (recorded) person of the same commune."""
    merged = snapshot(person) | {"id": 2_000_000_001, "personal_id": None}
    return MergeRecord.objects.create(
        survivor=person,
        merged_person_id=merged["id"],
        before={"survivor": snapshot(person), "merged": merged, "related": [], "candidate": None},
        after=snapshot(person),
        merged_by=officer,
    )
