import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Entitlement
from ansinh.review.models import ReviewItem, ReviewRun, ReviewStatus
from ansinh.review.services import review_item_close, review_run
from ansinh.review.tests.dataset import EXPECTED, MONTH, build


@pytest.fixture
def world(db):
    return build()


def _rows(world, **filters):
    keys = {person.pk: key for key, person in world.people.items()}
    rows = {}
    for item in ReviewItem.objects.filter(month=MONTH, **filters):
        rows[keys[item.person_id]] = (
            item.commune_id,
            item.benefit,
            item.reason,
            item.action,
            item.category,
            str(item.coefficient),
            item.current_amount,
            item.law_category,
            None if item.law_coefficient is None else str(item.law_coefficient),
            item.law_amount,
            item.age,
            item.event_date,
            item.effective_month,
        )
    return rows


def test_the_review_finds_each_kind_of_change_exactly(world):
    run = review_run(month=MONTH)
    assert _rows(world) == EXPECTED
    assert (run.reviewed, run.item_count) == (14, len(EXPECTED))
    assert ReviewItem.objects.get(person=world.people["dead"]).entitlement == Entitlement.objects.get(
        person=world.people["dead"]
    )


def test_an_area_limits_the_review_to_its_communes(world):
    run = review_run(month=MONTH, area_code="00002")
    assert list(_rows(world)) == ["other_commune"]
    assert (run.reviewed, run.item_count) == (1, 1)


def test_running_the_same_month_again_gives_the_same_items_and_keeps_handled_ones(world):
    review_run(month=MONTH)
    first = _rows(world)
    handled = ReviewItem.objects.get(person=world.people["wrong_amount"])
    review_item_close(actor=world.office.officer, item=handled, dismiss=True)
    run = review_run(month=MONTH, chunk=3)  # small chunks: the keyset walk gives the same answer
    assert _rows(world) == first
    assert ReviewItem.objects.count() == len(EXPECTED)
    assert ReviewItem.objects.get(pk=handled.pk).status == ReviewStatus.DISMISSED
    assert run.item_count == len(EXPECTED)
    assert ReviewRun.objects.count() == 2
    assert AuditEvent.objects.filter(action="review.run").count() == 2


def test_a_change_recorded_between_runs_removes_the_open_item(world):
    review_run(month=MONTH)
    entitlement = Entitlement.objects.get(person=world.people["wrong_amount"])
    Entitlement.objects.filter(pk=entitlement.pk).update(coefficient=Decimal("2.0"))
    review_run(month=MONTH)
    assert "wrong_amount" not in _rows(world)
    assert len(_rows(world)) == len(EXPECTED) - 1


def test_progress_is_reported(world):
    calls = []
    review_run(
        month=MONTH, progress=lambda done, total=None, message=None: calls.append((done, total)), chunk=4
    )
    assert calls[0] == (0, 14)
    assert [c[0] for c in calls[1:]] == [4, 8, 12, 14, 14]


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"month": dt.date(2021, 6, 1)}, "month"),
        ({"month": MONTH, "area_code": "1"}, "area"),
        ({"month": MONTH, "area_code": "99999"}, "area"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, kwargs, field):
    with pytest.raises(InvalidInput) as error:
        review_run(**kwargs)
    assert field in error.value.fields
    assert not ReviewRun.objects.exists() and not ReviewItem.objects.exists()


def test_an_officer_reviews_only_their_commune(world):
    with pytest.raises(NotAllowed):
        review_run(month=MONTH, area_code="00002", actor=world.office.officer)
    with pytest.raises(NotAllowed):
        review_run(month=MONTH, area_code="", actor=world.office.officer)
    review_run(month=MONTH, area_code="00001", actor=world.office.officer)
    assert "other_commune" not in _rows(world)


def test_command_reviews_and_prints_per_commune(world, capsys):
    call_command("review", "--month", "2026-11", "--no-progress")
    out = capsys.readouterr().out
    assert ReviewItem.objects.count() == len(EXPECTED)
    assert "00001" in out and "00002" in out
    assert "Trẻ em đã đủ 4 tuổi: hệ số giảm" in out


def test_command_names_a_bad_month(world):
    with pytest.raises(CommandError, match="month"):
        call_command("review", "--month", "2026-13", "--no-progress")
