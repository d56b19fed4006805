"""The facts of a registered person, in the assessment's JSON format (docs/assess.md), read from
the registry for a month: the officer's calculator and decision form start from them.

The registry keeps dates of birth and death, disability determinations, pensions, wages,
schooling, the household's poverty status per year and the place; why a child has no support,
HIV status or single parenthood are not registry facts: they come from the categories of the
person's entitlements (ansinh.law.catalog.CATEGORY_FACTS) and the officer confirms them."""

import datetime as dt

from ansinh.core.months import add_months
from ansinh.decisions.selectors import entitlement_active_for_person
from ansinh.law.catalog import CATEGORY_FACTS, category_parts
from ansinh.registry.selectors import person_facts


def _in_month(row, month: dt.date, end: dt.date) -> bool:
    return row.valid_from <= end and (row.valid_to is None or row.valid_to >= month)


def _birth_text(birth) -> str:
    if birth.day:
        return f"{birth.year:04d}-{birth.month:02d}-{birth.day:02d}"
    if birth.month:
        return f"{birth.month:02d}/{birth.year:04d}"
    return f"{birth.year:04d}"


def registry_facts(person, month: dt.date) -> dict:
    """{"person": {...}, "household": {...}} for `month`, from the registry and the categories of
    the entitlements paying that month. The caller fetched `person` through access_person."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    facts = person_facts(person)
    data: dict = {"birth_date": _birth_text(facts.birth_date)}
    if person.date_of_death:
        data["date_of_death"] = person.date_of_death.isoformat()
    disability = next((d for d in facts.disabilities if d.determined_on <= end), None)
    if disability is not None:
        data["disability_level"] = disability.level
    incomes = [i for i in facts.incomes if _in_month(i, month, end)]
    if any(i.kind in ("pension", "social_insurance") for i in incomes):
        data["receives_pension"] = True
    if any(i.kind == "wage" for i in incomes):
        data["has_wage"] = True
    if any(_in_month(s, month, end) for s in facts.schooling):
        data["studying"] = True
    for entitlement in entitlement_active_for_person(person, month=month):
        parts = category_parts(entitlement.category)
        for part in parts:
            data.update(CATEGORY_FACTS.get(part, {}))
        if "4" in parts:
            # Decree 335/2026 Art. 6: 1.0 per child raised; stacked ("4+6"), one child is assumed.
            data["single_parent_children"] = 1 if len(parts) > 1 else max(int(entitlement.coefficient), 1)
    household: dict = {"province_code": person.commune.province_id}
    status = next((p for p in facts.poverty if p.year <= month.year), None)
    household["poverty_status"] = status.status if status is not None else "none"
    village = person.village
    household["especially_difficult_area"] = bool(
        (village is not None and village.is_especially_difficult) or person.commune.is_especially_difficult
    )
    return {"person": data, "household": household}
