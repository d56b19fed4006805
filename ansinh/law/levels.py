"""Base levels as dated periods, read from the law's parameter files.

This is the contract between the law package and the payroll: the payroll copies these periods
into the `payments_benefitlevel` table (ansinh.payments.levels) and computes amounts in SQL.
Provincial levels (a province's higher standard level, its social-pension top-up) come from the
provincial policy files and carry the province code; national ones carry "".
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

PARAMETERS_DIR = Path(__file__).parent / "parameters"


@dataclass(frozen=True)
class LevelPeriod:
    kind: str  # "standard" or "social_pension"
    province_code: str  # "" for the national level
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None while in force
    amount: int  # đồng per month
    legal_basis: str


def _periods_from_values(kind: str, province_code: str, values: dict) -> list[LevelPeriod]:
    starts = sorted(values)
    periods = []
    for index, start in enumerate(starts):
        entry = values[start]
        end = starts[index + 1] if index + 1 < len(starts) else None
        start_date = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        end_date = (
            None if end is None else (end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end)))
        )
        periods.append(
            LevelPeriod(
                kind=kind,
                province_code=province_code,
                valid_from=start_date,
                valid_to=end_date,
                amount=int(entry["value"]),
                legal_basis=(entry.get("metadata") or {}).get("reference", ""),
            )
        )
    return periods


def national_level_periods() -> list[LevelPeriod]:
    periods = []
    for kind, filename in (
        ("standard", "standard_level.yaml"),
        ("social_pension", "social_pension_level.yaml"),
    ):
        data = yaml.safe_load((PARAMETERS_DIR / "levels" / filename).read_text(encoding="utf-8"))
        periods += _periods_from_values(kind, "", data["values"])
    return periods


def level_periods() -> list[LevelPeriod]:
    """National periods plus the provincial ones (province_code set) of the policies the
    configuration applies (ANSINH_PROVINCIAL_POLICIES, see province_policies.applied_policies): a
    province's higher standard level (kind "standard") and its social-pension level (kind
    "social_pension", the top-up included). A to_confirm policy applies only when named there, and
    then says so in legal_basis."""
    from ansinh.law.province_policies import default_province_policies

    return national_level_periods() + default_province_policies().level_periods()
