"""Reads on the registry. Every list goes through AreaScope, so it only holds the user's area."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ansinh.accounts.scope import AreaScope
from ansinh.core.text import fold
from ansinh.registry.birth import PartialDate
from ansinh.registry.models import (
    DisabilityDetermination,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    IncomeStatus,
    Person,
    Residence,
    SchoolingStatus,
)

_ID_LIKE = re.compile(r"^[\d\s.]+$")
# Below this many digits a number is more likely part of an address or phone than an ID prefix.
MIN_ID_PREFIX = 4


def person_list_for_user(user) -> QuerySet[Person]:
    return (
        AreaScope.for_user(user)
        .filter(Person.objects.select_related("commune", "village"))
        .order_by("name_folded", "id")
    )


def person_search(*, user, query: str, limit: int = 50) -> list[Person]:
    """Find people in the user's area by personal ID or by name, ignoring diacritics and case.

    - digits (spaces and dots allowed): 12 digits → that personal ID; fewer → IDs starting so;
    - anything else: every word must appear in the folded name ("nguyen an" finds
      "Nguyễn Văn An"), plus names close enough by trigram similarity to catch a typo;
      exact and prefix matches come first.
    """
    text = " ".join(str(query or "").split())
    if not text:
        return []
    base = person_list_for_user(user)
    if _ID_LIKE.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 12:
            return list(base.filter(personal_id=digits)[:limit])
        if len(digits) < MIN_ID_PREFIX:
            return []
        return list(base.filter(personal_id__startswith=digits).order_by("personal_id")[:limit])
    folded = fold(text)
    if not folded:
        return []
    words = Q()
    for word in folded.split():
        # name_folded is already lower case: LIKE (not Django's UPPER(...) icontains) lets
        # PostgreSQL use the trigram GIN index.
        words &= Q(name_folded__contains=word)
    matches = Q(words)
    if len(folded) >= 3:
        matches |= Q(name_folded__trigram_similar=folded)
    ranked = base.filter(matches).annotate(
        rank=Case(
            When(name_folded=folded, then=Value(0)),
            When(name_folded__startswith=folded, then=Value(1)),
            When(words, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        similarity=TrigramSimilarity("name_folded", folded),
    )
    return list(ranked.order_by("rank", "-similarity", "name_folded", "id")[:limit])


def person_age_on(person: Person, on: dt.date) -> int:
    """Age in full years on a date; partial dates of birth follow birth.ASSUMED_UNKNOWN_BIRTH_PARTS."""
    return PartialDate.of(person).age_on(on)


@dataclass
class PersonFacts:
    """Everything the person page shows besides decisions and payments."""

    person: Person
    birth_date: PartialDate
    household: Household | None = None
    relationship: str = ""
    members: list[HouseholdMember] = field(default_factory=list)
    memberships: list[HouseholdMember] = field(default_factory=list)
    poverty: list[HouseholdPoverty] = field(default_factory=list)
    disabilities: list[DisabilityDetermination] = field(default_factory=list)
    incomes: list[IncomeStatus] = field(default_factory=list)
    schooling: list[SchoolingStatus] = field(default_factory=list)
    residences: list[Residence] = field(default_factory=list)

    @property
    def current_poverty(self) -> HouseholdPoverty | None:
        return self.poverty[0] if self.poverty else None

    @property
    def current_disability(self) -> DisabilityDetermination | None:
        return self.disabilities[0] if self.disabilities else None


def person_facts(person: Person) -> PersonFacts:
    """The person's household (current members), the household's poverty status by year (newest
    first), disability determinations (newest first), incomes, schooling and residences.
    The caller has fetched `person` through access_person, so it is inside the user's area."""
    memberships = list(
        HouseholdMember.objects.filter(person=person)
        .select_related("household", "household__commune", "household__village")
        .order_by("valid_to", "-valid_from", "-id")  # the open (current) one sorts first: NULLS LAST
    )
    current = next((m for m in memberships if m.valid_to is None), None)
    facts = PersonFacts(person=person, birth_date=PartialDate.of(person), memberships=memberships)
    if current is not None:
        facts.household = current.household
        facts.relationship = current.relationship
        facts.members = list(
            HouseholdMember.objects.filter(household=current.household, valid_to__isnull=True)
            .select_related("person")
            .order_by(
                Case(When(relationship="head", then=Value(0)), default=Value(1)), "person__birth_year", "id"
            )
        )
        facts.poverty = list(HouseholdPoverty.objects.filter(household=current.household).order_by("-year"))
    facts.disabilities = list(
        DisabilityDetermination.objects.filter(person=person).order_by("-determined_on", "-id")
    )
    facts.incomes = list(IncomeStatus.objects.filter(person=person).order_by("-valid_from", "-id"))
    facts.schooling = list(SchoolingStatus.objects.filter(person=person).order_by("-valid_from", "-id"))
    facts.residences = list(
        Residence.objects.filter(person=person)
        .select_related("commune", "village")
        .order_by("valid_to", "-id")
    )
    return facts
