"""A living demo commune: what an officer logging in after `make run` expects to find in flight.

After the bulk build (ansinh.demo.services.demo_build) this adds, for the commune of the demo
logins (canbo / chutich) only — never the country, so the 3.5M path costs nothing more:

- dossiers (Forms 01–04) in every state, some due soon, some overdue, some filed online, through
  the dossiers services (new applicants are registered first through the registry services);
- a death recorded for one beneficiary (its funeral dossier opens on its own), and a
  social-insurance benefit for another, so the monthly review has items;
- one flood with affected households at every stage (registered, proposed, decided, distributed)
  and stock received;
- the monthly review of the current month;
- the last months' payrolls taken through the lifecycle: closed, reconciled, sent.

Everything goes through the apps' services, as an officer would; the choices are deterministic
for a seed (the dossiers' tracking codes are random by design: they are the citizen's key).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.core.months import add_months, current_month
from ansinh.core.workdays import working_days_between
from ansinh.demo import generate as G
from ansinh.demo.services import _id_counters, _random_name

# The demo's fixed namespace for relief phone-entry UUIDs (uuid5 of seed and index).
RELIEF_NAMESPACE = uuid.UUID("6f1d3c1e-7a51-4c59-9a8e-2b9d3f0c4e11")
DECISION_SUFFIX = "QĐ-UBND"

# Dossiers to create: (state, form, channel, working days since receipt, applicant kind).
# applicant kinds: "elder" (a new person 76–92, the law gives a social pension), "adult" (a new
# person 40–60: nothing, refused), "unknown" (not in the registry yet), "carer" (Form 02).
PLAN = [
    # received: two filed online today, one by post, desk ones due soon and one overdue
    ("received", "01", "online", 0, "unknown"),
    ("received", "01", "online", 0, "elder"),
    ("received", "02", "post", 2, "carer"),
    ("received", "01", "desk", 1, "elder"),
    ("received", "01", "desk", 5, "elder"),
    ("received", "01", "desk", 9, "unknown"),
    # checking
    ("checking", "01", "desk", 2, "elder"),
    ("checking", "01", "online", 3, "elder"),
    ("checking", "01", "desk", 5, "elder"),
    ("checking", "01", "desk", 6, "adult"),
    ("checking", "02", "desk", 4, "carer"),
    ("checking", "01", "desk", 10, "elder"),
    ("checking", "04", "desk", 7, "adult"),
    ("checking", "01", "post", 12, "unknown"),
    # proposed to the chairman
    ("proposed", "01", "desk", 4, "elder"),
    ("proposed", "01", "online", 5, "elder"),
    ("proposed", "01", "desk", 6, "elder"),
    ("proposed", "01", "desk", 6, "adult"),
    ("proposed", "01", "desk", 9, "elder"),
    # decided
    ("granted", "01", "desk", 14, "elder"),
    ("granted", "01", "online", 12, "elder"),
    ("granted", "01", "desk", 10, "elder"),
    ("granted", "01", "desk", 9, "elder"),
    ("granted", "01", "post", 8, "elder"),
    ("granted", "01", "desk", 7, "elder"),
    ("refused", "01", "desk", 13, "adult"),
    ("refused", "01", "online", 11, "adult"),
    ("refused", "01", "desk", 8, "adult"),
    ("withdrawn", "01", "desk", 9, "elder"),
    ("withdrawn", "01", "online", 4, "unknown"),
    ("withdrawn", "02", "desk", 3, "carer"),
]


@dataclass
class ActivitySummary:
    commune: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def _demo_people() -> tuple[User, User] | None:
    """The demo's commune officer and chairman (ansinh.demo.services.DEMO_USERS)."""
    users = {u.username: u for u in User.objects.filter(username__in=["canbo", "chutich"])}
    officer, chairman = users.get("canbo"), users.get("chutich")
    if officer is None or chairman is None or not officer.commune_id:
        return None
    return officer, chairman


def _days_back(today: dt.date, n: int, province: str) -> dt.date:
    """The day `n` working days before today (today itself when n is 0)."""
    day = today
    while n and working_days_between(day, today, province) < n:
        day -= dt.timedelta(days=1)
    return day


class _People:
    """New applicants, registered through the registry services with demo names and valid IDs."""

    def __init__(self, officer, commune, rng, today):
        from ansinh.areas.models import Village

        self.officer, self.commune, self.rng, self.today = officer, commune, rng, today
        self.villages = list(Village.objects.filter(commune_id=commune.code).order_by("name", "id"))
        with connection.cursor() as cursor:
            self.ctx = SimpleNamespace(id_counters=_id_counters(cursor))

    def new(self, kind: str):
        from ansinh.registry import services as registry

        rng = self.rng
        female = bool(rng.random() < 0.55)
        age = int(rng.integers(76, 93)) if kind == "elder" else int(rng.integers(40, 61))
        year = self.today.year - age
        personal_id = G._personal_ids(
            self.ctx, rng, np.array([int(self.commune.province_id)]), np.array([year]), np.array([female])
        )[0]
        name = _random_name(rng, female)
        village = self.villages[int(rng.integers(0, len(self.villages)))] if self.villages else None
        person = registry.person_create(
            actor=self.officer,
            personal_id=personal_id,
            full_name=name,
            birth_date=f"{int(rng.integers(1, 29)):02d}/{int(rng.integers(1, 13)):02d}/{year}",
            sex="F" if female else "M",
            commune=self.commune.code,
            village=village.pk if village else None,
            address=f"{village.name}, {self.commune.name}" if village else self.commune.name,
        )
        registry.household_create(
            actor=self.officer,
            commune=self.commune.code,
            village=village.pk if village else None,
            address=person.address,
            head=person,
        )
        return person

    def unregistered(self) -> tuple[str, str, bool]:
        rng = self.rng
        female = bool(rng.random() < 0.5)
        year = self.today.year - int(rng.integers(76, 90))
        personal_id = G._personal_ids(
            self.ctx, rng, np.array([int(self.commune.province_id)]), np.array([year]), np.array([female])
        )[0]
        return personal_id, _random_name(rng, female), female


def _cared_person(commune_code: str, index: int):
    """A severely disabled beneficiary of the commune, for a carer's Form 02."""
    from ansinh.registry.models import Person

    people = list(
        Person.objects.filter(
            commune_id=commune_code,
            date_of_death__isnull=True,
            disabilities__level="especially_severe",
        )
        .order_by("personal_id")
        .distinct()[:5]
    )
    return people[index % len(people)] if people else None


def _dossiers(officer, chairman, commune, rng, today) -> dict[str, int]:
    from ansinh.decisions.models import Decision
    from ansinh.dossiers import services as dossiers

    people = _People(officer, commune, rng, today)
    province = commune.province_id
    # Numbers of this year's decisions from dossiers go on from the last (a second demo run).
    number = Decision.objects.filter(
        commune_id=commune.code, number__endswith=f"/{today.year}/{DECISION_SUFFIX}"
    ).count()
    carers = 0
    for state, form, channel, age, kind in PLAN:
        received = _days_back(today, age, province)
        if kind in ("elder", "adult", "carer"):
            person = people.new("elder" if kind == "elder" else "adult")
            pid, name, subject = person.personal_id, person.full_name, person
        else:
            pid, name, _ = people.unregistered()
            subject = None
        form_data = {}
        if form == "02":
            cared = _cared_person(commune.code, carers)
            carers += 1
            form_data = {
                "cared_person_name": cared.full_name if cared else "Nguyễn Văn An",
                "cared_person_id": (cared.personal_id if cared else "") or pid,
                "cared_especially_severe_disabled": "1",
            }
        elif form == "04":
            form_data = {
                "facility_name": "Trung tâm Bảo trợ xã hội tỉnh",
                "admission_reason": "Người cao tuổi không có người phụng dưỡng, cần được chăm sóc tập trung.",
            }
        elif kind == "elder":
            form_data = {"no_supporter": bool(rng.random() < 0.3)}
        # The public page files online today; desk and post dossiers carry the day they came.
        online = channel == "online"
        phone = f"09{int(rng.integers(10_000_000, 99_999_999))}"
        dossier = dossiers.dossier_submit(
            actor=None if online else officer,
            form=form,
            channel=channel,
            commune=commune.code,
            benefit="social_pension" if form == "01" and kind in ("elder", "unknown") else "",
            subject_personal_id=pid,
            subject_name=name,
            subject_person=subject,
            applicant_phone=phone,
            address=getattr(subject, "address", "") or commune.name,
            form_data=form_data,
            received_on=received if channel == "desk" else None,
            postmark_date=received if channel == "post" else None,
        )
        if state == "received":
            continue
        if state == "withdrawn" and channel == "online":
            dossiers.dossier_transition(actor=None, dossier=dossier, action="withdraw")
            continue
        dossier = dossiers.dossier_transition(actor=officer, dossier=dossier, action="start_check")
        if state == "checking":
            continue
        if state == "withdrawn":
            dossiers.dossier_transition(
                actor=officer, dossier=dossier, action="withdraw", note="Người nộp xin rút hồ sơ."
            )
            continue
        grant = kind == "elder"
        dossier = dossiers.dossier_transition(
            actor=officer,
            dossier=dossier,
            action="propose",
            outcome="grant" if grant else "refuse",
            note=""
            if grant
            else "Chưa đủ 75 tuổi, không thuộc hộ nghèo, không thuộc diện hưởng trợ cấp xã hội hằng tháng.",
        )
        if state == "proposed":
            continue
        if state == "granted":
            number += 1
            # Signed a few days after receipt (not before this month: the law's month is this one).
            signed = min(today, max(received + dt.timedelta(days=3), today.replace(day=1)))
            dossiers.dossier_transition(
                actor=chairman,
                dossier=dossier,
                action="grant",
                number=f"{number}/{today.year}/{DECISION_SUFFIX}",
                signed_on=signed,
                signer_name=chairman.first_name,
            )
        else:
            dossiers.dossier_transition(
                actor=chairman, dossier=dossier, action="refuse", reason=dossier.proposal_note
            )
    return {"dossiers": len(PLAN)}


def _life_events(officer, commune) -> dict[str, int]:
    """One beneficiary died last month (the funeral dossier opens, a stop is due) and another
    was granted a social-insurance benefit this month: the monthly review finds both."""
    from ansinh.dossiers import services as dossiers
    from ansinh.registry import services as registry
    from ansinh.registry.models import Person

    died = 0
    pensioners = (
        Person.objects.filter(
            commune_id=commune.code,
            date_of_death__isnull=True,
            entitlements__benefit="social_pension",
            entitlements__end_month__isnull=True,
        )
        .exclude(incomes__kind="social_insurance")
        .order_by("birth_year", "personal_id")
    )
    elder = pensioners.first()
    if elder is not None:
        day = add_months(current_month(), -1) + dt.timedelta(days=17)
        dossiers.death_record(actor=officer, person=elder, date_of_death=day)
        died = 1
    pensioner = pensioners.first()  # the next oldest, now that the first has died
    pensions = 0
    if pensioner is not None:
        # A monthly social-insurance benefit granted from this month: the social pension stops.
        registry.income_record(
            actor=officer,
            person=pensioner,
            kind="social_insurance",
            valid_from=current_month(),
            monthly_amount=2_300_000,
        )
        pensions = 1
    return {"deaths": died, "new_pensions": pensions}


def _relief(officer, chairman, commune, rng, today, seed) -> dict[str, int]:
    from ansinh.registry.models import Household
    from ansinh.relief import services as relief
    from ansinh.relief.models import CASH, RICE, DistributionKind, Source

    occurred = today - dt.timedelta(days=9)
    event = relief.event_create(
        actor=officer,
        kind="disaster",
        name=f"Lũ quét tháng {occurred:%m/%Y} tại {commune.name}",
        occurred_on=occurred,
        communes=[commune.code],
        description="Mưa lớn kéo dài gây lũ quét, sạt lở ở các thôn ven sông.",
    )
    receipts = [
        (RICE, 3000, Source.PROVINCE, 2, "Tỉnh hỗ trợ gạo cứu đói"),
        (CASH, 150_000_000, Source.LOCAL, 1, "Dự phòng ngân sách xã"),
    ]
    for item, quantity, source, after, note in receipts:
        relief.stock_receive(
            actor=officer,
            commune=commune.code,
            item=item,
            quantity=quantity,
            source=source,
            received_on=occurred + dt.timedelta(days=after),
            event=event,
            note=note,
        )
    households = list(
        Household.objects.filter(commune_id=commune.code, head__date_of_death__isnull=True)
        .select_related("head")
        .order_by("head__personal_id")[:8]
    )
    damages = [
        "collapsed",
        "severe_damage",
        "relocation",
        "none",
        "severe_damage",
        "none",
        "none",
        "collapsed",
    ]
    affected = []
    for index, household in enumerate(households):
        persons = []
        if index == 1:
            persons = [{"full_name": _random_name(rng, False), "outcome": "injured", "treatment_days": 5}]
        row, _ = relief.affected_register(
            actor=officer,
            event=event,
            client_uuid=uuid.uuid5(RELIEF_NAMESPACE, f"{seed}-{event.pk}-{index}"),
            commune=commune.code,
            household=household,
            house_damage=damages[index % len(damages)],
            food_shortage=index % 3 != 2,
            persons=persons,
            note="Ghi nhận tại hiện trường",
        )
        affected.append(row)
    # Stages: the first six proposed, four of them decided, two of those handed over.
    supports = relief.support_propose(actor=officer, event=event, affected_ids=[a.pk for a in affected[:6]])
    decided = supports[:4]
    if decided:
        relief.support_decide(
            actor=chairman,
            supports=decided,
            decision_number=f"{len(decided)}/{today.year}/QĐ-UBND-CT",
            decided_on=occurred + dt.timedelta(days=3),
        )
    handed = 0
    for support in decided[:2]:
        support.refresh_from_db()
        handouts = [
            (DistributionKind.RICE, support.rice_kg, 4),
            (DistributionKind.CASH, support.cash_amount, 5),
        ]
        for kind, quantity, after in handouts:
            if quantity:
                relief.distribution_record(
                    actor=officer,
                    affected=support.affected,
                    kind=kind,
                    quantity=quantity,
                    received_on=occurred + dt.timedelta(days=after),
                )
        handed += 1
    return {
        "relief_events": 1,
        "relief_households": len(affected),
        "relief_proposed": len(supports),
        "relief_decided": len(decided),
        "relief_distributed": handed,
    }


def _payrolls(officer, chairman, commune) -> dict[str, int]:
    """The last three months' payrolls through the lifecycle: the oldest closed, the next
    reconciled, last month sent and waiting for the provider's return file.

    The bulk build writes history as closed and paid; for these months the demo first puts its
    own generated rows back to draft/due (they were never handed to anyone), then an officer and
    the chairman take them through the lifecycle services."""
    from ansinh.payments.bankfile import bankfile_export
    from ansinh.payments.lifecycle import payroll_approve, payroll_close, payrolls_check
    from ansinh.payments.models import PayrollPayee, PayrollRun
    from ansinh.payments.reconcile import reconcile_import, return_file_build

    month = current_month()
    months = [add_months(month, -3), add_months(month, -2), add_months(month, -1)]
    runs = list(
        # Closed by the bulk build and never checked (not those a previous demo run advanced).
        PayrollRun.objects.filter(
            commune_id=commune.code, month__in=months, status="closed", checked_at__isnull=True
        )
        .select_related("commune")
        .order_by("month")
    )
    if not runs:
        return {"payrolls_advanced": 0}
    ids = [r.pk for r in runs]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE payments_payrollrun SET status = 'draft', approved_at = NULL, approved_by_id = NULL "
            "WHERE id = ANY(%s)",
            [ids],
        )
        cursor.execute(
            "UPDATE payments_paymentline SET status = 'due' WHERE run_id = ANY(%s) AND status = 'paid'", [ids]
        )
    runs = list(PayrollRun.objects.filter(pk__in=ids).select_related("commune").order_by("month"))
    payrolls_check(actor=officer, runs=runs)
    states = {}
    for index, run in enumerate(runs):
        run = payroll_approve(actor=chairman, run=run)
        bankfile_export(actor=officer, run=run)
        if run.month == months[-1]:
            states[run.month] = "sent"
            continue
        paid_on = (add_months(run.month, 1) + dt.timedelta(days=9)).strftime("%d/%m/%Y")
        rows = [
            (reference, personal_id, amount, "DA_CHI", "", paid_on)
            for reference, personal_id, amount in PayrollPayee.objects.filter(run=run)
            .order_by("reference")
            .values_list("reference", "personal_id", "amount")
        ]
        content = return_file_build(rows, area_code=run.commune_id, month=run.month, sequence=index + 1)
        reconcile_import(
            actor=officer, run=run, content=content, filename=f"ket-qua_{run.commune_id}_{run.month:%Y%m}.csv"
        )
        if index == 0:
            payroll_close(actor=chairman, run=PayrollRun.objects.get(pk=run.pk))
    return {"payrolls_advanced": len(runs)}


def _review(officer, commune) -> dict[str, int]:
    from ansinh.review.services import review_run

    run = review_run(month=current_month(), area_code=commune.code, actor=officer)
    return {"review_items": run.item_count}


def demo_activity(*, seed: int = 42, today: dt.date | None = None) -> ActivitySummary:
    """Put the demo commune to work (see the module docstring). One transaction; returns counts."""
    from ansinh.areas.models import Commune

    summary = ActivitySummary()
    found = _demo_people()
    if found is None:
        return summary
    officer, chairman = found
    commune = Commune.objects.select_related("province").get(code=officer.commune_id)
    today = today or timezone.localdate()
    rng = np.random.default_rng([seed, 1])
    # The console notification sender prints each SMS; the demo's are kept as Notification rows
    # but not printed over the command's own report.
    with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
        summary.counts.update(_payrolls(officer, chairman, commune))
        summary.counts.update(_dossiers(officer, chairman, commune, rng, today))
        summary.counts.update(_life_events(officer, commune))
        summary.counts.update(_relief(officer, chairman, commune, rng, today, seed))
        summary.counts.update(_review(officer, commune))
    summary.commune = f"{commune.code} {commune.name}"
    return summary
