import datetime as dt

import pytest
from django.http import Http404

from ansinh.accounts.models import Role
from ansinh.registry.access import access_household, access_person
from ansinh.registry.selectors import person_age_on, person_facts, person_list_for_user, person_search
from ansinh.registry.tests.factories import make_household, make_person, make_user

pytestmark = pytest.mark.django_db


def names(people):
    return [p.full_name for p in people]


def test_a_name_without_diacritics_finds_the_vietnamese_name(officer, commune):
    an = make_person(commune=commune, full_name="Nguyễn Văn An")
    make_person(commune=commune, full_name="Trần Thị Bích")
    assert person_search(user=officer, query="nguyen van an") == [an]
    assert person_search(user=officer, query="NGUYỄN VĂN AN") == [an]
    assert person_search(user=officer, query="nguyen an") == [an]


def test_d_with_stroke_is_searched_as_d(officer, commune):
    duc = make_person(commune=commune, full_name="Đặng Minh Đức")
    assert person_search(user=officer, query="dang minh duc") == [duc]


def test_the_exact_name_comes_before_longer_names(officer, commune):
    make_person(commune=commune, full_name="Nguyễn Văn Anh")
    make_person(commune=commune, full_name="Nguyễn Văn An")
    assert names(person_search(user=officer, query="nguyen van an")) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]


def test_a_typo_still_finds_the_name(officer, commune):
    an = make_person(commune=commune, full_name="Nguyễn Văn An")
    assert person_search(user=officer, query="nguyen vn an") == [an]


def test_twelve_digits_search_by_personal_id(officer, commune):
    person = make_person(commune=commune, personal_id="001050000777")
    make_person(commune=commune, personal_id="001050000778")
    assert person_search(user=officer, query="001 050 000 777") == [person]
    assert person_search(user=officer, query="001050000779") == []
    assert len(person_search(user=officer, query="00105000077")) == 2


def test_search_stays_inside_the_commune(officer, commune, neighbour):
    mine = make_person(commune=commune, full_name="Nguyễn Văn An")
    theirs = make_person(commune=neighbour, full_name="Nguyễn Văn An")
    assert person_search(user=officer, query="nguyen van an") == [mine]
    assert person_search(user=officer, query=theirs.personal_id) == []


def test_a_province_officer_sees_every_commune_of_the_province(
    province_officer, commune, neighbour, far_commune
):
    make_person(commune=commune, full_name="Lê An")
    make_person(commune=neighbour, full_name="Lê Bình")
    make_person(commune=far_commune, full_name="Lê Cường")
    assert names(person_list_for_user(province_officer)) == ["Lê An", "Lê Bình"]
    assert names(person_search(user=province_officer, query="le")) == ["Lê An", "Lê Bình"]


def test_a_country_user_sees_everyone(commune, far_commune):
    make_person(commune=commune, full_name="Lê An")
    make_person(commune=far_commune, full_name="Lê Cường")
    ministry = make_user(role=Role.PROVINCIAL_OFFICER, country=True)
    assert names(person_list_for_user(ministry)) == ["Lê An", "Lê Cường"]


def test_access_person_is_404_outside_the_area(officer, province_officer, commune, neighbour, far_commune):
    mine = make_person(commune=commune)
    theirs = make_person(commune=neighbour)
    far = make_person(commune=far_commune)
    assert access_person(officer, mine.pk) == mine
    with pytest.raises(Http404):
        access_person(officer, theirs.pk)
    assert access_person(province_officer, theirs.pk) == theirs
    with pytest.raises(Http404):
        access_person(province_officer, far.pk)
    with pytest.raises(Http404):
        access_person(officer, "not-a-number")


def test_access_household_is_404_outside_the_area(officer, commune, neighbour):
    mine = make_household(commune=commune)
    theirs = make_household(commune=neighbour)
    assert access_household(officer, mine.pk) == mine
    with pytest.raises(Http404):
        access_household(officer, theirs.pk)


def test_person_facts_gather_the_household_and_its_history(commune):
    head = make_person(commune=commune, full_name="Hoàng Văn Tư", birth_year=1945)
    child = make_person(commune=commune, full_name="Hoàng Thị Năm", birth_year=2014, sex="F")
    household = make_household(
        commune=commune, head=head, members=[(child, "grandchild")], poverty={2024: "poor", 2025: "near_poor"}
    )
    facts = person_facts(child)
    assert facts.household == household
    assert facts.relationship == "grandchild"
    assert [m.person for m in facts.members] == [head, child]
    assert [(p.year, p.status) for p in facts.poverty] == [(2025, "near_poor"), (2024, "poor")]
    assert facts.current_poverty.status == "near_poor"
    assert (facts.disabilities, facts.incomes, facts.schooling) == ([], [], [])


def test_person_age_on_uses_the_partial_date(commune):
    person = make_person(commune=commune, birth_year=1951, birth_month=7)
    assert person_age_on(person, dt.date(2026, 6, 30)) == 74
    assert person_age_on(person, dt.date(2026, 7, 1)) == 75
