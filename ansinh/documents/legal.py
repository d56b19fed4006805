"""Legal wording for official documents: citations in the order Vietnamese documents write them
("điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP"), who a decision is for by benefit and category,
and amounts in "đồng" (Decree 30/2020: no abbreviations in the body of an administrative document).

A decision's category is a code (ansinh.law.catalog): "1"…"8", "5a", "5b", "4+6" for the monthly
allowance (Decree 335/2026 Art. 5), "75+" / "70-74" for the social pension (Law 41/2024 Art. 21(1)),
and a care-support item (Decree 335/2026 Art. 17). Only the monthly allowance comes under Art. 5.
"""

from decimal import Decimal, InvalidOperation

from ansinh.core.money import format_number

DECREE = "Nghị định 335/2026/NĐ-CP"
SOCIAL_INSURANCE_LAW = "Luật Bảo hiểm xã hội năm 2024"

# Monthly-allowance category → where Art. 5 names it (and in which decree, for the repealed ones).
ALLOWANCE_CLAUSES = {
    "1": ("khoản 1 Điều 5", DECREE),
    "2": ("khoản 2 Điều 5", DECREE),
    "3": ("khoản 3 Điều 5", DECREE),
    "4": ("khoản 4 Điều 5", DECREE),
    "5a": ("điểm a khoản 5 Điều 5", DECREE),
    "5b": ("điểm b khoản 5 Điều 5", DECREE),
    "5b_nd20": ("điểm b khoản 5 Điều 5", "Nghị định 20/2021/NĐ-CP"),
    "5c_nd20": ("điểm c khoản 5 Điều 5", "Nghị định 20/2021/NĐ-CP"),
    "6": ("khoản 6 Điều 5", DECREE),
    "7": ("khoản 7 Điều 5", DECREE),
    "8": ("khoản 8 Điều 5", DECREE),
}

PENSION_GROUPS = {
    "75+": ("người từ đủ 75 tuổi", "điểm a khoản 1 Điều 21"),
    "70-74": ("người từ đủ 70 tuổi đến dưới 75 tuổi thuộc hộ nghèo, hộ cận nghèo", "điểm b khoản 1 Điều 21"),
}

# Care-support item (ansinh.law.variables.care_support.ITEMS) → who receives it, Art. 17 citation.
CARE_ITEMS = {
    "foster_cat1_under_4": (
        "nhận chăm sóc, nuôi dưỡng tại cộng đồng trẻ em dưới 4 tuổi thuộc khoản 1 Điều 5",
        "điểm a khoản 2 Điều 17",
    ),
    "foster_cat1_from_4": (
        "nhận chăm sóc, nuôi dưỡng tại cộng đồng trẻ em từ đủ 4 tuổi đến dưới 16 tuổi thuộc khoản 1 Điều 5",
        "điểm b khoản 2 Điều 17",
    ),
    "foster_cat5b_elderly": (
        "nhận chăm sóc, nuôi dưỡng người cao tuổi thuộc điểm b khoản 5 Điều 5",
        "điểm c khoản 2 Điều 17",
    ),
    "disabled_parent": (
        "người khuyết tật nặng, đặc biệt nặng đang mang thai hoặc nuôi con dưới 36 tháng tuổi",
        "khoản 1 Điều 17",
    ),
    "household_direct_care": (
        "hộ gia đình trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng",
        "điểm c khoản 1 Điều 17",
    ),
    "foster_disabled_adult": (
        "nhận nuôi dưỡng, chăm sóc người khuyết tật đặc biệt nặng là người lớn",
        "điểm d khoản 2 Điều 17",
    ),
    "foster_disabled_child": (
        "nhận nuôi dưỡng, chăm sóc trẻ em khuyết tật đặc biệt nặng",
        "điểm đ khoản 2 Điều 17",
    ),
}
CARE_ITEMS["household_carer"] = CARE_ITEMS["household_direct_care"]  # the demo data's code


def citation(basis: dict) -> str:
    """{"document": "Nghị định 335/2026/NĐ-CP", "article": "6", "clause": "1", "point": "a"} →
    "điểm a khoản 1 Điều 6 Nghị định 335/2026/NĐ-CP" (smallest unit first, as documents cite)."""
    parts = []
    if basis.get("point"):
        parts.append(f"điểm {basis['point']}")
    if basis.get("clause"):
        parts.append(f"khoản {basis['clause']}")
    if basis.get("article"):
        parts.append(f"Điều {basis['article']}")
    if basis.get("document"):
        parts.append(str(basis["document"]))
    return " ".join(parts)


def category_text(benefit: str, category: str) -> str:
    """Who the decision is for, in a document's words; empty when there is no category."""
    if not category:
        return ""
    if benefit == "monthly_allowance":
        parts = [part for part in category.split("+") if part]
        if all(part in ALLOWANCE_CLAUSES for part in parts):
            decrees = {ALLOWANCE_CLAUSES[part][1] for part in parts}
            if len(decrees) == 1:
                where = " và ".join(ALLOWANCE_CLAUSES[part][0].removesuffix(" Điều 5") for part in parts)
                return f"đối tượng quy định tại {where} Điều 5 {decrees.pop()}"
            where = "; ".join(f"{ALLOWANCE_CLAUSES[p][0]} {ALLOWANCE_CLAUSES[p][1]}" for p in parts)
            return f"đối tượng quy định tại {where}"
        return f"đối tượng hưởng trợ cấp xã hội hằng tháng theo Điều 5 {DECREE}"
    if benefit == "social_pension":
        if category in PENSION_GROUPS:
            who, where = PENSION_GROUPS[category]
            return f"đối tượng hưởng trợ cấp hưu trí xã hội ({who}) theo {where} {SOCIAL_INSURANCE_LAW}"
        return f"đối tượng hưởng trợ cấp hưu trí xã hội theo Điều 21 {SOCIAL_INSURANCE_LAW}"
    if benefit == "care_support":
        if category in CARE_ITEMS:
            who, where = CARE_ITEMS[category]
            return f"đối tượng hưởng hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng ({who}) theo {where} {DECREE}"
        return f"đối tượng hưởng hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng theo Điều 17 {DECREE}"
    return ""


def coefficient_words(value) -> str:
    """Decimal("1.50") → "1,5"; Decimal("2.00") → "2"; empty for None."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def decision_terms(decision) -> str:
    """What follows the person in Điều 1: the category in words and, for benefits paid as a
    coefficient of the standard level, the coefficient. The social pension is a fixed level (its
    coefficient of 1 means nothing to a reader) and a funeral support is a one-off amount."""
    parts = []
    text = category_text(decision.benefit, decision.category)
    if text:
        parts.append(text)
    if (
        decision.coefficient is not None
        and decision.benefit in ("monthly_allowance", "care_support")
        and not getattr(decision, "one_off_amount", None)
    ):
        parts.append(f"hệ số {coefficient_words(decision.coefficient)}")
    return ", ".join(parts)


def amount_words(amount, *, monthly: bool = False) -> str:
    """540000 → "540.000 đồng"; with monthly=True "540.000 đồng/tháng"; empty for None."""
    if amount is None or amount == "":
        return ""
    text = format_number(amount) + " đồng"
    return f"{text}/tháng" if monthly else text


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three_digits(number: int, *, full: bool) -> list[str]:
    """Words of 0–999; `full` when a higher group precedes (then "không trăm", "linh" are said)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return words


def number_words(number: int) -> str:
    """25110000 → "hai mươi lăm triệu một trăm mười nghìn" (the "bằng chữ" line of a document)."""
    number = int(number)
    if number == 0:
        return "không"
    if number < 0:
        return "âm " + number_words(-number)
    if number >= 1000**4:
        return f"{number_words(number // 1000**3)} tỷ {number_words(number % 1000**3)}".removesuffix(" không")
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _three_digits(group, full=bool(words))
        words += [_GROUPS[index]] if _GROUPS[index] else []
    return " ".join(words)


def amount_in_words(amount) -> str:
    """25110000 → "Hai mươi lăm triệu một trăm mười nghìn đồng"."""
    text = number_words(int(amount)) + " đồng"
    return text[0].upper() + text[1:]
