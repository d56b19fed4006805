"""QA commune walkthrough (/work/notes/qa_commune.md) on the registry, household and decision pages:
F9 (likely duplicate without a personal ID; link to the holder of a duplicate ID), F10 (a member
without a personal ID, by record number), F13 (no decision form for the chairman or auditor),
the household address written twice and the search error that was not shown."""

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.decisions.models import Decision
from ansinh.registry.models import Household, HouseholdMember, Person
from ansinh.registry.tests.factories import make_person, make_user, make_village

pytestmark = pytest.mark.django_db

REGISTER = reverse("web:person_create")
NAME = "Lê Thị Kiểm Thử"


def text(response) -> str:
    return response.content.decode()


def person_post(world, **changes) -> dict:
    post = {
        "full_name": NAME,
        "personal_id": "",
        "birth_date": "1950",
        "sex": "F",
        "ethnicity": "Kinh",
        "commune": world.commune_a.pk,
        "village": "",
        "address": "Tổ dân phố 3",
        "phone": "0912345678",
        "bank_account": "",
        "bank_name": "",
    }
    post.update(changes)
    return post


def person_url(person) -> str:
    return reverse("web:person_detail", kwargs={"person_id": person.pk})


# --- F9 -------------------------------------------------------------------------------------------
def test_registering_the_same_person_twice_without_an_id_warns_and_writes_nothing(officer_client, world):
    assert officer_client.post(REGISTER, person_post(world)).status_code == 302
    first = Person.objects.get(name_folded="le thi kiem thu")
    count = Person.objects.count()

    # The same person again, typed without diacritics in upper case.
    response = officer_client.post(REGISTER, person_post(world, full_name="LE THI KIEM THU"))
    assert response.status_code == 200
    assert Person.objects.count() == count
    body = text(response)
    assert 'data-testid="likely-duplicates"' in body
    assert f'href="{person_url(first)}"' in body
    assert f"Hồ sơ số {first.pk}" in body
    assert "Vẫn đăng ký người mới" in body
    assert f'name="not_duplicate_of" value="{first.pk}"' in body
    # The typed values are kept for the confirmation.
    assert 'value="LE THI KIEM THU"' in body

    # "Vẫn đăng ký người mới": the officer has seen the match and confirms another person.
    response = officer_client.post(
        REGISTER,
        person_post(world, full_name="LE THI KIEM THU", not_duplicate_of=str(first.pk), confirm_new="1"),
    )
    assert response.status_code == 302
    assert Person.objects.filter(name_folded="le thi kiem thu").count() == 2


def test_the_confirmation_only_covers_the_records_shown(officer_client, world):
    first = make_person(commune=world.commune_a, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    count = Person.objects.count()
    # The button pressed without the records seen (or with others): still warned, nothing written.
    for seen in ("", "999999", f"{first.pk + 1}"):
        response = officer_client.post(REGISTER, person_post(world, not_duplicate_of=seen, confirm_new="1"))
        assert response.status_code == 200
        assert 'data-testid="likely-duplicates"' in text(response)
    # Without the button, the records listed earlier do not count as confirmed.
    response = officer_client.post(REGISTER, person_post(world, not_duplicate_of=str(first.pk)))
    assert 'data-testid="likely-duplicates"' in text(response)
    assert Person.objects.count() == count


def test_other_birth_year_or_other_commune_is_not_a_likely_duplicate(officer_client, world):
    make_person(commune=world.commune_a, full_name=NAME, birth_year=1945, sex="F", personal_id=None)
    make_person(commune=world.commune_b, full_name=NAME, birth_year=1950, sex="F", personal_id=None)
    assert officer_client.post(REGISTER, person_post(world)).status_code == 302


def test_a_duplicate_personal_id_links_to_the_person_who_holds_it(officer_client, world):
    count = Person.objects.count()
    post = person_post(
        world, full_name="Nguyễn Văn Ân", personal_id=world.an.personal_id, birth_date="1948", sex="M"
    )
    response = officer_client.post(REGISTER, post)
    assert response.status_code == 200
    assert f"hồ sơ số {world.an.pk}" in response.context["form"].errors["personal_id"][0]
    body = text(response)
    assert 'data-testid="existing-person"' in body
    assert f'href="{person_url(world.an)}"' in body
    assert Person.objects.count() == count


def test_a_duplicate_personal_id_of_another_commune_is_not_linked(officer_client, world):
    post = person_post(world, personal_id=world.person_b.personal_id, birth_date="1950", sex="M")
    response = officer_client.post(REGISTER, post)
    assert response.status_code == 200
    assert "đã được đăng ký cho một người khác" in response.context["form"].errors["personal_id"][0]
    body = text(response)
    assert 'data-testid="existing-person"' not in body
    assert person_url(world.person_b) not in body


# --- F10 ------------------------------------------------------------------------------------------
def test_a_person_without_an_id_is_added_to_a_household_by_record_number(officer_client, world):
    child = make_person(
        commune=world.commune_a, full_name="Nguyễn Minh Khôi", birth_year=2020, personal_id=None
    )
    page = text(
        officer_client.get(reverse("web:household_detail", kwargs={"household_id": world.household.pk}))
    )
    assert 'name="record_number"' in page
    response = officer_client.post(
        reverse("web:household_member_add", kwargs={"household_id": world.household.pk}),
        {"personal_id": "", "record_number": f"Hồ sơ số {child.pk}", "relationship": "grandchild"},
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(person=child, valid_to__isnull=True)
    assert (member.household_id, member.relationship) == (world.household.pk, "grandchild")


def test_a_record_number_of_another_commune_is_refused(officer_client, world):
    count = HouseholdMember.objects.count()
    response = officer_client.post(
        reverse("web:household_member_add", kwargs={"household_id": world.household.pk}),
        {"record_number": str(world.person_b.pk), "relationship": "sibling"},
    )
    assert response.status_code == 400
    errors = response.context["member_form"].errors
    assert (
        f"Không tìm thấy hồ sơ số {world.person_b.pk} trong địa bàn bạn quản lý" in errors["record_number"][0]
    )
    assert HouseholdMember.objects.count() == count


def test_no_member_chosen_is_explained(officer_client, world):
    response = officer_client.post(
        reverse("web:household_member_add", kwargs={"household_id": world.household.pk}),
        {"personal_id": "", "record_number": "", "relationship": "sibling"},
    )
    assert response.status_code == 400
    assert "Chưa chọn người" in response.context["member_form"].errors["personal_id"][0]


def test_a_household_head_without_an_id_by_record_number(officer_client, world):
    head = make_person(commune=world.commune_a, full_name="Lê Văn Cường", birth_year=1960, personal_id=None)
    response = officer_client.post(
        reverse("web:household_create"),
        {"commune": world.commune_a.pk, "address": "Số 1 Kim Mã", "head_record_number": str(head.pk)},
    )
    assert response.status_code == 302
    assert Household.objects.get(head=head).members.get().relationship == "head"


# --- F13 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["chairman", "auditor"])
def test_who_cannot_prepare_sees_a_notice_instead_of_the_decision_form(client, world, role):
    user = world.chairman_a if role == "chairman" else make_user(role=Role.AUDITOR, commune=world.commune_a)
    client.force_login(user)
    url = reverse("web:decision_create", kwargs={"person_id": world.an.pk})
    response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    assert 'data-testid="prepare-not-allowed"' in body
    assert "Chỉ công chức làm công tác xã hội của xã lập dự thảo quyết định" in body
    assert "<form" not in body.split("<main", 1)[-1] or 'name="kind"' not in body
    assert 'name="kind"' not in body and "Lập dự thảo</button>" not in body
    # Nor is the link to it on the person page.
    assert url not in text(client.get(person_url(world.an)))
    # A POST is refused without reading it: nothing written.
    count = Decision.objects.count()
    response = client.post(url, {"kind": "stop", "benefit": "monthly_allowance", "reason": "x"})
    assert response.status_code == 403
    assert Decision.objects.count() == count


def test_the_officer_still_sees_the_decision_form(officer_client, world):
    body = text(officer_client.get(reverse("web:decision_create", kwargs={"person_id": world.an.pk})))
    assert 'name="kind"' in body
    assert 'data-testid="prepare-not-allowed"' not in body


# --- household address ------------------------------------------------------------------------
def test_the_household_address_names_the_village_and_commune_once(officer_client, world):
    village = make_village(world.commune_a, "Tổ dân phố 4")
    household = Household.objects.create(
        commune=world.commune_a, village=village, address="Tổ dân phố 4, Phường Ba Đình"
    )
    body = text(officer_client.get(reverse("web:household_detail", kwargs={"household_id": household.pk})))
    assert '<dd data-testid="household-address">Tổ dân phố 4, Phường Ba Đình</dd>' in body

    household.address = "Số 7"
    household.save()
    body = text(officer_client.get(reverse("web:household_detail", kwargs={"household_id": household.pk})))
    assert '<dd data-testid="household-address">Số 7, Tổ dân phố 4, Phường Ba Đình</dd>' in body


# --- search -----------------------------------------------------------------------------------
@pytest.mark.parametrize("htmx", [False, True])
def test_a_too_long_search_shows_the_error(officer_client, world, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = officer_client.get(reverse("web:person_search"), {"q": "a" * 151}, **headers)
    assert response.status_code == 200
    body = text(response)
    assert 'data-testid="search-error"' in body
    assert "Nội dung tìm kiếm dài quá 150 ký tự (đang có 151)" in body


def test_a_long_search_under_the_limit_says_nothing_was_found(officer_client, world):
    query = "xyz " * 30  # 119 characters
    response = officer_client.get(reverse("web:person_search"), {"q": query})
    assert response.status_code == 200
    assert "Không tìm thấy ai với" in text(response)
    response = officer_client.get(reverse("web:person_search"), {"q": "nguyen " * 15})
    assert response.context["results"] == [world.an]


def test_search_results_show_the_record_number(officer_client, world):
    body = text(officer_client.get(reverse("web:person_search"), {"q": "pham thi binh"}))
    assert f'<td class="nowrap">{world.wife.pk}</td>' in body
