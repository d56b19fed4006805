"""The demo commune at work (ansinh.demo.activity): dossiers in every state, a flood, the monthly
review and the last months' payrolls through the lifecycle; deterministic for a seed."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.core.months import add_months, current_month
from ansinh.core.workdays import working_days_between
from ansinh.demo.activity import PLAN, demo_activity
from ansinh.demo.services import demo_build
from ansinh.dossiers.models import Channel, Dossier, Status
from ansinh.payments.models import PayeeOutcome, PaymentFile, PayrollPayee, PayrollRun
from ansinh.registry.models import Person
from ansinh.relief.models import AffectedHousehold, Distribution, Event, StockBalance, Support
from ansinh.review.models import ReviewItem

N = 300
MONTH = current_month()


class _Rollback(Exception):
    pass


@pytest.fixture
def active(areas_loaded):
    demo_build(beneficiaries=N, seed=42, month=MONTH, progress=False)
    summary = demo_activity(seed=42)
    return summary, User.objects.get(username="canbo").commune_id


def test_dossiers_in_every_state_due_soon_and_overdue(active):
    summary, commune = active
    dossiers = Dossier.objects.filter(commune_id=commune)
    # The plan's dossiers plus the funeral dossier the recorded death opened.
    assert dossiers.count() == len(PLAN) + 1 == summary.counts["dossiers"] + 1
    by_state = {s: dossiers.filter(status=s).count() for s in Status.values}
    for state in ("received", "checking", "proposed", "granted", "refused", "withdrawn"):
        planned = sum(1 for row in PLAN if row[0] == state)
        assert by_state[state] == planned + (1 if state == "received" else 0), state
    today = timezone.localdate()
    open_ = dossiers.filter(status__in=[Status.RECEIVED, Status.CHECKING, Status.PROPOSED])
    assert open_.filter(deadline__lt=today).exists()  # overdue
    province = dossiers.first().commune.province_id
    soon = [
        d for d in open_.filter(deadline__gte=today) if working_days_between(today, d.deadline, province) <= 3
    ]
    assert soon  # due within three working days
    assert dossiers.filter(channel=Channel.ONLINE).count() == sum(1 for r in PLAN if r[2] == "online")
    assert dossiers.filter(channel=Channel.LINKED, form="03").count() == 1
    # Grants went through the chairman's signature: signed decisions with the law's amount.
    for dossier in dossiers.filter(status=Status.GRANTED).select_related("decision"):
        assert dossier.decision.status == "signed"
        assert dossier.decision.signed_by.username == "chutich"
        assert dossier.decision.prepared_by.username == "canbo"
        assert dossier.decision.monthly_amount > 0
        assert dossier.decided_on and dossier.processing_days is not None
    for dossier in dossiers.filter(status=Status.PROPOSED, proposed_outcome="grant"):
        assert dossier.decision.status == "draft"
    assert all(d.refusal_reason for d in dossiers.filter(status=Status.REFUSED))
    # Every move is in the dossier's history.
    for dossier in dossiers:
        assert dossier.events.order_by("id").last().to_status == dossier.status


def test_a_flood_with_households_at_every_stage(active):
    summary, commune = active
    event = Event.objects.get()
    assert list(event.areas.values_list("commune_id", flat=True)) == [commune]
    affected = AffectedHousehold.objects.filter(event=event)
    assert affected.count() == summary.counts["relief_households"] == 8
    supports = Support.objects.filter(event=event)
    assert supports.count() == summary.counts["relief_proposed"] >= 4
    assert supports.filter(status="proposed").exists()
    assert supports.filter(status="decided").count() == 4
    assert affected.filter(support__isnull=True).exists()  # registered only
    handed = Distribution.objects.filter(event=event)
    assert handed.values("affected").distinct().count() == 2
    # Stock received, less what was handed over, never below zero.
    balances = dict(StockBalance.objects.filter(commune_id=commune).values_list("item__code", "quantity"))
    rice_given = sum(handed.filter(kind="rice").values_list("quantity", flat=True))
    assert balances["gao"] == 3000 - rice_given >= 0
    cash_given = sum(handed.filter(kind="cash").values_list("quantity", flat=True))
    assert balances["tien_mat"] == 150_000_000 - cash_given >= 0


def test_review_of_the_month_has_items(active):
    summary, commune = active
    items = ReviewItem.objects.filter(month=MONTH, commune_id=commune)
    assert items.count() == summary.counts["review_items"] >= 2
    assert {"death", "has_pension"} <= set(items.values_list("reason", flat=True))


def test_last_months_payrolls_through_the_lifecycle(active):
    _, commune = active
    runs = {r.month: r for r in PayrollRun.objects.filter(commune_id=commune)}
    expected = {
        add_months(MONTH, -3): "closed",
        add_months(MONTH, -2): "reconciled",
        add_months(MONTH, -1): "sent",
    }
    for month, status in expected.items():
        run = runs[month]
        assert run.status == status
        assert run.checked_by.username == "canbo" and run.approved_by.username == "chutich"
        assert PayrollPayee.objects.filter(run=run).count() > 0
        assert PaymentFile.objects.filter(run=run, kind="bank").exists()
    # The closed month's lines are paid. The reconciled month's payees all have the provider's
    # "paid", and its lines are booked paid when it is closed. Last month waits for the provider.
    assert not runs[add_months(MONTH, -3)].lines.exclude(status="paid").exists()
    reconciled = runs[add_months(MONTH, -2)]
    outcomes = PayeeOutcome.objects.filter(payee__run=reconciled)
    assert set(outcomes.values_list("result", flat=True)) == {"paid"}
    assert outcomes.count() == reconciled.payees.count() == reconciled.payee_count == reconciled.result_count
    assert not reconciled.lines.exclude(status="due").exists()
    assert not runs[add_months(MONTH, -1)].lines.exclude(status="due").exists()
    # Older months stay as the bulk build wrote them, and this month is untouched.
    assert runs[add_months(MONTH, -4)].status == "closed" and runs[add_months(MONTH, -4)].checked_at is None
    assert MONTH not in runs
    # This month's payroll builds, with the new grants and no arrears (every month before is live).
    from ansinh.payments.payroll import payroll_run

    result = payroll_run(month=MONTH, area_code=commune).communes[0]
    assert result.line_count > 0 and result.arrears_amount == 0


def fingerprint() -> str:
    digest = hashlib.sha256()
    rows = Dossier.objects.order_by("subject_personal_id", "form").values_list(
        "form",
        "channel",
        "status",
        "benefit",
        "subject_personal_id",
        "subject_name",
        "received_on",
        "deadline",
        "decided_on",
        "proposed_outcome",
        "applicant_phone",
    )
    digest.update(repr(list(rows)).encode())
    digest.update(
        repr(
            list(
                AffectedHousehold.objects.order_by("head_personal_id").values_list(
                    "head_name",
                    "house_damage",
                    "food_shortage",
                    "size",
                    "support__status",
                    "support__cash_amount",
                )
            )
        ).encode()
    )
    digest.update(
        repr(
            list(
                ReviewItem.objects.order_by("person__personal_id").values_list(
                    "person__personal_id", "reason"
                )
            )
        ).encode()
    )
    digest.update(repr(sorted(PayrollRun.objects.values_list("commune_id", "month", "status"))).encode())
    return digest.hexdigest()


def build_and_rollback(seed: int) -> str:
    try:
        with transaction.atomic():
            demo_build(beneficiaries=N, seed=seed, month=MONTH, progress=False)
            demo_activity(seed=seed)
            result = fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_same_seed_gives_the_same_activity(areas_loaded):
    first = build_and_rollback(42)
    assert not Dossier.objects.exists()
    assert first == build_and_rollback(42)
    assert first != build_and_rollback(7)


def test_command_runs_activity_once_with_if_empty(areas_loaded):
    args = ["demo", "--beneficiaries", str(N), "--seed", "3", "--if-empty", "--no-progress"]
    out = io.StringIO()
    call_command(*args, stdout=out)
    assert "Hoạt động mẫu" in out.getvalue()
    counts = (
        Dossier.objects.count(),
        Event.objects.count(),
        ReviewItem.objects.count(),
        Person.objects.count(),
        sorted(PayrollRun.objects.values_list("id", "status")),
    )
    assert counts[0] > len(PLAN) and counts[1] == 1 and counts[2] > 0
    again = io.StringIO()
    call_command(*args, stdout=again)
    assert "bỏ qua" in again.getvalue() and "Hoạt động mẫu" not in again.getvalue()
    assert (
        Dossier.objects.count(),
        Event.objects.count(),
        ReviewItem.objects.count(),
        Person.objects.count(),
        sorted(PayrollRun.objects.values_list("id", "status")),
    ) == counts


def test_no_activity_leaves_the_bulk_build_alone(areas_loaded):
    out = io.StringIO()
    call_command("demo", "--beneficiaries", "50", "--no-activity", "--no-progress", stdout=out)
    assert "Hoạt động mẫu" not in out.getvalue()
    assert not Dossier.objects.exists() and not Event.objects.exists() and not ReviewItem.objects.exists()
    assert not PayrollRun.objects.exclude(status="closed").exists()


def test_a_second_build_adds_a_second_round_without_conflicts(active):
    demo_build(beneficiaries=50, seed=9, month=MONTH, progress=False)
    summary = demo_activity(seed=9)
    assert Event.objects.count() == 2
    assert Dossier.objects.count() == 2 * (len(PLAN) + 1)
    assert summary.counts["dossiers"] == len(PLAN)
    # The payrolls the first round advanced are not taken again.
    assert summary.counts["payrolls_advanced"] == 0
