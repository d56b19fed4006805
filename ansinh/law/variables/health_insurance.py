"""State-paid health insurance (thẻ BHYT do ngân sách nhà nước đóng): Law on Health Insurance
(group "người thuộc diện hưởng trợ cấp bảo trợ xã hội hằng tháng"; children under 6), Decree
20/2021/NĐ-CP Art. 9; social-pension recipients: Law 41/2024/QH15 Art. 22. Decree 335/2026 has no
separate article (legal.md §1.6), so the entitlement follows from receiving the benefits below."""

from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from ansinh.law.entities import Person


class state_paid_health_insurance(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Được ngân sách nhà nước đóng bảo hiểm y tế"
    reference = "Luật Bảo hiểm y tế Điều 12; Luật BHXH 41/2024/QH15 Điều 22; Nghị định 20/2021/NĐ-CP Điều 9"

    def formula(person, period, parameters):
        child = person("age", period) < parameters(period).health_insurance.ages.child_age
        return person("is_alive", period) & (
            (person("monthly_social_allowance", period) > 0)
            | (person("social_pension", period) > 0)
            | (person("institution_nurture", period) > 0)
            | (person("provincial_allowance", period) > 0)
            | (child & (person("age", period) >= 0))
        )
