import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.registry import services
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
from ansinh.registry.tests.factories import make_household, make_person, make_village

pytestmark = pytest.mark.django_db

GOOD = {
    "personal_id": "001150000123",
    "full_name": "  nguyễn   THỊ   lan ",
    "birth_date": "03/1950",
    "sex": "F",
    "ethnicity": "Tày",
    "address": "Số 5, ngõ 2",
    "phone": "0912 345 678",
}


def counts():
    return (
        Person.objects.count(),
        Household.objects.count(),
        HouseholdMember.objects.count(),
        HouseholdPoverty.objects.count(),
        Residence.objects.count(),
        AuditEvent.objects.count(),
    )


def create(actor, where, /, **overrides):
    return services.person_create(actor=actor, **{**GOOD, "commune": where.code, **overrides})


# --- person_create ------------------------------------------------------------------------


def test_create_cleans_the_name_and_writes_an_audit_row(officer, commune):
    person = create(officer, commune)
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.name_folded == "nguyen thi lan"
    assert (person.birth_year, person.birth_month, person.birth_day) == (1950, 3, None)
    assert person.phone == "0912345678"
    event = AuditEvent.objects.get()
    assert event.actor == officer
    assert event.action == "person.create"
    assert event.entity_type == "registry.person"
    assert event.entity_id == str(person.pk)
    assert event.area_code == "00001"
    assert event.before is None
    assert event.after["personal_id"] == "001150000123"
    assert event.after["full_name"] == "Nguyễn Thị Lan"
    assert event.after["commune_id"] == "00001"
    assert Residence.objects.get(person=person).valid_to is None


def test_create_takes_decomposed_unicode_as_nfc(officer, commune):
    import unicodedata

    person = create(officer, commune, full_name=unicodedata.normalize("NFD", "Trần Văn Đức"), personal_id="")
    assert person.full_name == unicodedata.normalize("NFC", "Trần Văn Đức")
    assert person.name_folded == "tran van duc"
    assert person.personal_id is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"personal_id": "001150000"}, "personal_id", "phải có đúng 12 chữ số"),
        ({"personal_id": "001050000123"}, "personal_id", "giới tính Nam (chữ số thứ 4 là 0)"),
        ({"personal_id": "001151000123"}, "personal_id", "ghi năm sinh 1951"),
        ({"birth_date": "31/02/1950"}, "birth_date", "Ngày 31/02/1950 không có thật"),
        ({"birth_date": "13/1950"}, "birth_date", "Tháng 13 không hợp lệ"),
        ({"birth_date": "01/01/2999"}, "birth_date", "Năm 2999 không hợp lệ"),
        ({"commune": "99999"}, "commune", "Không có xã/phường mã “99999”"),
        ({"full_name": "  "}, "full_name", "Chưa nhập họ và tên."),
        ({"sex": "X"}, "sex", "chọn Nam hoặc Nữ"),
        ({"phone": "12345"}, "phone", "Số điện thoại phải gồm 10–11 chữ số"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(officer, commune, overrides, field, message):
    before = counts()
    with pytest.raises(InvalidInput) as info:
        create(officer, commune, **overrides)
    assert field in info.value.fields
    assert message in info.value.fields[field]
    assert counts() == before


def test_several_errors_are_reported_together(officer, commune):
    with pytest.raises(InvalidInput) as info:
        create(officer, commune, full_name="", commune="99999", sex="")
    assert set(info.value.fields) == {"full_name", "commune", "sex"}
    assert info.value.message.startswith("Có 3 lỗi cần sửa: ")


def test_a_personal_id_already_registered_is_refused(officer, commune):
    create(officer, commune)
    before = counts()
    holder = Person.objects.get(personal_id="001150000123")
    with pytest.raises(InvalidInput) as info:
        create(officer, commune, full_name="Người Khác")
    # The officer may see the holder (same area): the message names the record to open.
    assert info.value.fields == {
        "personal_id": "Số định danh cá nhân 001150000123 đã được đăng ký cho một người khác: "
        f"{holder.full_name}, hồ sơ số {holder.pk}. Mở hồ sơ đó thay vì đăng ký mới."
    }
    assert counts() == before


def test_a_village_of_another_commune_is_refused(officer, commune, neighbour):
    village = make_village(neighbour, name="Thôn Đông")
    with pytest.raises(InvalidInput) as info:
        create(officer, commune, village=village.pk)
    assert info.value.fields == {
        "village": "Thôn “Thôn Đông” không thuộc xã Xã Phúc Thịnh: chọn thôn của xã đó."
    }


def test_an_auditor_cannot_write(auditor, commune):
    before = counts()
    with pytest.raises(NotAllowed) as info:
        create(auditor, commune)
    assert (
        info.value.message == "Tài khoản thanh tra, kiểm toán chỉ được xem dữ liệu, không được thêm hoặc sửa."
    )
    assert counts() == before


def test_an_officer_cannot_register_in_another_commune(officer, neighbour):
    before = counts()
    with pytest.raises(NotAllowed) as info:
        create(officer, neighbour)
    assert "Xã mã 00002 nằm ngoài địa bàn" in info.value.message
    assert counts() == before


def test_a_province_officer_registers_in_any_commune_of_the_province(
    province_officer, neighbour, far_commune
):
    assert create(province_officer, neighbour).commune_id == "00002"
    with pytest.raises(NotAllowed):
        create(province_officer, far_commune, personal_id="")


# --- person_update ------------------------------------------------------------------------


def test_update_audits_only_the_changed_fields(officer, commune):
    person = create(officer, commune)
    services.person_update(actor=officer, person=person, full_name="nguyễn thị lành", phone="0912345678")
    event = AuditEvent.objects.get(action="person.update")
    assert event.actor == officer
    assert event.before == {"full_name": "Nguyễn Thị Lan", "name_folded": "nguyen thi lan"}
    assert event.after == {"full_name": "Nguyễn Thị Lành", "name_folded": "nguyen thi lanh"}
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Lành"


def test_update_without_a_change_writes_no_audit_row(officer, commune):
    person = create(officer, commune)
    services.person_update(actor=officer, person=person, full_name="Nguyễn Thị Lan")
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_update_checks_the_id_against_a_changed_birth_year(officer, commune):
    person = create(officer, commune)
    before = counts()
    with pytest.raises(InvalidInput) as info:
        services.person_update(actor=officer, person=person, birth_date="1951")
    assert "ghi năm sinh 1950" in info.value.fields["personal_id"]
    person.refresh_from_db()
    assert person.birth_year == 1950
    assert counts() == before


def test_a_move_closes_the_residence_and_is_recorded_for_both_communes(province_officer, commune, neighbour):
    village = make_village(commune, "Thôn Tây")
    person = create(province_officer, commune, village=village.pk)
    services.person_update(
        actor=province_officer, person=person, commune=neighbour.code, address="Tổ 3", moved_on="01/10/2026"
    )
    person.refresh_from_db()
    assert (person.commune_id, person.village_id, person.address) == ("00002", None, "Tổ 3")
    old, new = Residence.objects.filter(person=person).order_by("id")
    assert (old.commune_id, old.village_id, old.valid_to) == ("00001", village.pk, dt.date(2026, 10, 1))
    assert (new.commune_id, new.valid_from, new.valid_to) == ("00002", dt.date(2026, 10, 1), None)
    update = AuditEvent.objects.get(action="person.update")
    assert update.area_code == "00001"
    assert update.before["commune_id"] == "00001" and update.after["commune_id"] == "00002"
    move = AuditEvent.objects.get(action="person.residence_change")
    assert move.area_code == "00002"
    assert move.before == {"commune_id": "00001", "village_id": village.pk, "address": "Số 5, ngõ 2"}
    assert move.after == {
        "commune_id": "00002",
        "village_id": None,
        "address": "Tổ 3",
        "moved_on": "2026-10-01",
    }


def test_update_to_a_commune_that_does_not_exist_is_refused(officer, commune):
    person = create(officer, commune)
    before = counts()
    with pytest.raises(InvalidInput) as info:
        services.person_update(actor=officer, person=person, commune="12345")
    assert info.value.fields == {
        "commune": "Không có xã/phường mã “12345”: chọn xã trong danh sách hoặc kiểm tra lại mã (5 chữ số)."
    }
    assert counts() == before


def test_update_outside_the_area_is_refused(officer, neighbour):
    person = make_person(commune=neighbour)
    with pytest.raises(NotAllowed):
        services.person_update(actor=officer, person=person, phone="0912345678")
    assert AuditEvent.objects.count() == 0


# --- person_record_death --------------------------------------------------------------------


def test_death_is_recorded_with_an_audit_row(officer, commune):
    person = make_person(commune=commune, birth_year=1940)
    services.person_record_death(actor=officer, person=person, date_of_death="05/03/2026")
    person.refresh_from_db()
    assert person.date_of_death == dt.date(2026, 3, 5)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.area_code) == ("person.death", officer, "00001")
    assert event.before == {"date_of_death": None}
    assert event.after == {"date_of_death": "2026-03-05"}


def test_death_before_birth_is_refused(officer, commune):
    person = make_person(commune=commune, birth_year=1950, birth_month=6)
    with pytest.raises(InvalidInput) as info:
        services.person_record_death(actor=officer, person=person, date_of_death="31/05/1950")
    assert info.value.fields == {
        "date_of_death": "Ngày mất 31/05/1950 ở trước ngày sinh (06/1950): kiểm tra lại ngày mất."
    }
    person.refresh_from_db()
    assert person.date_of_death is None
    assert AuditEvent.objects.count() == 0


def test_death_in_the_future_is_refused(officer, commune):
    person = make_person(commune=commune)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput) as info:
        services.person_record_death(actor=officer, person=person, date_of_death=tomorrow)
    assert list(info.value.fields) == ["date_of_death"]
    assert "ở sau ngày hôm nay" in info.value.message
    person.refresh_from_db()
    assert person.date_of_death is None
    assert AuditEvent.objects.count() == 0


# --- households ---------------------------------------------------------------------------


def test_household_with_a_head(officer, commune):
    head = make_person(commune=commune)
    household = services.household_create(actor=officer, commune=commune.code, address="Thôn 1", head=head)
    assert household.head == head
    member = HouseholdMember.objects.get(household=household)
    assert (member.person, member.relationship, member.valid_to) == (head, "head", None)
    assert list(AuditEvent.objects.order_by("id").values_list("action", "entity_id", "area_code")) == [
        ("household.create", str(household.pk), "00001"),
        ("household.member_add", str(household.pk), "00001"),
    ]


def test_household_in_a_commune_that_does_not_exist_is_refused(officer):
    before = counts()
    with pytest.raises(InvalidInput) as info:
        services.household_create(actor=officer, commune="77777")
    assert list(info.value.fields) == ["commune"]
    assert counts() == before


def test_joining_another_household_closes_the_previous_membership(officer, commune):
    child = make_person(commune=commune, full_name="Lê Văn Bình", birth_year=2015)
    first = make_household(commune=commune, members=[(child, "child")])
    second = make_household(commune=commune)
    services.household_add_member(
        actor=officer, household=second, person=child, relationship="grandchild", valid_from="01/09/2026"
    )
    rows = list(
        HouseholdMember.objects.filter(person=child)
        .order_by("id")
        .values_list("household_id", "relationship", "valid_from", "valid_to")
    )
    assert rows == [
        (first.pk, "child", dt.date(2020, 1, 1), dt.date(2026, 9, 1)),
        (second.pk, "grandchild", dt.date(2026, 9, 1), None),
    ]
    event = AuditEvent.objects.get(action="household.member_add")
    assert event.before == {
        "household_id": first.pk,
        "person_id": child.pk,
        "relationship": "child",
        "valid_to": None,
    }
    assert event.after["household_id"] == second.pk


def test_a_second_head_is_refused(officer, commune):
    head = make_person(commune=commune)
    other = make_person(commune=commune, full_name="Trần Văn Cường")
    household = make_household(commune=commune, head=head)
    before = counts()
    with pytest.raises(InvalidInput) as info:
        services.household_add_member(actor=officer, household=household, person=other, relationship="head")
    assert info.value.fields == {
        "relationship": "Hộ đã có chủ hộ Nguyễn Văn An: cho người đó ra khỏi hộ hoặc đổi quan hệ của người đó trước."
    }
    assert counts() == before


def test_removing_the_head_keeps_the_row_and_clears_the_head(officer, commune):
    head = make_person(commune=commune)
    household = make_household(commune=commune, head=head)
    services.household_remove_member(actor=officer, household=household, person=head, valid_to="01/10/2026")
    member = HouseholdMember.objects.get(person=head)
    assert member.valid_to == dt.date(2026, 10, 1)
    household.refresh_from_db()
    assert household.head is None
    event = AuditEvent.objects.get(action="household.member_remove")
    assert event.after == {"person_id": head.pk, "relationship": "head", "valid_to": "2026-10-01"}


def test_poverty_is_kept_per_year_and_a_change_audits_the_previous_value(officer, commune):
    household = make_household(commune=commune)
    services.household_set_poverty(
        actor=officer, household=household, year=2024, status="poor", certificate_number="12/HN"
    )
    services.household_set_poverty(actor=officer, household=household, year=2025, status="near_poor")
    services.household_set_poverty(actor=officer, household=household, year=2025, status="none")
    rows = list(
        HouseholdPoverty.objects.filter(household=household)
        .order_by("year")
        .values_list("year", "status", "certificate_number", "standard")
    )
    assert rows == [
        (2024, "poor", "12/HN", "Nghị định 07/2021/NĐ-CP"),
        (2025, "none", "", "Nghị định 07/2021/NĐ-CP"),
    ]
    change = AuditEvent.objects.filter(action="household.poverty_set").order_by("id").last()
    assert change.before == {
        "year": 2025,
        "status": "near_poor",
        "certificate_number": "",
        "standard": "Nghị định 07/2021/NĐ-CP",
    }
    assert change.after == {
        "year": 2025,
        "status": "none",
        "certificate_number": "",
        "standard": "Nghị định 07/2021/NĐ-CP",
    }
    assert AuditEvent.objects.filter(action="household.poverty_set").count() == 3


def test_a_bad_poverty_status_is_refused(officer, commune):
    household = make_household(commune=commune)
    with pytest.raises(InvalidInput) as info:
        services.household_set_poverty(actor=officer, household=household, year=1990, status="rich")
    assert set(info.value.fields) == {"year", "status"}
    assert HouseholdPoverty.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_auditor_cannot_set_poverty(auditor, commune):
    household = make_household(commune=commune)
    with pytest.raises(NotAllowed):
        services.household_set_poverty(actor=auditor, household=household, year=2025, status="poor")
    assert HouseholdPoverty.objects.count() == 0


# --- facts --------------------------------------------------------------------------------


def test_disability_is_recorded_and_audited(officer, commune):
    person = make_person(commune=commune)
    row = services.disability_record(
        actor=officer,
        person=person,
        disability_type="mobility",
        level="severe",
        determined_on="10/02/2026",
        determining_body="Hội đồng xác định mức độ khuyết tật xã",
    )
    assert (row.level, row.determined_on) == ("severe", dt.date(2026, 2, 10))
    event = AuditEvent.objects.get()
    assert (event.action, event.entity_id, event.actor) == (
        "person.disability_record",
        str(person.pk),
        officer,
    )
    assert event.after["level"] == "severe"


def test_disability_with_a_bad_level_and_date_before_birth_is_refused(officer, commune):
    person = make_person(commune=commune, birth_year=2000)
    with pytest.raises(InvalidInput) as info:
        services.disability_record(
            actor=officer,
            person=person,
            disability_type="mobility",
            level="light",
            determined_on="01/01/1999",
        )
    assert set(info.value.fields) == {"level", "determined_on"}
    assert DisabilityDetermination.objects.count() == 0


def test_a_new_pension_closes_the_previous_one(officer, commune):
    person = make_person(commune=commune)
    services.income_record(
        actor=officer, person=person, kind="pension", valid_from="01/01/2020", monthly_amount=3_000_000
    )
    services.income_record(
        actor=officer, person=person, kind="pension", valid_from="01/07/2024", monthly_amount="3.450.000"
    )
    rows = list(IncomeStatus.objects.order_by("id").values_list("valid_from", "valid_to", "monthly_amount"))
    assert rows == [
        (dt.date(2020, 1, 1), dt.date(2024, 7, 1), 3_000_000),
        (dt.date(2024, 7, 1), None, 3_450_000),
    ]
    event = AuditEvent.objects.filter(action="person.income_record").order_by("id").last()
    assert event.before["valid_to"] is None and event.after["monthly_amount"] == 3_450_000


def test_income_as_float_is_refused(officer, commune):
    person = make_person(commune=commune)
    with pytest.raises(InvalidInput) as info:
        services.income_record(
            actor=officer, person=person, kind="pension", valid_from="01/01/2020", monthly_amount=1.5
        )
    assert info.value.fields == {"monthly_amount": "Số tiền phải là số nguyên đồng."}
    assert IncomeStatus.objects.count() == 0


def test_schooling_is_recorded(officer, commune):
    person = make_person(commune=commune, birth_year=2010)
    row = services.schooling_record(
        actor=officer,
        person=person,
        valid_from="05/09/2025",
        valid_to="31/05/2028",
        institution="Trường THPT Phúc Thịnh",
        level="THPT",
    )
    assert (row.valid_from, row.valid_to) == (dt.date(2025, 9, 5), dt.date(2028, 5, 31))
    assert AuditEvent.objects.get().action == "person.schooling_record"


def test_schooling_ending_before_it_starts_is_refused(officer, commune):
    person = make_person(commune=commune, birth_year=2010)
    with pytest.raises(InvalidInput) as info:
        services.schooling_record(
            actor=officer, person=person, valid_from="05/09/2025", valid_to="01/09/2025"
        )
    assert info.value.fields == {"valid_to": "Ngày kết thúc học phải sau ngày bắt đầu."}
    assert SchoolingStatus.objects.count() == 0
