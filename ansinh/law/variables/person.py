"""Facts about a person (inputs) and what follows directly from them (age, alive).

Ages count in full years (đủ … tuổi, Decree 335/2026 wording). A change of conditions takes effect
from the month it happens (Decree 335/2026 Art. 8), so the age used for a month is the age reached
by the last day of that month: a child who turns 4 on 20 November is "4" for November.
"""

import datetime as dt

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY, MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Person

NEVER = dt.date(2999, 12, 31)


def month_start(period):
    return np.datetime64(f"{period.start.year:04d}-{period.start.month:02d}-01", "D")


def _year_month(dates):
    months = dates.astype("datetime64[M]").astype(np.int64)
    return months // 12 + 1970, months % 12 + 1


class birth_date(Variable):
    value_type = dt.date
    entity = Person
    definition_period = ETERNITY
    label = "Ngày sinh"


class date_of_death(Variable):
    value_type = dt.date
    entity = Person
    definition_period = ETERNITY
    default_value = NEVER
    label = "Ngày chết (hoặc ngày bị tuyên bố mất tích)"


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Tuổi tròn (đủ tuổi) vào ngày cuối của tháng"

    def formula(person, period, parameters):
        year, month = _year_month(person("birth_date", period))
        years = period.start.year - year - (month > period.start.month)
        return np.maximum(years, -1)


class age_in_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Số tháng tuổi tròn vào ngày cuối của tháng"

    def formula(person, period, parameters):
        year, month = _year_month(person("birth_date", period))
        return (period.start.year * 12 + period.start.month) - (year * 12 + month)


class is_alive(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Còn sống trong tháng (tháng chết vẫn được hưởng; dừng từ tháng sau, NĐ 335/2026 Điều 8)"

    def formula(person, period, parameters):
        return person("date_of_death", period) >= month_start(period)


class dies_this_month(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Chết (hoặc bị tuyên bố mất tích) trong tháng"

    def formula(person, period, parameters):
        death = person("date_of_death", period).astype("datetime64[M]")
        return death == np.datetime64(f"{period.start.year:04d}-{period.start.month:02d}", "M")


class ChildSupportLoss(Enum):
    """Decree 335/2026 Art. 5(1), Decree 20/2021 Art. 5(1): why a child has no source of support."""

    none = "Không thuộc khoản 1 Điều 5"
    a = "bị bỏ rơi chưa có người nhận làm con nuôi"
    b = "mồ côi cả cha và mẹ"
    c = "mồ côi cha hoặc mẹ và người còn lại mất tích"
    d = "mồ côi cha hoặc mẹ và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội"
    dd = "mồ côi cha hoặc mẹ và người còn lại đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính"
    e = "cả cha và mẹ mất tích"
    g = "cả cha và mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội"
    h = "cả cha và mẹ đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính"
    i = "cha hoặc mẹ mất tích và người còn lại đang ở cơ sở trợ giúp xã hội"
    k = "cha hoặc mẹ mất tích và người còn lại đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính"
    l = "cha hoặc mẹ đang ở cơ sở trợ giúp xã hội và người còn lại đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính"  # noqa: E741


class child_support_loss(Variable):
    value_type = Enum
    possible_values = ChildSupportLoss
    default_value = ChildSupportLoss.none
    entity = Person
    definition_period = MONTH
    label = "Trường hợp trẻ em không có nguồn nuôi dưỡng (khoản 1 Điều 5, điểm a–l)"


class DisabilityLevel(Enum):
    """Law on Persons with Disabilities 51/2010 Art. 3(2)."""

    none = "Không khuyết tật"
    mild = "Khuyết tật nhẹ"
    severe = "Khuyết tật nặng"
    especially_severe = "Khuyết tật đặc biệt nặng"


class disability_level(Variable):
    value_type = Enum
    possible_values = DisabilityLevel
    default_value = DisabilityLevel.none
    entity = Person
    definition_period = MONTH
    label = "Mức độ khuyết tật theo giấy xác nhận khuyết tật"


def _bool_input(name, label):
    return type(
        name, (Variable,), {"value_type": bool, "entity": Person, "definition_period": MONTH, "label": label}
    )


def _int_input(name, label):
    return type(
        name, (Variable,), {"value_type": int, "entity": Person, "definition_period": MONTH, "label": label}
    )


# Plain facts (one line each; the label says what the officer confirms).
studying = _bool_input(
    "studying",
    "Đang học phổ thông, GDTX, nghề, trung cấp, cao đẳng hoặc đại học văn bằng thứ nhất, không gián đoạn",
)
was_child_beneficiary = _bool_input(
    "was_child_beneficiary", "Đang hưởng trợ cấp theo khoản 1 Điều 5 khi đủ 16 tuổi"
)
has_hiv = _bool_input("has_hiv", "Nhiễm HIV/AIDS")
single_parent = _bool_input("single_parent", "Đơn thân (không có chồng/vợ; chồng/vợ đã chết hoặc mất tích)")
single_parent_children = _int_input(
    "single_parent_children", "Số con đang nuôi: dưới 16 tuổi, hoặc từ 16 tuổi đang học (khoản 4 Điều 5)"
)
no_supporter = _bool_input(
    "no_supporter",
    "Không có người có nghĩa vụ và quyền phụng dưỡng, hoặc người đó đang hưởng trợ cấp hằng tháng",
)
institution_eligible_in_community = _bool_input(
    "institution_eligible_in_community",
    "Đủ điều kiện vào cơ sở trợ giúp xã hội nhưng được chăm sóc tại cộng đồng",
)
receives_pension = _bool_input(
    "receives_pension", "Đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng"
)
has_wage = _bool_input("has_wage", "Có tiền lương, tiền công")
receives_survivor_benefit = _bool_input(
    "receives_survivor_benefit", "Đang hưởng trợ cấp tuất BHXH hằng tháng"
)
receives_other_monthly_allowance = _bool_input(
    "receives_other_monthly_allowance",
    "Đang hưởng trợ cấp hằng tháng khác của Nhà nước (ngoài các chế độ tính ở đây)",
)
in_institution = _bool_input("in_institution", "Đang được nuôi dưỡng trong cơ sở trợ giúp xã hội")
applied_before_death = _bool_input(
    "applied_before_death",
    "Đã nộp tờ khai, đủ điều kiện nhưng chưa có quyết định khi chết (NĐ 335 Điều 11 điểm a)",
)
child_of_single_parent_beneficiary = _bool_input(
    "child_of_single_parent_beneficiary",
    "Là con của người đơn thân nghèo đang hưởng trợ cấp (khoản 4 Điều 5)",
)
pregnant = _bool_input("pregnant", "Đang mang thai")
children_under_36_months = _int_input("children_under_36_months", "Số con dưới 36 tháng tuổi đang nuôi")
spouse_receives_child_care_support = _bool_input(
    "spouse_receives_child_care_support",
    "Vợ/chồng (cũng khuyết tật) đã nhận hỗ trợ mang thai, nuôi con (chỉ hưởng một lần cho cả hai)",
)
foster_cat1_under_4 = _int_input(
    "foster_cat1_under_4", "Số trẻ em khoản 1 Điều 5 dưới 4 tuổi đang nhận chăm sóc, nuôi dưỡng"
)
foster_cat1_from_4 = _int_input(
    "foster_cat1_from_4", "Số trẻ em khoản 1 Điều 5 từ 4 đến dưới 16 tuổi đang nhận chăm sóc, nuôi dưỡng"
)
foster_cat5b_elderly = _int_input(
    "foster_cat5b_elderly", "Số người cao tuổi (điểm b khoản 5 Điều 5) đang nhận chăm sóc"
)
cared_especially_severe_disabled = _int_input(
    "cared_especially_severe_disabled",
    "Số người khuyết tật đặc biệt nặng hộ đang trực tiếp chăm sóc, nuôi dưỡng",
)
foster_especially_severe_disabled_adults = _int_input(
    "foster_especially_severe_disabled_adults",
    "Số người lớn khuyết tật đặc biệt nặng đang nhận nuôi dưỡng, chăm sóc",
)
foster_especially_severe_disabled_children = _int_input(
    "foster_especially_severe_disabled_children",
    "Số trẻ em khuyết tật đặc biệt nặng đang nhận nuôi dưỡng, chăm sóc",
)
injured_treatment_days = _int_input(
    "injured_treatment_days", "Số ngày điều trị do bị thương nặng vì thiên tai, hỏa hoạn, tai nạn"
)
killed_in_disaster = _bool_input("killed_in_disaster", "Chết hoặc mất tích do thiên tai, hỏa hoạn, tai nạn")
