"""The catalogue of benefits and monthly-allowance categories, with the Vietnamese wording used in
explanations. Pure data: the variables and the assessment both read it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SubCase:
    key: str  # parameter name under monthly_allowance.coefficients and variable `sa_<key>`
    category: str  # category code, see CATEGORIES
    reason: str  # "hệ số 2,5 vì <reason>"


# Category codes. Decree 335/2026 keeps Decree 20/2021's numbering (Art. 5 clauses 1–8); 5b is
# Decree 335's 5b (= Decree 20's 5(5)(d)); "5b_nd20" and "5c_nd20" are Decree 20's 5(5)(b),(c),
# repealed from 1 Jul 2025 and replaced by the social pension.
CATEGORIES = {
    "1": "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng (khoản 1 Điều 5)",
    "2": "Người từ đủ 16 tuổi đang học, đang hưởng trợ cấp khoản 1 (khoản 2 Điều 5)",
    "3": "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo (khoản 3 Điều 5)",
    "4": "Người đơn thân nghèo đang nuôi con (khoản 4 Điều 5)",
    "5a": "Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng (điểm a khoản 5 Điều 5)",
    "5b": "Người cao tuổi đủ điều kiện vào cơ sở nhưng được chăm sóc tại cộng đồng (điểm b khoản 5 Điều 5 NĐ 335; điểm d NĐ 20)",
    "5b_nd20": "Người từ 75 đến dưới 80 tuổi, hộ nghèo/cận nghèo, vùng đặc biệt khó khăn (NĐ 20 điểm b khoản 5 Điều 5; bãi bỏ 01/7/2025)",
    "5c_nd20": "Người từ đủ 80 tuổi không có lương hưu, trợ cấp hằng tháng (NĐ 20 điểm c khoản 5 Điều 5; bãi bỏ 01/7/2025)",
    "6": "Người khuyết tật nặng, đặc biệt nặng (khoản 6 Điều 5)",
    "7": "Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn (khoản 7 Điều 5)",
    "8": "Người nhiễm HIV/AIDS thuộc hộ nghèo không có thu nhập ổn định (khoản 8 Điều 5)",
}

# Decree 335/2026 Art. 6: a poor single parent (cat. 4) who is also in cat. 5, 6 or 8 receives both.
STACKS_WITH_CAT4 = ("5a", "5b", "5b_nd20", "5c_nd20", "6", "8")

SUBCASES = [
    SubCase("c1_under_4", "1", "trẻ em dưới 4 tuổi {orphan}"),
    SubCase("c1_from_4", "1", "trẻ em từ đủ 4 đến dưới 16 tuổi {orphan}"),
    SubCase(
        "c2_studying", "2", "người từ đủ 16 tuổi đang học, đã hưởng trợ cấp trẻ em không có nguồn nuôi dưỡng"
    ),
    SubCase("c3_under_4", "3", "trẻ em dưới 4 tuổi nhiễm HIV/AIDS thuộc hộ nghèo"),
    SubCase("c3_from_4", "3", "trẻ em từ đủ 4 đến dưới 16 tuổi nhiễm HIV/AIDS thuộc hộ nghèo"),
    SubCase("c4_per_child", "4", "người đơn thân nghèo đang nuôi {children} con (hệ số cho mỗi con)"),
    SubCase(
        "c5a_below",
        "5a",
        "người cao tuổi từ đủ 60 đến dưới {threshold} tuổi thuộc hộ nghèo, không có người phụng dưỡng",
    ),
    SubCase(
        "c5a_from", "5a", "người cao tuổi từ đủ {threshold} tuổi thuộc hộ nghèo, không có người phụng dưỡng"
    ),
    SubCase(
        "c5b_community",
        "5b",
        "người cao tuổi đủ điều kiện vào cơ sở trợ giúp xã hội nhưng được chăm sóc tại cộng đồng",
    ),
    SubCase(
        "c5_d20b",
        "5b_nd20",
        "người từ đủ 75 đến dưới 80 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn",
    ),
    SubCase(
        "c5_d20c",
        "5c_nd20",
        "người từ đủ 80 tuổi không có lương hưu, trợ cấp BHXH, trợ cấp xã hội hằng tháng",
    ),
    SubCase("c6_esp_adult", "6", "người khuyết tật đặc biệt nặng"),
    SubCase("c6_esp_child_or_elderly", "6", "{who} khuyết tật đặc biệt nặng"),
    SubCase("c6_sev_adult", "6", "người khuyết tật nặng"),
    SubCase("c6_sev_child_or_elderly", "6", "{who} khuyết tật nặng"),
    SubCase("c7_under_3", "7", "trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn"),
    SubCase("c8_hiv_adult", "8", "người nhiễm HIV/AIDS thuộc hộ nghèo, không có thu nhập ổn định"),
]

SUBCASE_BY_KEY = {s.key: s for s in SUBCASES}

# Benefit codes returned by the assessment.
BENEFITS = {
    "monthly_social_allowance": "Trợ cấp xã hội hằng tháng",
    "social_pension": "Trợ cấp hưu trí xã hội",
    "provincial_allowance": "Trợ cấp hằng tháng theo chính sách của tỉnh",
    "care_support": "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng",
    "funeral_support": "Hỗ trợ chi phí mai táng",
    "institution_nurture": "Trợ cấp nuôi dưỡng trong cơ sở trợ giúp xã hội",
    "emergency_rice": "Hỗ trợ gạo cứu đói (kg)",
    "emergency_injured": "Hỗ trợ người bị thương nặng do thiên tai, tai nạn",
    "emergency_funeral": "Hỗ trợ mai táng người chết, mất tích do thiên tai, tai nạn",
    "emergency_housing": "Hỗ trợ nhà ở khẩn cấp",
    "health_insurance": "Thẻ bảo hiểm y tế do ngân sách nhà nước đóng",
}

# What an Entitlement's category code says about the person, as facts of the law: the registry
# keeps ages, deaths, poverty, disability, pensions and schooling, but not why a child has no
# source of support, HIV status or single parenthood; the signed decision's category does. The
# monthly review and the assessment of a registered person read these (an orphan's exact case
# a–l is not recorded: "b" is assumed, it does not change the coefficient).
CATEGORY_FACTS = {
    "1": {"child_support_loss": "b", "was_child_beneficiary": True},
    "2": {"was_child_beneficiary": True},
    "3": {"has_hiv": True},
    "4": {"single_parent": True},
    "5a": {"no_supporter": True},
    "5b": {"no_supporter": True, "institution_eligible_in_community": True},
    "6": {},
    "7": {},
    "8": {"has_hiv": True},
}

# Social-pension categories (Law 41/2024 Art. 21(1)): (a) from 75; (b) 70 to under 75 in a poor or
# near-poor household. The decisions and the demo write these codes in Entitlement.category.
PENSION_CATEGORIES = {
    "75+": "Từ đủ 75 tuổi (điểm a khoản 1 Điều 21)",
    "70-74": "Từ đủ 70 đến dưới 75 tuổi, hộ nghèo/cận nghèo (điểm b)",
}


def category_parts(category: str) -> list[str]:
    """'4+6' → ['4', '6'] (Decree 335/2026 Art. 6(2): cat. 4 stacks with 5, 6 or 8)."""
    return [part for part in (category or "").split("+") if part]
