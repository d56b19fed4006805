"""Social pension (trợ cấp hưu trí xã hội): Law on Social Insurance 41/2024/QH15 Art. 21–22
(in force 1 Jul 2025), Decree 176/2025/NĐ-CP (500,000), Decree 335/2026/NĐ-CP Art. 31 (540,000
from 1 Jul 2026). Eligible: aged 75+, or 70 to under 75 in a poor or near-poor household, with no
pension or monthly social-insurance benefit (Art. 21(1)). A person also eligible for the monthly
social allowance receives the higher of the two (Art. 22(3)). Before 1 Jul 2025 the benefit did not
exist: its amount is 0 here, and the assessment refuses such a month when asked for it.

UNCERTAIN (legal.md check 3): Decree 176 also covers people whose pension is below the social
pension level; whether they get the full amount or the difference is not confirmed, so a person
with any pension is not eligible here.
"""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Person
from ansinh.law.variables.household import PovertyStatus


class social_pension_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Đủ điều kiện hưởng trợ cấp hưu trí xã hội (Luật BHXH 2024 Điều 21 khoản 1)"
    reference = "Luật Bảo hiểm xã hội 41/2024/QH15 Điều 21"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.social_pension:
            return np.zeros(person.count, dtype=bool)
        ages = parameters(period).social_pension.ages
        age = person("age", period)
        poverty = person.household("poverty_status", period)
        poor_or_near = (poverty == PovertyStatus.poor) | (poverty == PovertyStatus.near_poor)
        old_enough = (age >= ages.age) | ((age >= ages.poor_household_age) & poor_or_near)
        return (
            person("is_alive", period)
            & ~person("in_institution", period)
            & old_enough
            & ~person("receives_pension", period)
        )


class social_pension_entitled(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp hưu trí xã hội theo điều kiện, trước khi so với trợ cấp xã hội (đồng)"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.social_pension:
            return np.zeros(person.count, dtype=np.int64)
        level = person.household("social_pension_level", period).astype(np.int64)
        return np.where(person("social_pension_eligible", period), level, 0)


class social_pension(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp hưu trí xã hội được chi trả (đồng)"
    reference = "Luật Bảo hiểm xã hội 41/2024/QH15 Điều 22 khoản 3; Nghị định 335/2026/NĐ-CP Điều 31"

    def formula(person, period, parameters):
        pension = person("social_pension_entitled", period)
        allowance = person("social_allowance_entitled", period)
        return np.where(pension > allowance, pension, 0)
