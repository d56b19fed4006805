"""Monthly care support for carers and foster households (hỗ trợ kinh phí chăm sóc, nuôi dưỡng):
Decree 20/2021/NĐ-CP Art. 20; Decree 335/2026/NĐ-CP Art. 15–20 (coefficients Art. 17). Only the
highest item is paid (Art. 17); "per person" items count each person cared for. It is paid in
addition to the carer's own monthly allowance (Art. 17). Both spouses disabled: the pregnancy /
young-child support is paid once per couple."""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.arith import amount_x100
from ansinh.law.entities import Person
from ansinh.law.variables.person import DisabilityLevel

ITEMS = (
    "foster_cat1_under_4",
    "foster_cat1_from_4",
    "foster_cat5b_elderly",
    "disabled_parent",
    "household_direct_care",
    "foster_disabled_adult",
    "foster_disabled_child",
)


def care_items(person, period, parameters) -> dict:
    """Item → coefficient ×100 per person (count × coefficient for per-person items)."""
    table = parameters(period).care_support.coefficients
    alive = person("is_alive", period)

    def per_person(count_variable, key):
        count = np.maximum(person(count_variable, period).astype(np.int64), 0)
        return np.where(alive, count * table[key], 0)

    level = person("disability_level", period)
    disabled = (level == DisabilityLevel.severe) | (level == DisabilityLevel.especially_severe)
    young = np.maximum(person("children_under_36_months", period).astype(np.int64), 0)
    pregnant = person("pregnant", period)
    two = (pregnant & (young >= 1)) | (young >= 2)
    one = pregnant | (young >= 1)
    parent = np.where(two, table.disabled_parent_two, np.where(one, table.disabled_parent_one, 0))
    parent = np.where(alive & disabled & ~person("spouse_receives_child_care_support", period), parent, 0)
    return {
        "foster_cat1_under_4": per_person("foster_cat1_under_4", "foster_cat1_under_4"),
        "foster_cat1_from_4": per_person("foster_cat1_from_4", "foster_cat1_from_4"),
        "foster_cat5b_elderly": per_person("foster_cat5b_elderly", "foster_cat5b_elderly"),
        "disabled_parent": parent.astype(np.int64),
        "household_direct_care": per_person("cared_especially_severe_disabled", "household_direct_care"),
        "foster_disabled_adult": per_person(
            "foster_especially_severe_disabled_adults", "foster_disabled_adult"
        ),
        "foster_disabled_child": per_person(
            "foster_especially_severe_disabled_children", "foster_disabled_child"
        ),
    }


class care_support_coefficient(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hệ số hỗ trợ chăm sóc, nuôi dưỡng × 100 (chỉ mục cao nhất)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 17; Nghị định 20/2021/NĐ-CP Điều 20"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.care_support:
            return np.zeros(person.count, dtype=np.int64)
        items = care_items(person, period, parameters)
        return np.stack([items[k] for k in ITEMS]).max(axis=0)


class care_support(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng (đồng)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 17"

    def formula(person, period, parameters):
        return amount_x100(
            person("care_support_coefficient", period), person.household("standard_level", period)
        )
