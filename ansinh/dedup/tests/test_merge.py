"""Registry candidates, the review queue, merge and undo-merge (real PostgreSQL)."""

import datetime as dt

import pytest

from ansinh.accounts.scope import AreaScope
from ansinh.core.audit import snapshot
from ansinh.core.errors import Conflict, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision
from ansinh.dedup import services
from ansinh.dedup.models import CandidateStatus, DuplicateCandidate, MergeRecord
from ansinh.dedup.tests.people import same_woman_twice
from ansinh.registry.models import HouseholdMember, Person
from ansinh.registry.tests.factories import make_commune, make_household, make_person, make_user, make_village

pytestmark = pytest.mark.django_db


def _state(*persons):
    """Everything a merge touches, for exact before/after comparison."""
    ids = [p.pk for p in persons]
    return {
        "persons": sorted((snapshot(p) for p in Person.objects.filter(pk__in=ids)), key=lambda s: s["id"]),
        "members": sorted(
            HouseholdMember.objects.filter(household__members__person__in=ids)
            .values_list("id", "household_id", "person_id", "relationship", "valid_from", "valid_to")
            .distinct()
        ),
        "decisions": sorted(Decision.objects.values_list("id", "person_id", "benefit", "status")),
    }


@pytest.fixture
def pair():
    commune = make_commune("00001")
    village = make_village(commune, "Thôn Đông")
    officer = make_user(commune=commune)
    a, b = same_woman_twice(commune, village)
    spouse = make_person(commune=commune, full_name="Trần Văn Ba", birth_year=1948, personal_id=None)
    make_household(commune=commune, head=spouse, members=[(a, "spouse")])
    make_household(commune=commune, head=b)
    Decision.objects.create(
        kind="grant", person=b, commune=commune, benefit="social_pension", prepared_by=officer
    )
    return officer, a, b


def test_registry_candidates_finds_the_registered_person_in_scope(pair):
    officer, a, b = pair
    rows = [
        {
            "id": "x1",
            "full_name": "NGUYỄN THỊ ÁNH",
            "birth_date": "03/12/1950",
            "sex": "F",
            "commune_code": "00001",
            "village": "thon dong",
        }
    ]
    got = services.registry_candidates(rows, scope=AreaScope.for_user(officer))
    by_person = {c["person_id"]: c for c in got}
    assert sorted(by_person) == [a.pk, b.pk] and {c["row_id"] for c in got} == {"x1"}
    assert by_person[b.pk]["reasons"].startswith("Trùng họ tên khi bỏ chữ “Thị”")
    other = make_user(commune=make_commune("00002"))
    assert services.registry_candidates(rows, scope=AreaScope.for_user(other)) == []


def test_confirm_and_reject_are_audited_and_scoped(pair):
    officer, a, b = pair
    services.candidates_save([(b.pk, a.pk, 0.97, "Trùng họ tên không dấu")])
    cand = DuplicateCandidate.objects.get()
    assert (cand.left_id, cand.right_id) == (a.pk, b.pk)
    outsider = make_user(commune=make_commune("00002"))
    with pytest.raises(NotAllowed):
        services.candidate_reject(actor=outsider, candidate=cand)
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.PENDING and cand.reviewer is None
    import unicodedata

    services.candidate_confirm(
        actor=officer, candidate=cand, note=unicodedata.normalize("NFD", "cùng một người")
    )
    cand.refresh_from_db()
    assert cand.note == "cùng một người"  # stored NFC
    assert (cand.status, cand.reviewer_id) == (CandidateStatus.CONFIRMED, officer.pk)
    assert AuditEvent.objects.filter(action="dedup.candidate_confirm", entity_id=str(cand.pk)).count() == 1
    with pytest.raises(Conflict):
        services.candidate_reject(actor=officer, candidate=cand)


def test_merge_applies_survivorship_moves_rows_and_undo_restores_exactly(pair):
    officer, a, b = pair
    services.candidates_save([(a.pk, b.pk, 0.97, "…")])
    cand = DuplicateCandidate.objects.get()
    before = _state(a, b)
    record = services.person_merge(actor=officer, survivor=a, merged=b, candidate=cand)

    a.refresh_from_db()
    assert not Person.objects.filter(pk=b.pk).exists()
    assert a.personal_id == before["persons"][1]["personal_id"]  # the verified ID wins
    assert (a.birth_year, a.birth_month, a.birth_day) == (1950, 3, 12)  # the more precise date wins
    assert a.phone == "0912345678"  # non-empty kept
    assert a.village_id is not None  # b was updated later: its address wins
    assert list(Decision.objects.values_list("person_id", flat=True)) == [a.pk]
    current = HouseholdMember.objects.filter(person=a, valid_to__isnull=True).count()
    assert current == 1 and HouseholdMember.objects.filter(person=a).count() == 2
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.CONFIRMED
    assert AuditEvent.objects.filter(action="person.merge", entity_id=str(a.pk)).count() == 1
    assert AuditEvent.objects.filter(action="person.merged_into", entity_id=str(b.pk)).count() == 1

    services.merge_undo(actor=officer, merge=record)
    assert _state(a, b) == before
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.PENDING
    record.refresh_from_db()
    assert record.undone_by_id == officer.pk
    assert AuditEvent.objects.filter(action="person.merge_undo").count() == 1
    with pytest.raises(Conflict):
        services.merge_undo(actor=officer, merge=record)


def test_officer_override_per_field(pair):
    officer, a, b = pair
    services.person_merge(
        actor=officer, survivor=a, merged=b, field_choices={"birth": "survivor", "full_name": "merged"}
    )
    a.refresh_from_db()
    assert (a.full_name, a.birth_month) == ("Nguyen Anh", None)


def test_merge_outside_scope_is_refused_and_changes_nothing(pair):
    officer, a, b = pair
    before = _state(a, b)
    outsider = make_user(commune=make_commune("00002"))
    with pytest.raises(NotAllowed):
        services.person_merge(actor=outsider, survivor=a, merged=b)
    assert _state(a, b) == before
    assert MergeRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="person.merge").exists()


def test_merge_refused_when_both_hold_the_same_open_entitlement(pair):
    from ansinh.decisions.models import Entitlement

    officer, a, b = pair
    for p in (a, b):
        opened = Decision.objects.create(
            kind="grant", person=p, commune=p.commune, benefit="social_pension", prepared_by=officer
        )
        Entitlement.objects.create(
            person=p,
            commune=p.commune,
            benefit="social_pension",
            category="",
            coefficient=1,
            start_month=dt.date(2025, 1, 1),
            opened_by=opened,
        )
    before = _state(a, b)
    with pytest.raises(Conflict, match="cùng chế độ"):
        services.person_merge(actor=officer, survivor=a, merged=b)
    assert _state(a, b) == before
