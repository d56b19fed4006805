"""Base levels in the database: the payroll's SQL reads `payments_benefitlevel`, written here from
the law's dated parameters (ansinh.law.levels), never by hand."""

import datetime as dt

from django.db import transaction

from ansinh.decisions.models import Benefit
from ansinh.law.levels import level_periods
from ansinh.payments.models import BenefitLevel, LevelKind


def level_kind_for(benefit: str) -> str:
    """The social pension is paid at its own level; every other monthly benefit is coefficient ×
    the standard level (Decree 335/2026 Art. 4, 6; Law 41/2024 Art. 22)."""
    return LevelKind.SOCIAL_PENSION if benefit == Benefit.SOCIAL_PENSION else LevelKind.STANDARD


@transaction.atomic
def levels_sync() -> int:
    """Replace the BenefitLevel rows with the law's periods. Idempotent; returns the row count."""
    periods = level_periods()
    BenefitLevel.objects.all().delete()
    BenefitLevel.objects.bulk_create(
        BenefitLevel(
            kind=p.kind,
            province_code=p.province_code,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            amount=p.amount,
            legal_basis=p.legal_basis[:255],
        )
        for p in periods
    )
    return len(periods)


def level_amount(*, benefit: str, province_code: str, month: dt.date) -> int | None:
    """The level in force in `month`: the province's own if it has one, else the national one."""
    rows = (
        BenefitLevel.objects.filter(kind=level_kind_for(benefit), province_code__in=[province_code, ""])
        .filter(valid_from__lte=month)
        .exclude(valid_to__lte=month)
        .values_list("province_code", "amount")
    )
    by_province = dict(rows)
    if province_code in by_province:
        return by_province[province_code]
    return by_province.get("")
