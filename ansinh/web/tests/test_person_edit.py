"""Correcting a person's details from the web (/doi-tuong/<id>/sua/, person_update underneath)."""

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.core.models import AuditEvent
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def edit_url(person) -> str:
    return reverse("web:person_edit", kwargs={"person_id": person.pk})


def detail_url(person) -> str:
    return reverse("web:person_detail", kwargs={"person_id": person.pk})


def current_post(response) -> dict:
    """The prefilled form as a browser would send it back unchanged."""
    form = response.context["form"]
    return {
        name: "" if (value := form[name].value()) is None else value
        for name in form.fields
        if name != "moved_on"
    } | {"moved_on": ""}


def person_row(person) -> tuple:
    return tuple(Person.objects.filter(pk=person.pk).values_list().get())


def test_the_person_page_has_an_edit_link_for_the_officer(officer_client, world):
    body = text(officer_client.get(detail_url(world.an)))
    assert "Sửa thông tin" in body
    assert edit_url(world.an) in body


def test_the_form_is_prefilled_with_the_current_values(officer_client, world):
    response = officer_client.get(edit_url(world.an))
    assert response.status_code == 200
    post = current_post(response)
    assert post["full_name"] == "Nguyễn Văn An"
    assert post["personal_id"] == "001048000123"
    assert post["birth_date"] == "12/03/1948"
    assert post["sex"] == "M"
    assert post["address"] == "Số 5 ngõ 12 Đội Cấn"
    assert post["village"] == world.an.village_id
    # Only the villages of the person's commune are offered.
    villages = response.context["form"].fields["village"].queryset
    assert {v.commune_id for v in villages} == {world.commune_a.pk}


def test_editing_the_name_and_bank_account_writes_them_and_one_audit_event(officer_client, world):
    post = current_post(officer_client.get(edit_url(world.an)))
    events = AuditEvent.objects.filter(action="person.update", entity_id=str(world.an.pk))
    assert events.count() == 0
    post.update(full_name="nguyễn văn  ân", bank_account="1234 5678 9012", bank_name="Agribank")

    response = officer_client.post(edit_url(world.an), post)

    assert response.status_code == 302
    assert response["Location"] == detail_url(world.an)
    world.an.refresh_from_db()
    assert (world.an.full_name, world.an.name_folded) == ("Nguyễn Văn Ân", "nguyen van an")
    assert (world.an.bank_account, world.an.bank_name) == ("123456789012", "Agribank")
    # Untouched fields keep their values.
    assert (world.an.birth_year, world.an.birth_month, world.an.birth_day) == (1948, 3, 12)
    assert world.an.personal_id == "001048000123"
    assert events.count() == 1
    event = events.get()
    assert event.actor == world.officer_a
    assert event.area_code == world.commune_a.pk
    assert event.before["full_name"] == "Nguyễn Văn An"
    assert event.after["full_name"] == "Nguyễn Văn Ân"
    assert event.before["bank_account"] == ""
    assert event.after["bank_account"] == "123456789012"
    assert "personal_id" not in event.after
    page = text(officer_client.get(response["Location"]))
    assert "Đã cập nhật thông tin đối tượng Nguyễn Văn Ân." in page
    assert "123456789012 (Agribank)" in page


def test_phone_address_village_and_social_security_account(officer_client, world):
    post = current_post(officer_client.get(edit_url(world.wife)))
    post.update(
        phone="+84 912 000 111",
        address="Số 7 ngõ 12 Đội Cấn",
        village=world.an.village_id,
        social_security_account="ASXH-0001",
    )
    assert officer_client.post(edit_url(world.wife), post).status_code == 302
    world.wife.refresh_from_db()
    assert world.wife.phone == "0912000111"
    assert world.wife.address == "Số 7 ngõ 12 Đội Cấn"
    assert world.wife.village_id == world.an.village_id
    assert world.wife.social_security_account == "ASXH0001"
    assert AuditEvent.objects.filter(action="person.residence_change", entity_id=str(world.wife.pk)).exists()


def test_submitting_the_form_unchanged_writes_nothing(officer_client, world):
    post = current_post(officer_client.get(edit_url(world.an)))
    before = person_row(world.an)
    audit = AuditEvent.objects.count()
    response = officer_client.post(edit_url(world.an), post, follow=True)
    assert "Không có thông tin nào thay đổi." in text(response)
    assert person_row(world.an) == before
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"personal_id": "001048000124x"}, "personal_id", None),
        ({"personal_id": "001148000123"}, "personal_id", None),  # says female; An is male
        ({"full_name": ""}, "full_name", "Chưa nhập họ và tên."),
        ({"full_name": "   "}, "full_name", "Chưa nhập họ và tên."),
        ({"birth_date": "31/02/1948"}, "birth_date", None),
        ({"phone": "12345"}, "phone", None),
    ],
)
def test_a_refused_value_is_shown_beside_its_field_and_nothing_changes(
    officer_client, world, change, field, message
):
    post = current_post(officer_client.get(edit_url(world.an)))
    post.update(change, bank_account="999888777")
    before = person_row(world.an)
    audit = AuditEvent.objects.count()

    response = officer_client.post(edit_url(world.an), post)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    body = text(response)
    assert f'id="id_{field}_errors"' in body
    assert "Có thông tin chưa đúng" in body
    # The user's input is kept.
    assert response.context["form"][field].value() == change[field]
    assert 'value="999888777"' in body
    assert person_row(world.an) == before
    assert AuditEvent.objects.count() == audit


def test_personal_id_of_another_person_is_refused(officer_client, world):
    post = current_post(officer_client.get(edit_url(world.an)))
    post["personal_id"] = world.person_b.personal_id
    post["birth_date"] = "1950"  # person_b's year, so only the duplicate is wrong
    before = person_row(world.an)
    response = officer_client.post(edit_url(world.an), post)
    assert response.status_code == 200
    assert "đã được đăng ký cho một người khác" in response.context["form"].errors["personal_id"][0]
    assert person_row(world.an) == before


@pytest.mark.parametrize(
    "birth_date, parts",
    [("1940", (1940, None, None)), ("07/1940", (1940, 7, None)), ("05/07/1940", (1940, 7, 5))],
)
def test_a_partial_birth_date_round_trips(officer_client, world, birth_date, parts):
    person = make_person(commune=world.commune_a, full_name="Lê Thị Hoa", birth_year=1940, sex="F")
    post = current_post(officer_client.get(edit_url(person)))
    assert post["birth_date"] == "1940"
    post["birth_date"] = birth_date
    assert officer_client.post(edit_url(person), post).status_code == 302
    person.refresh_from_db()
    assert (person.birth_year, person.birth_month, person.birth_day) == parts
    # Shown again exactly as typed: year only stays year only.
    again = current_post(officer_client.get(edit_url(person)))
    assert again["birth_date"] == birth_date
    audit = AuditEvent.objects.filter(action="person.update", entity_id=str(person.pk)).count()
    assert officer_client.post(edit_url(person), again).status_code == 302
    assert AuditEvent.objects.filter(action="person.update", entity_id=str(person.pk)).count() == audit


def test_a_year_only_birth_is_kept_when_another_field_is_edited(officer_client, world):
    post = current_post(officer_client.get(edit_url(world.wife)))
    assert post["birth_date"] == "1952"
    post["phone"] = "0987654321"
    assert officer_client.post(edit_url(world.wife), post).status_code == 302
    world.wife.refresh_from_db()
    assert (world.wife.birth_year, world.wife.birth_month, world.wife.birth_day) == (1952, None, None)
    assert world.wife.phone == "0987654321"


def test_an_auditor_sees_no_link_and_cannot_edit(client, world):
    auditor = make_user(role=Role.AUDITOR, commune=world.commune_a)
    client.force_login(auditor)
    page = client.get(detail_url(world.an))
    assert page.status_code == 200
    assert "Sửa thông tin" not in text(page)
    assert edit_url(world.an) not in text(page)
    assert client.get(edit_url(world.an)).status_code == 403
    before = person_row(world.an)
    audit = AuditEvent.objects.count()
    response = client.post(edit_url(world.an), {"full_name": "Kẻ Gian", "bank_account": "111"})
    assert response.status_code == 403
    assert person_row(world.an) == before
    assert AuditEvent.objects.count() == audit


def test_an_officer_of_another_commune_cannot_edit(client, world):
    client.force_login(world.officer_b)
    before = person_row(world.an)
    audit = AuditEvent.objects.count()
    assert client.get(edit_url(world.an)).status_code == 404
    response = client.post(edit_url(world.an), {"full_name": "Kẻ Gian", "bank_account": "111"})
    assert response.status_code == 404
    assert "Không tìm thấy" in text(response)
    assert person_row(world.an) == before
    assert AuditEvent.objects.count() == audit


def test_the_chairman_may_correct_details(chairman_client, world):
    assert "Sửa thông tin" in text(chairman_client.get(detail_url(world.an)))
    post = current_post(chairman_client.get(edit_url(world.an)))
    post["phone"] = "0912345678"
    assert chairman_client.post(edit_url(world.an), post).status_code == 302
    world.an.refresh_from_db()
    assert world.an.phone == "0912345678"


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(edit_url(world.an))
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]
