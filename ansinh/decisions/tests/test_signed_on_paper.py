"""A signed decision needs a signer account, unless it was signed on paper before the system."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ansinh.decisions.models import Decision
from ansinh.decisions.tests.factories import Office

pytestmark = pytest.mark.django_db


def _signed(office, person, **extra):
    return Decision(
        kind="grant",
        status="signed",
        person=person,
        commune=office.commune,
        benefit="monthly_allowance",
        category="1",
        prepared_by=office.officer,
        signed_on=dt.date(2024, 3, 1),
        effective_month=dt.date(2024, 3, 1),
        **extra,
    )


def test_signed_decision_without_signer_account_is_refused_by_the_database():
    office = Office()
    with pytest.raises(IntegrityError), transaction.atomic():
        _signed(office, office.person()).save()


def test_decision_signed_on_paper_needs_no_signer_account():
    office = Office()
    decision = _signed(office, office.person(), signed_on_paper=True, signer_name="Lê Văn Chủ")
    decision.save()
    assert Decision.objects.get(pk=decision.pk).signed_by is None
