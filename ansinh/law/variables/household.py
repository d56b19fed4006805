"""Household facts: poverty status (yearly review, Decree 07/2021), place, emergencies."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Household


class PovertyStatus(Enum):
    none = "Không nghèo, không cận nghèo"
    near_poor = "Hộ cận nghèo"
    poor = "Hộ nghèo"


class poverty_status(Variable):
    value_type = Enum
    possible_values = PovertyStatus
    default_value = PovertyStatus.none
    entity = Household
    definition_period = MONTH
    label = "Tình trạng nghèo của hộ theo kết quả rà soát năm (Nghị định 07/2021/NĐ-CP)"


class AreaType(Enum):
    rural = "Nông thôn"
    urban = "Thành thị"


class area_type(Variable):
    value_type = Enum
    possible_values = AreaType
    default_value = AreaType.rural
    entity = Household
    definition_period = MONTH
    label = "Khu vực (nông thôn/thành thị) dùng cho chuẩn nghèo"


class especially_difficult_area(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "Sống ở xã, thôn đặc biệt khó khăn vùng đồng bào dân tộc thiểu số và miền núi"


class province_code(Variable):
    value_type = str
    max_length = 2
    entity = Household
    definition_period = MONTH
    label = "Mã tỉnh (2 chữ số, theo danh mục từ 01/7/2025) nơi hộ cư trú"


class income_per_person(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Thu nhập bình quân đồng/người/tháng (rà soát hộ nghèo)"


class deprivations(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Số chỉ số thiếu hụt dịch vụ xã hội cơ bản (trên 12)"


class poverty_status_by_standard(Variable):
    """Decree 07/2021 Art. 3(1): poor = income ≤ line and ≥ 3 deprivations; near-poor = income ≤ line and < 3.

    Only what the standard says; the recognised status (poverty_status) comes from the commune's review.
    """

    value_type = Enum
    possible_values = PovertyStatus
    default_value = PovertyStatus.none
    entity = Household
    definition_period = MONTH
    label = "Tình trạng nghèo theo chuẩn nghèo đa chiều (tính từ thu nhập và số chỉ số thiếu hụt)"

    def formula_2022_01(household, period, parameters):
        lines = parameters(period).poverty.lines
        urban = household("area_type", period) == AreaType.urban
        line = np.where(urban, lines.urban_income_line, lines.rural_income_line)
        under_line = household("income_per_person", period) <= line
        deprived = household("deprivations", period) >= lines.poor_min_deprivations
        return np.select(
            [under_line & deprived, under_line],
            [PovertyStatus.poor, PovertyStatus.near_poor],
            PovertyStatus.none,
        )


class FoodShortage(Enum):
    none = "Không thiếu đói"
    tet = "Thiếu đói dịp Tết"
    disaster = "Thiếu đói sau thiên tai, hỏa hoạn, mất mùa, giáp hạt"


class food_shortage(Variable):
    value_type = Enum
    possible_values = FoodShortage
    default_value = FoodShortage.none
    entity = Household
    definition_period = MONTH
    label = "Hộ thiếu đói trong tháng"


class HouseDamage(Enum):
    none = "Không"
    collapsed = "Nhà bị đổ, sập, trôi, cháy hoàn toàn, không còn nơi ở"
    relocation = "Phải di dời khẩn cấp do nguy cơ sạt lở, lũ, lụt"
    severe_damage = "Nhà bị hư hỏng nặng phải sửa chữa"


class house_damage(Variable):
    value_type = Enum
    possible_values = HouseDamage
    default_value = HouseDamage.none
    entity = Household
    definition_period = MONTH
    label = "Thiệt hại về nhà ở trong tháng"


class household_size(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Số nhân khẩu (số người trong mô phỏng, trừ khi nhập trực tiếp)"

    def formula(household, period, parameters):
        return household.nb_persons()
