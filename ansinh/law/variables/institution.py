"""Monthly nurture allowance in a social-assistance institution (trợ cấp nuôi dưỡng trong cơ sở
trợ giúp xã hội): Decree 20/2021/NĐ-CP Art. 25; Decree 335/2026/NĐ-CP Art. 21–26. At least 5.0 ×
the standard level for a child under 4, 4.0 × from age 4."""

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.arith import amount_x100
from ansinh.law.entities import Person


class institution_nurture_coefficient(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Hệ số trợ cấp nuôi dưỡng trong cơ sở × 100 (tối thiểu)"

    def formula(person, period, parameters):
        if not parameters(period).availability.in_force.institution_nurture:
            return np.zeros(person.count, dtype=np.int64)
        table = parameters(period).institution.nurture
        coefficient = np.where(person("age", period) < table.age, table.under_4, table.from_4)
        return np.where(person("in_institution", period) & person("is_alive", period), coefficient, 0)


class institution_nurture(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Trợ cấp nuôi dưỡng hằng tháng trong cơ sở trợ giúp xã hội, tối thiểu (đồng)"
    reference = "Nghị định 335/2026/NĐ-CP Điều 24 khoản 1; Nghị định 20/2021/NĐ-CP Điều 25 khoản 1"

    def formula(person, period, parameters):
        return amount_x100(
            person("institution_nurture_coefficient", period), person.household("standard_level", period)
        )
