"""QA commune walkthrough (F9, F10, household address): the registry rules behind the fixes.

- F9: a person registered without a personal ID who is probably already registered (same folded
  name, same birth year, or same full date when both are full) is not written without the
  officer's confirmation; a duplicate personal ID names the record to open.
- F10: a household member or head is picked by personal ID or by record number.
- The household address is not followed by a village and commune it already names.
"""

import unicodedata

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.registry import services
from ansinh.registry.birth import PartialDate
from ansinh.registry.models import Person
from ansinh.registry.selectors import address_line, likely_duplicates, person_pick
from ansinh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

NAME = "Lê Thị Kiểm Thử"


def register(officer, commune, **changes):
    fields = {
        "full_name": NAME,
        "birth_date": "1950",
        "sex": "F",
        "commune": commune.code,
        "address": "Tổ dân phố 3",
        "phone": "0912345678",
    }
    fields.update(changes)
    return services.person_create(actor=officer, check_likely_duplicates=True, **fields)


def counts():
    return Person.objects.count(), AuditEvent.objects.filter(action="person.create").count()


# --- F9: likely duplicates ------------------------------------------------------------------


def test_likely_duplicates_fold_case_and_diacritics_and_need_the_same_birth_year(commune, neighbour):
    same = make_person(commune=commune, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    make_person(commune=commune, full_name=NAME, birth_year=1945, sex="F", personal_id=None)
    make_person(commune=neighbour, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    make_person(commune=commune, full_name="Lê Thị Kiểm", birth_year=1950, sex="F", personal_id=None)
    typed = unicodedata.normalize("NFD", "  LÊ THỊ   KIỂM THỬ ")  # decomposed, upper case, spaces
    assert likely_duplicates(commune=commune, full_name=typed, birth=PartialDate(1950)) == [same]
    assert likely_duplicates(commune=commune, full_name="le thi kiem thu", birth=PartialDate(1950, 3)) == [
        same
    ]
    assert likely_duplicates(commune=commune, full_name=NAME, birth=PartialDate(1951)) == []


def test_two_full_dates_of_birth_must_be_the_same_day(commune):
    full = make_person(
        commune=commune,
        full_name=NAME,
        birth_year=1950,
        birth_month=3,
        birth_day=12,
        sex="F",
        personal_id=None,
    )
    assert likely_duplicates(commune=commune, full_name=NAME, birth=PartialDate(1950, 3, 12)) == [full]
    assert likely_duplicates(commune=commune, full_name=NAME, birth=PartialDate(1950, 3, 13)) == []
    # Only a year on one side: the same year is enough to warn.
    assert likely_duplicates(commune=commune, full_name=NAME, birth=PartialDate(1950)) == [full]


def test_registering_the_same_person_twice_without_an_id_is_stopped_and_writes_nothing(officer, commune):
    first = register(officer, commune)
    before = counts()
    with pytest.raises(services.LikelyDuplicate) as info:
        register(officer, commune, full_name="le thi kiem thu")
    assert info.value.matches == [first]
    assert info.value.code == "likely_duplicate"
    assert f"hồ sơ số {first.pk}" in info.value.message
    assert counts() == before


def test_the_officer_confirms_another_person_and_only_the_matches_seen_are_confirmed(officer, commune):
    first = register(officer, commune)
    second = register(officer, commune, not_duplicates_of={first.pk})
    assert second.pk != first.pk
    # A third registration: the officer saw only the first record, not the second.
    before = counts()
    with pytest.raises(services.LikelyDuplicate) as info:
        register(officer, commune, not_duplicates_of={first.pk})
    assert {p.pk for p in info.value.matches} == {first.pk, second.pk}
    assert counts() == before


def test_no_warning_with_a_personal_id_or_without_the_check(officer, commune):
    register(officer, commune)
    with_id = register(officer, commune, personal_id="001150000123")
    assert with_id.personal_id == "001150000123"
    # Callers that do not ask for the check (API, imports, demo) are unchanged.
    services.person_create(actor=officer, full_name=NAME, birth_date="1950", sex="F", commune=commune.code)
    assert Person.objects.filter(name_folded="le thi kiem thu").count() == 3


def test_a_duplicate_personal_id_names_the_record_only_inside_the_users_area(officer, commune, far_commune):
    mine = make_person(
        commune=commune, full_name="Trần Văn Bình", birth_year=1950, personal_id="001050000321"
    )
    with pytest.raises(InvalidInput) as info:
        register(officer, commune, personal_id="001 050 000 321", birth_date="1950", sex="M")
    assert f"hồ sơ số {mine.pk}" in info.value.fields["personal_id"]
    assert "Trần Văn Bình" in info.value.fields["personal_id"]

    other = make_person(
        commune=far_commune, full_name="Phạm Văn Cường", birth_year=1950, personal_id="001050000654"
    )
    with pytest.raises(InvalidInput) as info:
        register(officer, commune, personal_id="001050000654", sex="M")
    message = info.value.fields["personal_id"]
    assert "ngoài địa bàn" in message
    assert str(other.pk) not in message and "Phạm Văn Cường" not in message


# --- F10: picking a person by record number ---------------------------------------------------


def test_person_pick_by_personal_id_or_record_number(officer, commune, far_commune):
    no_id = make_person(commune=commune, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    with_id = make_person(
        commune=commune, full_name="Trần Văn Bình", birth_year=1950, personal_id="001050000321"
    )
    assert person_pick(user=officer, record_number=str(no_id.pk)) == no_id
    assert person_pick(user=officer, record_number=f"Hồ sơ số {no_id.pk}") == no_id
    assert person_pick(user=officer, record_number=f"HS {no_id.pk}") == no_id
    assert person_pick(user=officer, personal_id="001 050 000 321") == with_id
    assert person_pick(user=officer, personal_id="001050000321", record_number=str(with_id.pk)) == with_id


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({}, "personal_id", "Chưa chọn người"),
        ({"record_number": "mười"}, "record_number", "không hợp lệ"),
        ({"record_number": "OUTSIDE"}, "record_number", "trong địa bàn bạn quản lý"),
        ({"personal_id": "001050000999"}, "personal_id", "Không tìm thấy người có số định danh"),
        ({"personal_id": "001050000321", "record_number": "NO_ID"}, "record_number", "chỉ cần nhập một"),
    ],
)
def test_person_pick_refusals(officer, commune, far_commune, kwargs, field, words):
    no_id = make_person(commune=commune, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    make_person(commune=commune, full_name="Trần Văn Bình", birth_year=1950, personal_id="001050000321")
    outside = make_person(commune=far_commune, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    kwargs = {k: {"OUTSIDE": str(outside.pk), "NO_ID": str(no_id.pk)}.get(v, v) for k, v in kwargs.items()}
    with pytest.raises(InvalidInput) as info:
        person_pick(user=officer, **kwargs)
    assert list(info.value.fields) == [field]
    assert words in info.value.fields[field]


def test_a_person_without_id_joins_a_household_by_record_number(officer, commune):
    head = make_person(
        commune=commune, full_name="Trần Văn Bình", birth_year=1950, personal_id="001050000321"
    )
    household = services.household_create(actor=officer, commune=commune.code, head=head)
    child = make_person(commune=commune, full_name="Trần Minh Khôi", birth_year=2020, personal_id=None)
    picked = person_pick(user=officer, record_number=f"Hồ sơ số {child.pk}")
    member = services.household_add_member(
        actor=officer, household=household, person=picked, relationship="child"
    )
    assert (member.person_id, member.household_id) == (child.pk, household.pk)


# --- household address --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Tổ dân phố 4, Phường Thành Vinh", "Tổ dân phố 4, Phường Thành Vinh"),
        ("to dan pho 4, phuong thanh vinh", "to dan pho 4, phuong thanh vinh"),
        ("Số 5 ngõ 12", "Số 5 ngõ 12, Tổ dân phố 4, Phường Thành Vinh"),
        ("Số 5, Tổ dân phố 4", "Số 5, Tổ dân phố 4, Phường Thành Vinh"),
        ("", "Tổ dân phố 4, Phường Thành Vinh"),
        ("Tổ dân phố 45", "Tổ dân phố 45, Tổ dân phố 4, Phường Thành Vinh"),
    ],
)
def test_address_line_names_the_village_and_commune_once(address, expected):
    assert address_line(address, "Tổ dân phố 4", "Phường Thành Vinh") == expected


def test_address_line_without_a_village():
    assert address_line("Phường Thành Vinh", "", "Phường Thành Vinh") == "Phường Thành Vinh"
    assert address_line("Xóm Chợ", None, "Xã Phúc Thịnh") == "Xóm Chợ, Xã Phúc Thịnh"
