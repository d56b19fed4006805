"""Monthly social allowance (trợ cấp xã hội hằng tháng): Decree 20/2021/NĐ-CP Art. 5–6 (as amended
by Decree 76/2024 and, from 1 Jul 2025, Decree 176/2025), then Decree 335/2026/NĐ-CP Art. 5–6
(levels from 1 Jul 2026, Art. 32). Before 1 Jul 2021 the Decree 20 categories are applied at the
270,000 level of Decree 136/2013 where they existed (cat. 7 did not: its coefficient is 0 then).

amount = coefficient × standard level (Art. 6(1)); only the highest coefficient (Art. 6(2)), except
that a poor single parent (cat. 4) also in cat. 5, 6 or 8 receives both (Art. 6(2)).
Coefficients are ×100 integers (ansinh.law.arith). Persons in a social-assistance institution
receive the nurture allowance instead (institution.py).
"""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.arith import amount_x100
from ansinh.law.catalog import STACKS_WITH_CAT4, SUBCASES
from ansinh.law.entities import Person
from ansinh.law.variables.household import PovertyStatus
from ansinh.law.variables.person import ChildSupportLoss, DisabilityLevel


def _facts(person, period, parameters):
    ages = parameters(period).monthly_allowance.ages
    age = person("age", period)
    poverty = person.household("poverty_status", period)
    poor = poverty == PovertyStatus.poor
    return ages, age, poor, poor | (poverty == PovertyStatus.near_poor)


def _community(person, period):
    return person("is_alive", period) & ~person("in_institution", period) & (person("age", period) >= 0)


def _cat1(person, period, parameters):
    ages, age, _, _ = _facts(person, period, parameters)
    loss = person("child_support_loss", period) != ChildSupportLoss.none
    return _community(person, period) & loss & (age < ages.child_age_limit)


def _cat3(person, period, parameters):
    ages, age, poor, _ = _facts(person, period, parameters)
    return _community(person, period) & person("has_hiv", period) & poor & (age < ages.child_age_limit)


def _cat5a(person, period, parameters):
    ages, age, poor, _ = _facts(person, period, parameters)
    return _community(person, period) & (age >= ages.elderly_age) & poor & person("no_supporter", period)


def _disabled(person, period, level):
    return _community(person, period) & (person("disability_level", period) == level)


def _child_or_elderly(person, period, parameters):
    ages, age, _, _ = _facts(person, period, parameters)
    return (age < ages.child_age_limit) | (age >= ages.elderly_age)


class sa_c1_under_4(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 1 Điều 5, trẻ em dưới 4 tuổi (hệ số 2,5: Điều 6 khoản 1 điểm a)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat1(person, period, parameters) & (person("age", period) < ages.young_child_age)


class sa_c1_from_4(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 1 Điều 5, trẻ em từ đủ 4 đến dưới 16 tuổi (hệ số 1,5: Điều 6 khoản 1 điểm b)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat1(person, period, parameters) & (person("age", period) >= ages.young_child_age)


class sa_c2_studying(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 2 Điều 5: từ đủ 16 tuổi đang học (NĐ 20: đến 22 tuổi; NĐ 335: đến khi kết thúc học)"

    def formula(person, period, parameters):
        ages, age, _, _ = _facts(person, period, parameters)
        return (
            _community(person, period)
            & person("was_child_beneficiary", period)
            & person("studying", period)
            & (age >= ages.child_age_limit)
            & (age <= ages.studying_max_age)
        )


class sa_c3_under_4(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 3 Điều 5, trẻ em nhiễm HIV dưới 4 tuổi (hệ số 2,5)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat3(person, period, parameters) & (person("age", period) < ages.young_child_age)


class sa_c3_from_4(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 3 Điều 5, trẻ em nhiễm HIV từ đủ 4 tuổi (hệ số 2,0)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat3(person, period, parameters) & (person("age", period) >= ages.young_child_age)


class sa_c4_per_child(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 4 Điều 5: người đơn thân thuộc hộ nghèo, cận nghèo đang nuôi con (hệ số 1,0 mỗi con)"

    def formula(person, period, parameters):
        _, _, _, poor_or_near = _facts(person, period, parameters)
        return (
            _community(person, period)
            & person("single_parent", period)
            & poor_or_near
            & (person("single_parent_children", period) > 0)
        )


class sa_c5a_below(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Điểm a khoản 5 Điều 5, dưới ngưỡng tuổi hệ số cao (hệ số 1,5)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat5a(person, period, parameters) & (
            person("age", period) < ages.elderly_higher_coefficient_age
        )


class sa_c5a_from(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Điểm a khoản 5 Điều 5, từ ngưỡng tuổi hệ số cao: 80 (NĐ 20), 75 (NĐ 335) (hệ số 2,0)"

    def formula(person, period, parameters):
        ages = parameters(period).monthly_allowance.ages
        return _cat5a(person, period, parameters) & (
            person("age", period) >= ages.elderly_higher_coefficient_age
        )


class sa_c5b_community(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Điểm b khoản 5 Điều 5 NĐ 335 (điểm d NĐ 20): đủ điều kiện vào cơ sở, chăm sóc tại cộng đồng (hệ số 3,0)"

    def formula(person, period, parameters):
        return _cat5a(person, period, parameters) & person("institution_eligible_in_community", period)


class sa_c5_d20b(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "NĐ 20 điểm b khoản 5 Điều 5 (bãi bỏ 01/7/2025): 75–<80 tuổi, hộ nghèo/cận nghèo, vùng ĐBKK (hệ số 1,0)"

    def formula(person, period, parameters):
        ages, age, _, poor_or_near = _facts(person, period, parameters)
        area = person.household("especially_difficult_area", period)
        return (
            _community(person, period)
            & (age >= ages.d20_old_5b_age_min)
            & (age < ages.d20_old_5b_age_below)
            & poor_or_near
            & area
            & ~_cat5a(person, period, parameters)
        )


class sa_c5_d20c(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "NĐ 20 điểm c khoản 5 Điều 5 (bãi bỏ 01/7/2025): từ đủ 80 tuổi không có lương hưu, trợ cấp hằng tháng (hệ số 1,0)"

    def formula(person, period, parameters):
        ages, age, _, _ = _facts(person, period, parameters)
        return (
            _community(person, period)
            & (age >= ages.d20_old_5c_age)
            & ~person("receives_pension", period)
            & ~person("receives_other_monthly_allowance", period)
            & ~_cat5a(person, period, parameters)
        )


class sa_c6_esp_adult(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 6 Điều 5: người khuyết tật đặc biệt nặng (hệ số 2,0)"

    def formula(person, period, parameters):
        return _disabled(person, period, DisabilityLevel.especially_severe) & ~_child_or_elderly(
            person, period, parameters
        )


class sa_c6_esp_child_or_elderly(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 6 Điều 5: trẻ em hoặc người cao tuổi khuyết tật đặc biệt nặng (hệ số 2,5)"

    def formula(person, period, parameters):
        return _disabled(person, period, DisabilityLevel.especially_severe) & _child_or_elderly(
            person, period, parameters
        )


class sa_c6_sev_adult(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 6 Điều 5: người khuyết tật nặng (hệ số 1,5)"

    def formula(person, period, parameters):
        return _disabled(person, period, DisabilityLevel.severe) & ~_child_or_elderly(
            person, period, parameters
        )


class sa_c6_sev_child_or_elderly(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 6 Điều 5: trẻ em hoặc người cao tuổi khuyết tật nặng (hệ số 2,0)"

    def formula(person, period, parameters):
        return _disabled(person, period, DisabilityLevel.severe) & _child_or_elderly(
            person, period, parameters
        )


class sa_c7_under_3(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 7 Điều 5: trẻ em dưới 3 tuổi, hộ nghèo/cận nghèo, vùng ĐBKK, không thuộc khoản 1, 3, 6 (hệ số 1,5; từ 01/7/2021)"

    def formula(person, period, parameters):
        _, age, _, poor_or_near = _facts(person, period, parameters)
        limit = parameters(period).monthly_allowance.ages.child_age_limit
        area = person.household("especially_difficult_area", period)
        other = (
            _cat1(person, period, parameters)
            | _cat3(person, period, parameters)
            | (_community(person, period) & (person("disability_level", period) == DisabilityLevel.severe))
            | (
                _community(person, period)
                & (person("disability_level", period) == DisabilityLevel.especially_severe)
            )
        )
        under_3 = age < parameters(period).monthly_allowance.ages.cat7_age_limit
        return _community(person, period) & under_3 & (age < limit) & poor_or_near & area & ~other


class sa_c8_hiv_adult(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Khoản 8 Điều 5: người nhiễm HIV/AIDS thuộc hộ nghèo, không có tiền lương, tiền công, lương hưu, trợ cấp BHXH (hệ số 1,5)"

    def formula(person, period, parameters):
        ages, age, poor, _ = _facts(person, period, parameters)
        return (
            _community(person, period)
            & person("has_hiv", period)
            & poor
            & (age >= ages.child_age_limit)
            & ~person("has_wage", period)
            & ~person("receives_pension", period)
        )


def subcase_coefficients(person, period, parameters) -> dict:
    """Sub-case key → coefficient ×100 per person (0 where not eligible). Cat. 4 is × the children."""
    table = parameters(period).monthly_allowance.coefficients
    values = {}
    for sub in SUBCASES:
        eligible = person(f"sa_{sub.key}", period)
        coefficient = np.int64(table[sub.key])
        if sub.key == "c4_per_child":
            coefficient = coefficient * person("single_parent_children", period).astype(np.int64)
        values[sub.key] = np.where(eligible, coefficient, 0).astype(np.int64)
    return values


def combine(values: dict) -> tuple:
    """Decree 335/2026 Art. 6(2): (total ×100, index of the main sub-case, cat-4 amount stacked ×100).

    Highest coefficient only; a cat-4 single parent also in 5, 6 or 8 gets cat 4 plus that one.
    """
    keys = [s.key for s in SUBCASES]
    category = {s.key: s.category for s in SUBCASES}
    matrix = np.stack([values[k] for k in keys])  # (subcases, persons)
    non4 = np.array([category[k] != "4" for k in keys])
    stackable = np.array([category[k] in STACKS_WITH_CAT4 for k in keys])
    cat4 = values["c4_per_child"]
    best_non4 = np.where(non4[:, None], matrix, 0).max(axis=0)
    best_non4_index = np.where(non4[:, None], matrix, -1).argmax(axis=0)
    best_stack = np.where(stackable[:, None], matrix, 0).max(axis=0)
    best_stack_index = np.where(stackable[:, None], matrix, -1).argmax(axis=0)
    stacked = cat4 + best_stack
    use_stack = (cat4 > 0) & (stacked > best_non4)
    total = np.where(use_stack, stacked, best_non4)
    c4_index = keys.index("c4_per_child")
    main_index = np.where(use_stack, np.where(best_stack > 0, best_stack_index, c4_index), best_non4_index)
    main_index = np.where(total > 0, main_index, -1)
    with_cat4 = np.where(use_stack & (best_stack > 0), cat4, 0)
    return total, main_index, with_cat4


class social_allowance_coefficient(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hệ số trợ cấp xã hội hằng tháng × 100 sau quy tắc chỉ hưởng mức cao nhất (Điều 6 khoản 2)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 6; Nghị định 20/2021/NĐ-CP Điều 6"

    def formula(person, period, parameters):
        total, _, _ = combine(subcase_coefficients(person, period, parameters))
        return total


class social_allowance_entitled(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp xã hội hằng tháng theo đối tượng, trước khi so với trợ cấp hưu trí xã hội (đồng)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 6 khoản 1"

    def formula(person, period, parameters):
        coefficient = person("social_allowance_coefficient", period)
        return amount_x100(coefficient, person.household("standard_level", period))


class monthly_social_allowance(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp xã hội hằng tháng được chi trả (đồng)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 6, Điều 31; Luật BHXH 41/2024/QH15 Điều 22 khoản 3"

    def formula(person, period, parameters):
        # Law 41/2024 Art. 22: eligible for both → the higher one only; a tie keeps the allowance.
        allowance = person("social_allowance_entitled", period)
        pension = person("social_pension_entitled", period)
        return np.where(allowance >= pension, allowance, 0)
