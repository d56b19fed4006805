"""What the law gives each affected household, for the event's month: one openfisca simulation
over all the households of a batch (ansinh.law.variables.emergency), never an amount typed here.

Decree 335/2026 Art. 12 (Decree 20/2021 Art. 12–15 before 1 July 2026): rice 15 kg per person per
month (1 month at Tết, up to 3 after a disaster, fire, crop failure or lean season); a person
injured needing ≥ 3 days of treatment ≥ 10 × the standard level; a person killed or missing
≥ 50 ×; a house lost 40, an urgent relocation 30, severe damage 20 million đồng per household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openfisca_core.simulations import SimulationBuilder

from ansinh.core.errors import InvalidInput
from ansinh.law.system import law_system

FIRST_DAY = dt.date(2021, 7, 1)  # emergency support is encoded from Decree 20/2021


@dataclass(frozen=True)
class PersonFacts:
    key: object  # the caller's id for the person
    killed: bool = False
    treatment_days: int = 0


@dataclass(frozen=True)
class HouseholdFacts:
    key: object
    size: int
    food_shortage: bool
    house_damage: str  # none / collapsed / relocation / severe_damage
    persons: tuple[PersonFacts, ...] = ()


@dataclass
class Due:
    rice_kg_per_month: int = 0
    rice_months: int = 0
    housing: int = 0
    by_person: dict = field(default_factory=dict)  # key → ("injured" | "funeral", amount)

    @property
    def rice_kg(self) -> int:
        return self.rice_kg_per_month * self.rice_months

    @property
    def cash(self) -> int:
        return self.housing + sum(amount for _, amount in self.by_person.values())


def _check_month(month: dt.date) -> None:
    if month < FIRST_DAY:
        raise InvalidInput.for_field(
            "occurred_on",
            f"Trợ giúp đột xuất chỉ được mã hoá từ 01/07/2021 (Nghị định 20/2021/NĐ-CP); "
            f"tháng {month:%m/%Y} chưa tính được. Nhập ngày xảy ra từ 01/07/2021.",
        )


def rice_months_max(*, month: dt.date, tet: bool) -> int:
    """Art. 12(1): the most months of rice one round may give."""
    _check_month(month)
    support = law_system().parameters(f"{month:%Y-%m}").emergency.support
    return int(support.rice_months_tet if tet else support.rice_months_disaster)


# Decree 335/2026 took effect on 5 Oct 2026; its standard level (540,000) applies from 1 Jul 2026.
DECREE_335_IN_FORCE = dt.date(2026, 10, 5)
STANDARD_540_FROM = dt.date(2026, 7, 1)


def legal_basis(*, occurred_on: dt.date, clause: int, support: str) -> str:
    """The text a support line rests on, for an event on `occurred_on`.

    From 5 Oct 2026: Decree 335/2026 Art. 12 and its clause. Before: Decree 20/2021 Ch. III (as
    amended), named by the support (our legal reference does not give its article numbers), and,
    from 1 Jul 2026, the back-dated 540,000 standard level of Decree 335. TO CONFIRM with the
    legal officer: whether one-off emergency amounts for events of July–September 2026 take the
    back-dated level (the law package's dated parameters decide the amount; this only cites it).
    """
    if occurred_on >= DECREE_335_IN_FORCE:
        return f"Nghị định 335/2026/NĐ-CP, Điều 12 khoản {clause}"
    text = f"Nghị định 20/2021/NĐ-CP (sửa đổi, bổ sung), Chương III: {support}"
    if occurred_on >= STANDARD_540_FROM:
        text += "; mức chuẩn 540.000 đ theo Nghị định 335/2026/NĐ-CP (áp dụng từ 01/07/2026)"
    return text


def support_due(
    *, month: dt.date, province_code: str, tet: bool, rice_months: int, households: list[HouseholdFacts]
) -> dict[object, Due]:
    """The support due to each household (by its key), evaluated in one simulation."""
    month = month.replace(day=1)
    _check_month(month)
    if not households:
        return {}
    period = f"{month:%Y-%m}"
    persons: dict = {}
    groups: dict = {}
    person_index: list[tuple[object, object]] = []  # (household key, person key) in simulation order
    for h_index, facts in enumerate(households):
        members = []
        rows = list(facts.persons) or [PersonFacts(key=None)]  # a household needs one member
        for p_index, person in enumerate(rows):
            name = f"p{h_index}_{p_index}"
            persons[name] = {
                "injured_treatment_days": {period: int(person.treatment_days if not person.killed else 0)},
                "killed_in_disaster": {period: bool(person.killed)},
            }
            members.append(name)
            person_index.append((facts.key, person.key))
        groups[f"h{h_index}"] = {
            "members": members,
            "household_size": {period: int(facts.size)},
            "province_code": {period: province_code},
            "food_shortage": {period: ("tet" if tet else "disaster") if facts.food_shortage else "none"},
            "house_damage": {period: facts.house_damage},
        }
    simulation = SimulationBuilder().build_from_entities(
        law_system(), {"persons": persons, "households": groups}
    )
    rice = simulation.calculate("emergency_rice_kg", period)
    months_max = simulation.calculate("emergency_rice_months", period)
    housing = simulation.calculate("emergency_housing_support", period)
    injured = simulation.calculate("emergency_injured_support", period)
    funeral = simulation.calculate("emergency_funeral_support", period)

    result: dict[object, Due] = {}
    for h_index, facts in enumerate(households):
        kg = int(rice[h_index])
        result[facts.key] = Due(
            rice_kg_per_month=kg,
            rice_months=min(int(rice_months), int(months_max[h_index])) if kg else 0,
            housing=int(housing[h_index]),
        )
    for p_index, (h_key, p_key) in enumerate(person_index):
        if p_key is None:
            continue
        if int(funeral[p_index]):
            result[h_key].by_person[p_key] = ("funeral", int(funeral[p_index]))
        elif int(injured[p_index]):
            result[h_key].by_person[p_key] = ("injured", int(injured[p_index]))
    return result
