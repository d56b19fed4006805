"""The review pages (/ra-soat/): items by commune, a decision prepared from an item, the job."""

import pytest
from django.urls import reverse

from ansinh.decisions.models import Decision
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_run_pending
from ansinh.review.models import ReviewItem, ReviewStatus
from ansinh.review.services import review_run
from ansinh.review.tests.dataset import MONTH, build


@pytest.fixture
def world(db):
    world = build()
    review_run(month=MONTH)
    return world


def test_the_officer_sees_the_months_items_of_their_commune_with_the_reason(client, world):
    client.force_login(world.office.officer)
    response = client.get("/ra-soat/", {"month": "2026-11"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trẻ em đã đủ 4 tuổi: hệ số giảm" in body
    assert "Đủ 16 tuổi nhưng không (còn) đi học: thôi hưởng" in body
    assert [c["commune_id"] for c in response.context["communes"]] == ["00001"]
    assert len(response.context["items"]) == 10
    assert "Đối tượng other_commune" not in body


def test_another_communes_items_are_not_shown(client, world):
    client.force_login(world.office.officer)
    response = client.get("/ra-soat/", {"month": "2026-11", "commune": "00002"})
    assert response.context["items"] == []


def test_a_decision_is_prepared_from_an_item_with_the_law_amount(client, world):
    item = ReviewItem.objects.get(person=world.people["turned_4"])
    url = reverse("web:decision_create", kwargs={"person_id": item.person_id})
    client.force_login(world.office.officer)
    form = client.get(url, {"ra_soat": item.pk})
    assert form.status_code == 200
    assert (form.context["form"].initial["kind"], form.context["form"].initial["benefit"]) == (
        "adjust",
        "monthly_allowance",
    )
    facts = form.context["facts_form"].initial
    assert (facts["birth_date"], facts["child_support_loss"]) == ("10/08/2022", "b")
    response = client.post(
        url,
        {
            "review_item": item.pk,
            "kind": "adjust",
            "benefit": "monthly_allowance",
            "event_date": "10/08/2026",
            "coefficient": "2,5",  # typed and ignored
            "facts-birth_date": "10/08/2022",
            "facts-child_support_loss": "b",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = Decision.objects.get(person=item.person, kind="adjust")
    assert (decision.category, str(decision.coefficient)) == ("1", "1.50")
    item.refresh_from_db()
    assert (item.status, item.decision_id) == (ReviewStatus.PREPARED, decision.pk)


def test_an_item_of_another_commune_is_404(client, world):
    item = ReviewItem.objects.get(person=world.people["other_commune"])
    own = world.people["turned_4"]
    client.force_login(world.office.officer)
    url = reverse("web:decision_create", kwargs={"person_id": own.pk})
    assert client.get(url, {"ra_soat": item.pk}).status_code == 404
    assert client.post(reverse("review:dismiss", kwargs={"review_item_id": item.pk})).status_code == 404
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.OPEN


def test_an_item_can_be_dismissed(client, world):
    item = ReviewItem.objects.get(person=world.people["wrong_amount"])
    client.force_login(world.office.officer)
    response = client.post(reverse("review:dismiss", kwargs={"review_item_id": item.pk}))
    assert response.status_code == 302
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.DISMISSED


def test_the_review_runs_as_a_background_job(client, world):
    ReviewItem.objects.all().delete()
    client.force_login(world.office.officer)
    response = client.post(reverse("review:start"), {"month": "2026-11"})
    job = Job.objects.get(name="review.run")
    assert response["Location"] == reverse("jobs:detail", args=[job.id])
    assert job.area_code == "00001"
    job_run_pending()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert "Đã rà soát 13 chế độ: 10 trường hợp cần quyết định." == job.result["message"]
    assert ReviewItem.objects.filter(commune_id="00001").count() == 10
    assert not ReviewItem.objects.filter(commune_id="00002").exists()


def test_an_auditor_or_the_chairman_cannot_dismiss_an_item(client, world):
    from ansinh.accounts.models import Role
    from ansinh.registry.tests.factories import make_user

    item = ReviewItem.objects.get(person=world.people["wrong_amount"])
    auditor = make_user(commune=world.office.commune, role=Role.AUDITOR)
    for user in (auditor, world.office.chairman):
        client.force_login(user)
        response = client.post(reverse("review:dismiss", kwargs={"review_item_id": item.pk}))
        assert response.status_code == 302
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.OPEN
