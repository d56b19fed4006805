"""Base levels for a month: the national standard level (Decree 20/2021 Art. 4 as amended by
Decree 76/2024; Decree 335/2026 Art. 4), a province's higher level (Decree 335/2026 Art. 4: the
provincial People's Council may set a higher one), and the social-pension level (Decree 176/2025;
Decree 335/2026 Art. 31) with a provincial top-up (Law 41/2024 Art. 22)."""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Household


def _policies(population):
    return getattr(population.simulation.tax_benefit_system, "province_policies", None)


def _month(period):
    import datetime as dt

    return dt.date(period.start.year, period.start.month, 1)


def provincial_level(household, period, kind, national):
    """max(national, the province's level) per household, vectorised over province codes."""
    level = np.full(household.count, national, dtype=np.int64)
    policies = _policies(household)
    if policies is None:
        return level
    chosen = policies.levels(_month(period), kind)
    if not chosen:
        return level
    codes = household("province_code", period).astype("U2")
    for code, policy in chosen.items():
        level = np.where(codes == code, np.maximum(level, policy.amount), level)
    return level


class national_standard_level(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Mức chuẩn trợ giúp xã hội quốc gia"
    reference = "Nghị định 20/2021/NĐ-CP Điều 4; Nghị định 76/2024/NĐ-CP; Nghị định 335/2026/NĐ-CP Điều 4"

    def formula(household, period, parameters):
        return np.full(household.count, parameters(period).levels.standard_level, dtype=np.int64)


class standard_level(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Mức chuẩn trợ giúp xã hội áp dụng (mức của tỉnh nếu cao hơn)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 4"

    def formula(household, period, parameters):
        return provincial_level(household, period, "standard_level", parameters(period).levels.standard_level)


class social_pension_level(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Mức trợ cấp hưu trí xã hội áp dụng (gồm phần tỉnh bổ sung)"
    reference = "Luật BHXH 41/2024/QH15 Điều 22; Nghị định 176/2025/NĐ-CP; Nghị định 335/2026/NĐ-CP Điều 31"

    def formula_2025_07(household, period, parameters):
        return provincial_level(
            household, period, "social_pension_level", parameters(period).levels.social_pension_level
        )
