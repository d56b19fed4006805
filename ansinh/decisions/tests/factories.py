"""Test helpers for decisions and payrolls: people and users come from the registry's factories
(direct ORM rows); decisions go through the real services so their rules are exercised."""

import datetime as dt
import itertools

from ansinh.accounts.models import Role
from ansinh.decisions.services import decision_prepare, decision_sign
from ansinh.registry.tests.factories import (  # noqa: F401  (re-exported for the tests)
    make_commune,
    make_person,
    make_province,
    make_user,
)

_numbers = itertools.count(1)


class Office:
    """A commune with its officer (maker) and chairman (checker)."""

    def __init__(self, code: str = "00001", province: str = "01"):
        self.commune = make_commune(code, province=province)
        self.officer = make_user(commune=self.commune, role=Role.COMMUNE_OFFICER)
        self.chairman = make_user(commune=self.commune, role=Role.COMMUNE_CHAIRMAN)

    def person(self, **extra):
        return make_person(commune=self.commune, **extra)

    def decide(self, *, person, kind, signed_on: dt.date, benefit="monthly_allowance", **fields):
        decision = decision_prepare(actor=self.officer, person=person, kind=kind, benefit=benefit, **fields)
        return decision_sign(
            actor=self.chairman, decision=decision, number=f"{next(_numbers)}/QĐ-UBND", signed_on=signed_on
        )

    def grant(
        self, person, *, signed_on: dt.date, coefficient="1.5", category="1", benefit="monthly_allowance"
    ):
        return self.decide(
            person=person,
            kind="grant",
            benefit=benefit,
            signed_on=signed_on,
            coefficient=coefficient,
            category=category,
        )

    def hand_over(self, person, *, to: str, signed_on: dt.date, benefit="monthly_allowance", **fields):
        """Step 1 of a transfer (Decree 335/2026 Art. 8): this commune stops and hands over."""
        return self.decide(
            person=person, kind="transfer", benefit=benefit, target_commune=to, signed_on=signed_on, **fields
        )
