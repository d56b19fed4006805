"""Funeral support (hỗ trợ chi phí mai táng): Decree 20/2021/NĐ-CP Art. 11; Decree 335/2026/NĐ-CP
Art. 11 (at least 20 × the standard level) and Art. 31 (social-pension recipients: at least 20 × the
social-pension level). Only the highest amount is paid. Evaluated for the month of death.

Covered (Decree 335 Art. 11(1)): (a) a person receiving the monthly allowance, or eligible with a
declaration filed and no decision yet; (b) a child of a poor single parent (cat. 4); (c) aged 75+
receiving a monthly survivor benefit or another monthly allowance; (d) aged 70 to under 75 in a poor
or near-poor household receiving a monthly survivor benefit.
"""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Person
from ansinh.law.variables.household import PovertyStatus


class funeral_support_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Thuộc diện hỗ trợ chi phí mai táng (NĐ 335/2026 Điều 11 khoản 1)"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.funeral_support:
            return np.zeros(person.count, dtype=bool)
        age = person("age", period)
        poverty = person.household("poverty_status", period)
        poor_or_near = (poverty == PovertyStatus.poor) | (poverty == PovertyStatus.near_poor)
        survivor = person("receives_survivor_benefit", period)
        beneficiary = (person("social_allowance_entitled", period) > 0) | person(
            "applied_before_death", period
        )
        point_c = (age >= 75) & (survivor | person("receives_other_monthly_allowance", period))
        point_d = (age >= 70) & (age < 75) & poor_or_near & survivor
        return beneficiary | person("child_of_single_parent_beneficiary", period) | point_c | point_d


class funeral_support(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hỗ trợ chi phí mai táng, tối thiểu (đồng), trong tháng người đó chết"
    reference = "Nghị định 335/2026/NĐ-CP Điều 11 khoản 2, Điều 31"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.funeral_support:
            return np.zeros(person.count, dtype=np.int64)
        multiple = np.int64(parameters(period).funeral.multiple)
        by_allowance = np.where(
            person("funeral_support_eligible", period),
            multiple * person.household("standard_level", period).astype(np.int64),
            0,
        )
        by_pension = np.zeros(person.count, dtype=np.int64)
        if period.start.year * 100 + period.start.month >= 202607:
            pension_multiple = np.int64(parameters(period).social_pension.ages.funeral_multiple)
            national_pension = np.int64(parameters(period).levels.social_pension_level)
            by_pension = np.where(
                person("social_pension_entitled", period) > 0, pension_multiple * national_pension, 0
            )
        elif parameters(period).availability.in_force.social_pension:
            # Before Decree 335 the social-pension funeral followed the Law on the Elderly (20 × standard).
            by_pension = np.where(
                person("social_pension_entitled", period) > 0,
                multiple * person.household("standard_level", period).astype(np.int64),
                0,
            )
        amount = np.maximum(by_allowance, by_pension)
        return np.where(person("dies_this_month", period), amount, 0)
