"""Reads on the registry. Every list goes through AreaScope, so it only holds the user's area."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import InvalidInput
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


def likely_duplicates(*, commune, full_name: str, birth: PartialDate | None, limit: int = 10) -> list[Person]:
    """People already registered in `commune` who are probably the person about to be registered:
    the same name once folded (NFC, case and diacritics: ansinh.core.text.fold, as name_folded
    is stored) and the same birth year, or the same full date of birth when both dates are full.
    Used to warn before registering someone without a personal ID twice (a duplicate ID is refused
    outright). The caller may write in `commune`, so the matches are inside their area."""
    folded = fold(full_name)
    if not folded or birth is None or commune is None:
        return []
    commune_code = getattr(commune, "pk", commune)
    candidates = Person.objects.select_related("commune", "village").filter(
        commune_id=commune_code, name_folded=folded, birth_year=birth.year
    )
    matches = []
    for person in candidates.order_by("id"):
        other = PartialDate.of(person)
        if birth.is_complete and other.is_complete and (other.month, other.day) != (birth.month, birth.day):
            continue  # both dates are full and differ: two people of the same name and year
        matches.append(person)
        if len(matches) >= limit:
            break
    return matches


def person_with_personal_id(*, user, personal_id) -> Person | None:
    """The person holding `personal_id` (spaces and dots ignored) if the user's area holds them."""
    digits = re.sub(r"\D", "", str(personal_id or ""))
    if len(digits) != 12:
        return None
    return person_list_for_user(user).filter(personal_id=digits).first()


# "6712", "#6712", "HS 6712", "Hồ sơ số 6712" (matched once folded: "ho so so 6712").
_RECORD_NUMBER = re.compile(r"^(?:ho\s*so(?:\s*so)?|hs)?\s*[#:.]?\s*(\d{1,12})$")


def person_pick(
    *,
    user,
    personal_id: str = "",
    record_number: str = "",
    field: str = "personal_id",
    record_field: str = "record_number",
) -> Person:
    """The person an officer picks for a household (as member or head): by personal ID, or by
    record number ("Hồ sơ số 6712", the person's number in the registry, shown on their page and
    in the search results) for someone registered without a personal ID. Only people of the
    user's area are found; otherwise InvalidInput naming the field that was typed."""
    pid = " ".join(str(personal_id or "").split())
    record = " ".join(str(record_number or "").split())
    if not pid and not record:
        raise InvalidInput.for_field(
            field,
            "Chưa chọn người: nhập số định danh, hoặc số hồ sơ nếu người này chưa có số định danh.",
        )
    person = None
    if pid:
        digits = re.sub(r"[\s.]", "", pid)
        person = person_list_for_user(user).filter(personal_id=digits).first() if digits.isdigit() else None
        if person is None:
            raise InvalidInput.for_field(
                field,
                f"Không tìm thấy người có số định danh “{pid}” trong địa bàn bạn quản lý: "
                "kiểm tra lại số, hoặc đăng ký người này trước.",
            )
    if record:
        match = _RECORD_NUMBER.match(fold(record))
        if match is None:
            raise InvalidInput.for_field(
                record_field, f"Số hồ sơ “{record}” không hợp lệ: nhập số, ví dụ 6712 (Hồ sơ số 6712)."
            )
        by_record = person_list_for_user(user).filter(pk=int(match.group(1))).first()
        if by_record is None:
            raise InvalidInput.for_field(
                record_field,
                f"Không tìm thấy hồ sơ số {int(match.group(1))} trong địa bàn bạn quản lý: "
                "kiểm tra lại số trên trang của người đó, hoặc tra cứu theo họ tên.",
            )
        if person is not None and by_record.pk != person.pk:
            raise InvalidInput.for_field(
                record_field,
                f"Số định danh “{pid}” là của hồ sơ số {person.pk}, không phải hồ sơ số {by_record.pk}: "
                "chỉ cần nhập một trong hai.",
            )
        person = by_record
    return person


def address_line(address: str, *places) -> str:
    """An address followed by its village and commune names, each written once: an address typed
    (or imported) as "Tổ dân phố 4, Phường Thành Vinh" already names them and is not followed by
    them again. Comparison ignores case and diacritics (fold)."""
    parts = [" ".join(str(address or "").split()).strip(" ,")]
    for place in places:
        name = str(place or "").strip()
        if not name:
            continue
        written = fold(", ".join(p for p in parts if p))
        if re.search(r"(?:^|[\s,])" + re.escape(fold(name)) + r"(?:$|[\s,])", written):
            continue
        parts.append(name)
    return ", ".join(p for p in parts if p)


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
