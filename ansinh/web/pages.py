"""What each page shows, read for an object the view already fetched through the access layer
(or for the user's AreaScope). Plain reads for display only: no rule is decided here."""

from django.db.models import Count, Q

from ansinh.accounts.scope import AreaScope
from ansinh.core.months import current_month
from ansinh.decisions.models import Entitlement
from ansinh.payments.models import PayrollRun
from ansinh.payments.selectors import payroll_lines, person_payment_lines
from ansinh.registry.models import Household, Person
from ansinh.registry.selectors import address_line, person_facts


def dashboard(user) -> dict:
    scope = AreaScope.for_user(user)
    month = current_month()
    active = scope.filter(Entitlement.objects.all()).filter(
        Q(end_month__isnull=True) | Q(end_month__gt=month), start_month__lte=month
    )
    latest_runs = scope.filter(PayrollRun.objects.select_related("commune")).order_by(
        "-month", "commune__name"
    )[:5]
    return {
        "month": month,
        "person_count": scope.filter(Person.objects.filter(date_of_death__isnull=True)).count(),
        "household_count": scope.filter(Household.objects.all()).count(),
        "beneficiary_count": active.values("person").distinct().count(),
        "commune_count": scope.communes().count(),
        "latest_runs": list(latest_runs),
    }


def person_page(person: Person) -> dict:
    facts = person_facts(person)
    village = person.village.name if person.village_id else ""
    return {
        "person": person,
        "facts": facts,
        "residence": address_line(person.address, village, person.commune.name, person.commune.province.name),
        "decisions": list(
            person.decisions.select_related("prepared_by", "signed_by", "paper_record").order_by(
                "-created_at", "-pk"
            )
        ),
        "entitlements": list(person.entitlements.order_by("-start_month", "-pk")),
        "payments": list(person_payment_lines(person)[:60]),
    }


def households_for_scope(scope: AreaScope, limit: int = 200) -> list:
    rows = (
        scope.filter(Household.objects.select_related("commune", "village", "head"))
        .annotate(member_count=Count("members", filter=Q(members__valid_to__isnull=True)))
        .order_by("-created_at", "-pk")[:limit]
    )
    return list(rows)


def household_page(household: Household) -> dict:
    return {
        "household": household,
        "members": list(
            household.members.select_related("person").order_by(
                "valid_to", "relationship", "person__birth_year"
            )
        ),
        "poverty": list(household.poverty_statuses.order_by("-year")),
    }


def payrolls_for_scope(scope: AreaScope, limit: int = 100) -> list:
    return list(
        scope.filter(PayrollRun.objects.select_related("commune")).order_by("-month", "commune__name")[:limit]
    )


def payroll_page(run: PayrollRun) -> dict:
    lines = list(payroll_lines(run))
    # The totals shown are the run's own (written by payroll_run), not recomputed here.
    return {
        "run": run,
        "lines": lines,
        "person_count": len({line.person_id for line in lines}),
    }
