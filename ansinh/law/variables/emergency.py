"""Emergency assistance (trợ giúp khẩn cấp; "đột xuất" in Decree 20/2021 Ch. III): Decree
335/2026/NĐ-CP Art. 12–14. Rice 15 kg per person per month (1 month at Tết, up to 3 months after a
disaster); injured ≥ 3 days of treatment: at least 10 × the standard level; killed or missing: at
least 50 ×; housing 40 / 30 / 20 million per household. All are minimums."""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Household, Person
from ansinh.law.variables.household import FoodShortage, HouseDamage


def _in_force(parameters, period):
    return parameters(period).availability.in_force.emergency_support


class emergency_rice_kg(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Gạo cứu đói cho cả hộ, kg cho một tháng (15 kg × số người)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 12 khoản 1"

    def formula(household, period, parameters):
        if not _in_force(parameters, period):
            return np.zeros(household.count, dtype=np.int64)
        short = household("food_shortage", period) != FoodShortage.none
        per_person = np.int64(parameters(period).emergency.support.rice_kg_per_person_month)
        return np.where(short, per_person * household("household_size", period).astype(np.int64), 0)


class emergency_rice_months(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Số tháng hỗ trợ gạo tối đa của đợt (Tết: 1; thiên tai, giáp hạt: 3)"

    def formula(household, period, parameters):
        if not _in_force(parameters, period):
            return np.zeros(household.count, dtype=np.int64)
        support = parameters(period).emergency.support
        shortage = household("food_shortage", period)
        return np.select(
            [shortage == FoodShortage.tet, shortage == FoodShortage.disaster],
            [support.rice_months_tet, support.rice_months_disaster],
            0,
        )


class emergency_injured_support(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hỗ trợ người bị thương nặng do thiên tai, tai nạn (đồng, tối thiểu)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 12 khoản 2"

    def formula(person, period, parameters):
        if not _in_force(parameters, period):
            return np.zeros(person.count, dtype=np.int64)
        support = parameters(period).emergency.support
        injured = person("injured_treatment_days", period) >= support.injured_min_days
        level = person.household("standard_level", period).astype(np.int64)
        return np.where(injured, np.int64(support.injured_multiple) * level, 0)


class emergency_funeral_support(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hỗ trợ mai táng người chết, mất tích do thiên tai, tai nạn (đồng, tối thiểu)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 12 khoản 3"

    def formula(person, period, parameters):
        if not _in_force(parameters, period):
            return np.zeros(person.count, dtype=np.int64)
        support = parameters(period).emergency.support
        level = person.household("standard_level", period).astype(np.int64)
        return np.where(person("killed_in_disaster", period), np.int64(support.killed_multiple) * level, 0)


class emergency_housing_support(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Hỗ trợ nhà ở khẩn cấp cho hộ (đồng, tối thiểu)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 12 khoản 4"

    def formula(household, period, parameters):
        if not _in_force(parameters, period):
            return np.zeros(household.count, dtype=np.int64)
        support = parameters(period).emergency.support
        damage = household("house_damage", period)
        return np.select(
            [
                damage == HouseDamage.collapsed,
                damage == HouseDamage.relocation,
                damage == HouseDamage.severe_damage,
            ],
            [support.housing_collapsed, support.housing_relocation, support.housing_severe_damage],
            0,
        )
