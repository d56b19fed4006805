"""Provincial extra categories (Decree 335/2026 Art. 4: the provincial People's Council may add
beneficiary categories and set their levels). The categories are data: ansinh/law/provinces/*.yaml,
loaded by ansinh.law.province_policies and attached to the tax-benefit system. Evaluated only when
the person receives no national monthly allowance and no social pension, if the policy says so."""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.arith import amount_x100
from ansinh.law.entities import Person
from ansinh.law.variables.household import PovertyStatus
from ansinh.law.variables.levels import _month, _policies

POVERTY = {"poor": PovertyStatus.poor, "near_poor": PovertyStatus.near_poor, "none": PovertyStatus.none}


def policy_amounts(person, period, parameters) -> list:
    """[(policy, amount array)] for every extra category in force this month."""
    policies = _policies(person)
    if policies is None:
        return []
    results = []
    for policy in policies.in_force(_month(period), "extra_category"):
        conditions = policy.conditions
        codes = person.household("province_code", period).astype("U2")
        mask = (
            (codes == policy.province_code) & person("is_alive", period) & ~person("in_institution", period)
        )
        age = person("age", period)
        if "age_min" in conditions:
            mask &= age >= conditions["age_min"]
        if "age_below" in conditions:
            mask &= age < conditions["age_below"]
        if conditions.get("no_pension"):
            mask &= ~person("receives_pension", period)
        if conditions.get("no_monthly_allowance"):
            mask &= (
                (person("social_allowance_entitled", period) == 0)
                & (person("social_pension_entitled", period) == 0)
                & ~person("receives_other_monthly_allowance", period)
            )
        if "poverty_status" in conditions:
            status = person.household("poverty_status", period)
            mask &= np.logical_or.reduce([status == POVERTY[s] for s in conditions["poverty_status"]])
        if "especially_difficult_area" in conditions:
            mask &= (
                person.household("especially_difficult_area", period)
                == conditions["especially_difficult_area"]
            )
        base_variable = (
            "national_standard_level" if policy.base == "national_standard_level" else "standard_level"
        )
        base = person.household(base_variable, period)
        results.append((policy, np.where(mask, amount_x100(policy.coefficient_x100, base), 0)))
    return results


class provincial_allowance(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp hằng tháng theo chính sách riêng của tỉnh (đồng; mức cao nhất nếu nhiều chính sách)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 4; tệp chính sách tỉnh ansinh/law/provinces/"

    def formula(person, period, parameters):
        amounts = [amount for _, amount in policy_amounts(person, period, parameters)]
        if not amounts:
            return np.zeros(person.count, dtype=np.int64)
        return np.max(np.stack(amounts), axis=0)
