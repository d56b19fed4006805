"""Assess one person: every benefit the law gives them in a month, with coefficient, amount,
legal basis and a Vietnamese explanation. Builds a one-row simulation of the same variables the
monthly review evaluates over millions of rows.

The facts format is documented in docs/assess.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from openfisca_core.simulations import SimulationBuilder

from ansinh.core.money import format_number
from ansinh.law.arith import coefficient_decimal, coefficient_text
from ansinh.law.catalog import BENEFITS, CATEGORIES, SUBCASE_BY_KEY, SUBCASES
from ansinh.law.errors import FactsError
from ansinh.law.province_policies import ProvincePolicies, format_legal_basis
from ansinh.law.system import law_system
from ansinh.law.variables.care_support import ITEMS as CARE_ITEMS
from ansinh.law.variables.care_support import care_items
from ansinh.law.variables.monthly_allowance import combine, subcase_coefficients
from ansinh.law.variables.person import ChildSupportLoss

EARLIEST_MONTH = dt.date(2014, 1, 1)


@dataclass
class BenefitResult:
    benefit: str
    benefit_name: str
    category: str
    coefficient: Decimal | None
    amount: int  # đồng (kg of rice for emergency_rice)
    unit: str
    legal_basis: dict
    explanation: str
    to_confirm: bool = False
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["coefficient"] = None if self.coefficient is None else str(self.coefficient)
        return data


BOOL_FACTS = {
    "studying",
    "was_child_beneficiary",
    "has_hiv",
    "single_parent",
    "no_supporter",
    "institution_eligible_in_community",
    "receives_pension",
    "has_wage",
    "receives_survivor_benefit",
    "receives_other_monthly_allowance",
    "in_institution",
    "applied_before_death",
    "child_of_single_parent_beneficiary",
    "pregnant",
    "spouse_receives_child_care_support",
    "killed_in_disaster",
}
INT_FACTS = {
    "single_parent_children",
    "children_under_36_months",
    "foster_cat1_under_4",
    "foster_cat1_from_4",
    "foster_cat5b_elderly",
    "cared_especially_severe_disabled",
    "foster_especially_severe_disabled_adults",
    "foster_especially_severe_disabled_children",
    "injured_treatment_days",
}
PERSON_KEYS = (
    BOOL_FACTS
    | INT_FACTS
    | {"birth_date", "date_of_death", "child_support_loss", "disability_level", "full_name", "personal_id"}
)
HOUSEHOLD_KEYS = {
    "province_code",
    "poverty_status",
    "especially_difficult_area",
    "area_type",
    "size",
    "food_shortage",
    "house_damage",
    "income_per_person",
    "deprivations",
}
HOUSEHOLD_ENUMS = {
    "poverty_status": {"none", "near_poor", "poor"},
    "area_type": {"rural", "urban"},
    "food_shortage": {"none", "tet", "disaster"},
    "house_damage": {"none", "collapsed", "relocation", "severe_damage"},
}
DISABILITY = {"none", "mild", "severe", "especially_severe"}
LOSS_CASES = {m.name for m in ChildSupportLoss} | {"đ"}
TOP_KEYS = {"person", "household", "categories", "benefits"}
# Benefit → (availability parameter, first month) for "did it exist that month" checks.
FIRST_MONTH = {
    "monthly_social_allowance": EARLIEST_MONTH,
    "provincial_allowance": EARLIEST_MONTH,
    "health_insurance": EARLIEST_MONTH,
    "social_pension": dt.date(2025, 7, 1),
    "care_support": dt.date(2021, 7, 1),
    "funeral_support": dt.date(2021, 7, 1),
    "institution_nurture": dt.date(2021, 7, 1),
    "emergency_rice": dt.date(2021, 7, 1),
    "emergency_injured": dt.date(2021, 7, 1),
    "emergency_funeral": dt.date(2021, 7, 1),
    "emergency_housing": dt.date(2021, 7, 1),
}
# Categories that did not exist in every month: cat. 7 came with Decree 20/2021; Decree 20's
# 5(5)(b),(c) were repealed from 1 Jul 2025 (moved to the social pension, legal.md §1.2).
CATEGORY_MONTHS = {
    "7": (dt.date(2021, 7, 1), None),
    "5b_nd20": (EARLIEST_MONTH, dt.date(2025, 7, 1)),
    "5c_nd20": (EARLIEST_MONTH, dt.date(2025, 7, 1)),
}
# Facts that ask for a benefit: giving them for a month before the benefit is encoded is an error.
FACT_BENEFIT = {
    "person.in_institution": "institution_nurture",
    "person.killed_in_disaster": "emergency_funeral",
    "person.injured_treatment_days": "emergency_injured",
    "household.food_shortage": "emergency_rice",
    "household.house_damage": "emergency_housing",
    **{
        f"person.{k}": "care_support"
        for k in (
            "foster_cat1_under_4",
            "foster_cat1_from_4",
            "foster_cat5b_elderly",
            "cared_especially_severe_disabled",
            "foster_especially_severe_disabled_adults",
            "foster_especially_severe_disabled_children",
            "children_under_36_months",
            "pregnant",
        )
    },
}
_DATE_RE = re.compile(r"^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})/(\d{4})|(\d{4}))$")


def parse_date(value, field_name: str, *, partial: bool = False) -> dt.date:
    """'2023-05-10', '10/05/2023'; with partial=True also '05/2023' and '2023' (1st day / January)."""
    text = str(value).strip() if value is not None else ""
    match = _DATE_RE.match(text)
    try:
        if match and match.group(1):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match and match.group(4):
            return dt.date(int(match.group(6)), int(match.group(5)), int(match.group(4)))
        if match and partial and match.group(7):
            return dt.date(int(match.group(8)), int(match.group(7)), 1)
        if match and partial and match.group(9):
            return dt.date(int(match.group(9)), 1, 1)
    except ValueError:
        pass
    shapes = "2023-05-10, 10/05/2023, 05/2023 hoặc 2023" if partial else "2023-05-10 hoặc 10/05/2023"
    raise FactsError(field_name, f"Ngày không hợp lệ: {value!r}. Nhập theo dạng {shapes}.")


def _check_keys(data, allowed, prefix):
    if not isinstance(data, dict):
        raise FactsError(prefix or "facts", "Phải là một đối tượng JSON (khoá: giá trị).")
    for key in data:
        if key not in allowed:
            name = f"{prefix}.{key}" if prefix else key
            raise FactsError(
                name, f"Trường không được hỗ trợ: {key!r}. Xem docs/assess.md để biết các trường hợp lệ."
            )


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def validate_facts(facts: dict, month: dt.date) -> tuple[dict, dict, list | None, list | None]:
    """Check the facts and return (person inputs, household inputs, categories, benefits)."""
    if month < EARLIEST_MONTH:
        raise FactsError(
            "month",
            "Luật trợ giúp xã hội chỉ được mã hoá từ tháng 01/2014 (Nghị định 136/2013). Chọn tháng từ 01/2014.",
        )
    _check_keys(facts, TOP_KEYS, "")
    person = facts.get("person")
    if person is None:
        raise FactsError("person", "Thiếu thông tin người được đánh giá (person).")
    _check_keys(person, PERSON_KEYS, "person")
    household = facts.get("household") or {}
    _check_keys(household, HOUSEHOLD_KEYS, "household")
    if "birth_date" not in person:
        raise FactsError("person.birth_date", "Thiếu ngày sinh; nhập ít nhất năm sinh, ví dụ 1950.")
    birth = parse_date(person["birth_date"], "person.birth_date", partial=True)
    inputs: dict = {"birth_date": birth}
    if birth > _month_end(month):
        raise FactsError(
            "person.birth_date",
            f"Người này sinh sau tháng {month:%m/%Y} được đánh giá; kiểm tra ngày sinh hoặc tháng.",
        )
    if person.get("date_of_death"):
        death = parse_date(person["date_of_death"], "person.date_of_death")
        if death < birth:
            raise FactsError(
                "person.date_of_death", "Ngày chết trước ngày sinh; kiểm tra lại một trong hai ngày."
            )
        inputs["date_of_death"] = death
    for key in BOOL_FACTS & set(person):
        if not isinstance(person[key], bool):
            raise FactsError(f"person.{key}", f"Giá trị phải là true hoặc false (đang là {person[key]!r}).")
        inputs[key] = person[key]
    for key in INT_FACTS & set(person):
        value = person[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FactsError(f"person.{key}", f"Phải là số nguyên không âm (đang là {value!r}).")
        inputs[key] = value
    if "disability_level" in person:
        if person["disability_level"] not in DISABILITY:
            raise FactsError(
                "person.disability_level",
                f"Mức độ khuyết tật không hợp lệ: {person['disability_level']!r}. Chọn: {', '.join(sorted(DISABILITY))}.",
            )
        inputs["disability_level"] = person["disability_level"]
    if "child_support_loss" in person:
        case = person["child_support_loss"]
        if case not in LOSS_CASES:
            raise FactsError(
                "person.child_support_loss",
                f"Trường hợp không hợp lệ: {case!r}. Chọn một điểm a–l của khoản 1 Điều 5 (a, b, c, d, dd, e, g, h, i, k, l) hoặc none.",
            )
        inputs["child_support_loss"] = "dd" if case == "đ" else case
    # Contradictions.
    age = _age(birth, _month_end(month))
    if inputs.get("receives_pension") and age < 15:
        raise FactsError(
            "person.receives_pension",
            f"Người {age} tuổi không thể có lương hưu hoặc trợ cấp BHXH hằng tháng; kiểm tra ngày sinh hoặc bỏ trường này.",
        )
    if inputs.get("has_wage") and age < 15:
        raise FactsError(
            "person.has_wage",
            f"Người {age} tuổi không thể có tiền lương; kiểm tra ngày sinh hoặc bỏ trường này.",
        )
    if inputs.get("single_parent_children") and not inputs.get("single_parent"):
        raise FactsError(
            "person.single_parent_children",
            "Có số con nuôi theo khoản 4 Điều 5 nhưng single_parent không phải true.",
        )
    if inputs.get("single_parent") and age < 12:
        raise FactsError(
            "person.single_parent",
            f"Người {age} tuổi không thể là người đơn thân nuôi con; kiểm tra ngày sinh.",
        )
    if inputs.get("pregnant") and age < 10:
        raise FactsError("person.pregnant", f"Người {age} tuổi không thể đang mang thai; kiểm tra ngày sinh.")
    if inputs.get("in_institution") and inputs.get("institution_eligible_in_community"):
        raise FactsError(
            "person.institution_eligible_in_community",
            "Người đang được nuôi dưỡng trong cơ sở (in_institution) không thể đồng thời được chăm sóc tại cộng đồng; bỏ một trong hai trường.",
        )
    if inputs.get("children_under_36_months") and age < 12:
        raise FactsError(
            "person.children_under_36_months",
            f"Người {age} tuổi không thể đang nuôi con dưới 36 tháng tuổi; kiểm tra ngày sinh.",
        )

    hh: dict = {}
    if "province_code" in household:
        code = household["province_code"]
        if not isinstance(code, str) or len(code) != 2 or not code.isdigit():
            raise FactsError(
                "household.province_code", f'Mã tỉnh phải là 2 chữ số, ví dụ "01" (đang là {code!r}).'
            )
        hh["province_code"] = code
    for key, allowed in HOUSEHOLD_ENUMS.items():
        if key in household:
            if household[key] not in allowed:
                raise FactsError(
                    f"household.{key}",
                    f"Giá trị không hợp lệ: {household[key]!r}. Chọn: {', '.join(sorted(allowed))}.",
                )
            hh[key] = household[key]
    if "especially_difficult_area" in household:
        if not isinstance(household["especially_difficult_area"], bool):
            raise FactsError("household.especially_difficult_area", "Giá trị phải là true hoặc false.")
        hh["especially_difficult_area"] = household["especially_difficult_area"]
    if (
        isinstance(household.get("deprivations"), int)
        and not isinstance(household["deprivations"], bool)
        and household["deprivations"] > 12
    ):
        raise FactsError(
            "household.deprivations",
            f"Chuẩn nghèo đa chiều có 12 chỉ số thiếu hụt (Nghị định 07/2021): nhập từ 0 đến 12 (đang là {household['deprivations']}).",
        )
    for key in ("size", "income_per_person", "deprivations"):
        if key in household:
            value = household[key]
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < 0
                or (key == "size" and value < 1)
            ):
                raise FactsError(
                    f"household.{key}",
                    f"Phải là số nguyên {'dương' if key == 'size' else 'không âm'} (đang là {value!r}).",
                )
            hh["household_size" if key == "size" else key] = value

    categories = facts.get("categories")
    if categories is not None:
        if not isinstance(categories, list):
            raise FactsError("categories", 'Phải là danh sách mã đối tượng, ví dụ ["1", "6"].')
        for code in categories:
            if code not in CATEGORIES:
                raise FactsError(
                    "categories",
                    f"Mã đối tượng không tồn tại: {code!r}. Các mã hợp lệ: {', '.join(CATEGORIES)}.",
                )
            first, until = CATEGORY_MONTHS.get(code, (EARLIEST_MONTH, None))
            if month < first or (until is not None and month >= until):
                when = (
                    f"từ {first:%m/%Y}" if month < first else f"đến hết {until - dt.timedelta(days=1):%m/%Y}"
                )
                raise FactsError(
                    "categories",
                    f"Đối tượng {code!r} ({CATEGORIES[code]}) không có trong tháng {month:%m/%Y}: chỉ áp dụng {when}.",
                )
    benefits = facts.get("benefits")
    if benefits is not None:
        if not isinstance(benefits, list):
            raise FactsError("benefits", "Phải là danh sách mã chế độ.")
        for code in benefits:
            if code not in BENEFITS:
                raise FactsError(
                    "benefits", f"Mã chế độ không tồn tại: {code!r}. Các mã hợp lệ: {', '.join(BENEFITS)}."
                )
            if month < FIRST_MONTH[code]:
                raise FactsError(
                    "benefits",
                    f"Chế độ {BENEFITS[code]!r} chưa có (hoặc chưa được mã hoá) trong tháng {month:%m/%Y}; áp dụng từ {FIRST_MONTH[code]:%m/%Y}.",
                )
    for fact, benefit in FACT_BENEFIT.items():
        scope, key = fact.split(".")
        value = (person if scope == "person" else household).get(key)
        if value and value != "none" and month < FIRST_MONTH[benefit]:
            raise FactsError(
                fact,
                f"{BENEFITS[benefit]} chưa được mã hoá cho tháng {month:%m/%Y} (chỉ từ {FIRST_MONTH[benefit]:%m/%Y}); bỏ trường này hoặc chọn tháng khác.",
            )
    if (
        inputs.get("date_of_death")
        and inputs["date_of_death"].replace(day=1) == month
        and month < FIRST_MONTH["funeral_support"]
    ):
        raise FactsError(
            "person.date_of_death",
            f"Hỗ trợ mai táng chưa được mã hoá cho tháng {month:%m/%Y} (chỉ từ 07/2021).",
        )
    return inputs, hh, categories, benefits


def _simulation(system, person_inputs: dict, household_inputs: dict, month: dt.date):
    period = f"{month:%Y-%m}"
    person_data = {}
    for key, value in person_inputs.items():
        if key in ("birth_date", "date_of_death"):
            person_data[key] = {"ETERNITY": value.isoformat()}
        else:
            person_data[key] = {period: value}
    household_data = {"members": ["p"]}
    for key, value in household_inputs.items():
        household_data[key] = {period: value}
    return SimulationBuilder().build_from_entities(
        system, {"persons": {"p": person_data}, "households": {"h": household_data}}
    )


def _basis(metadata: dict) -> dict:
    return {k: str(metadata.get(k) or "") for k in ("document", "article", "clause", "point")}


def _basis_text(basis: dict) -> str:
    return format_legal_basis(basis)


def _value_metadata(parameter, month: dt.date) -> dict:
    """Metadata of the dated value of `parameter` in force in `month`."""
    chosen = None
    for value in parameter.values_list:  # newest first
        if dt.date.fromisoformat(value.instant_str) <= month:
            chosen = value
            break
    return dict(chosen.metadata) if chosen is not None else {}


def _param(system, path: str):
    node = system.parameters
    for part in path.split("."):
        node = node.children[part] if hasattr(node, "children") else getattr(node, part)
    return node


def assess(
    facts: dict, month: dt.date, province_policies: ProvincePolicies | None = None
) -> list[BenefitResult]:
    """Every benefit the person is entitled to in `month` (a date on day 1)."""
    month = month.replace(day=1)
    person_inputs, household_inputs, categories, benefits = validate_facts(facts, month)
    system = law_system(province_policies)
    sim = _simulation(system, person_inputs, household_inputs, month)
    period = f"{month:%Y-%m}"

    def value(name):
        return sim.calculate(name, period)[0]

    results: list[BenefitResult] = []
    standard = int(value("standard_level"))
    national = int(value("national_standard_level"))
    province_note = "" if standard == national else f" (mức chuẩn của tỉnh {format_number(standard)} đồng)"

    # Monthly social allowance.
    if int(value("monthly_social_allowance")) > 0:
        person = sim.persons
        values = {
            k: v[:1] for k, v in subcase_coefficients(person, _period(period), system.parameters).items()
        }
        if categories is not None:
            values = {
                k: (v if SUBCASE_BY_KEY[k].category in categories else v * 0) for k, v in values.items()
            }
        total, main_index, with_cat4 = combine(values)
        total, main_index, with_cat4 = int(total[0]), int(main_index[0]), int(with_cat4[0])
        if total > 0:
            results.append(
                _allowance_result(
                    system,
                    person_inputs,
                    month,
                    total,
                    main_index,
                    with_cat4,
                    values,
                    standard,
                    province_note,
                )
            )

    if int(value("social_pension")) > 0:
        amount = int(value("social_pension"))
        national_pension = int(system.parameters(period).levels.social_pension_level)
        meta = _value_metadata(_param(system, "levels.social_pension_level"), month)
        basis = {
            "document": "Luật Bảo hiểm xã hội 41/2024/QH15",
            "article": "21",
            "clause": "1",
            "point": "a" if _age(person_inputs["birth_date"], _month_end(month)) >= 75 else "b",
        }
        to_confirm = False
        note = f"mức {_vnd(amount)} đồng theo {_reference_text(meta.get('reference', ''))}"
        if amount != national_pension:
            policy = system.province_policies.levels(month, "social_pension_level").get(
                household_inputs.get("province_code", "")
            )
            if policy is not None:
                to_confirm = policy.to_confirm
                note = f"mức {_vnd(amount)} đồng của tỉnh theo {format_legal_basis(policy.legal_basis)}" + (
                    " — CẦN XÁC NHẬN" if policy.to_confirm else ""
                )
        who = (
            "từ đủ 75 tuổi"
            if basis["point"] == "a"
            else "từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo hoặc cận nghèo"
        )
        category = "75+" if basis["point"] == "a" else "70-74"  # ansinh.law.catalog.PENSION_CATEGORIES
        results.append(
            BenefitResult(
                "social_pension",
                BENEFITS["social_pension"],
                category,
                None,
                amount,
                "đồng/tháng",
                basis,
                f"người {who}, không có lương hưu hoặc trợ cấp BHXH hằng tháng; {note} — {_basis_text(basis)}",
                to_confirm=to_confirm,
            )
        )

    if int(value("provincial_allowance")) > 0:
        from ansinh.law.variables.provincial import policy_amounts

        best = max(
            policy_amounts(sim.persons, _period(period), system.parameters), key=lambda pair: int(pair[1][0])
        )
        policy, amounts = best
        basis = dict(policy.legal_basis)
        results.append(
            BenefitResult(
                "provincial_allowance",
                BENEFITS["provincial_allowance"],
                policy.id,
                coefficient_decimal(policy.coefficient_x100),
                int(amounts[0]),
                "đồng/tháng",
                {k: basis.get(k, "") for k in ("document", "article", "clause", "point")},
                f"hệ số {coefficient_text(policy.coefficient_x100)} vì {policy.title.lower()} ({policy.province_name}) — {format_legal_basis(basis)}"
                + (f". CẦN XÁC NHẬN: {policy.confirm_note}" if policy.to_confirm else ""),
                to_confirm=policy.to_confirm,
            )
        )

    if int(value("care_support")) > 0:
        items = care_items(sim.persons, _period(period), system.parameters)
        item = max(CARE_ITEMS, key=lambda k: int(items[k][0]))
        coefficient = int(items[item][0])
        param_key = (
            item
            if item != "disabled_parent"
            else (
                "disabled_parent_two"
                if coefficient >= 200
                and int(system.parameters(period).care_support.coefficients.disabled_parent_two)
                == coefficient
                else "disabled_parent_one"
            )
        )
        parameter = _param(system, f"care_support.coefficients.{param_key}")
        basis = _basis(_value_metadata(parameter, month))
        results.append(
            BenefitResult(
                "care_support",
                BENEFITS["care_support"],
                item,
                coefficient_decimal(coefficient),
                int(value("care_support")),
                "đồng/tháng",
                basis,
                f"hệ số {coefficient_text(coefficient)} vì {parameter.description[0].lower() + parameter.description[1:]}; chỉ hưởng mức cao nhất{province_note} — {_basis_text(basis)}",
            )
        )

    if int(value("institution_nurture")) > 0:
        coefficient = int(value("institution_nurture_coefficient"))
        key = (
            "under_4"
            if coefficient == int(system.parameters(period).institution.nurture.under_4)
            else "from_4"
        )
        parameter = _param(system, f"institution.nurture.{key}")
        basis = _basis(_value_metadata(parameter, month))
        results.append(
            BenefitResult(
                "institution_nurture",
                BENEFITS["institution_nurture"],
                key,
                coefficient_decimal(coefficient),
                int(value("institution_nurture")),
                "đồng/tháng",
                basis,
                f"hệ số {coefficient_text(coefficient)} (tối thiểu): {parameter.description.lower()}{province_note} — {_basis_text(basis)}",
            )
        )

    if int(value("funeral_support")) > 0:
        multiple = int(system.parameters(period).funeral.multiple)
        basis = _basis(_value_metadata(_param(system, "funeral.multiple"), month))
        results.append(
            BenefitResult(
                "funeral_support",
                BENEFITS["funeral_support"],
                "",
                Decimal(multiple),
                int(value("funeral_support")),
                "đồng (một lần)",
                basis,
                f"tối thiểu {multiple} lần mức chuẩn vì người chết thuộc diện hỗ trợ mai táng — {_basis_text(basis)}",
            )
        )

    for benefit, variable, path in (
        ("emergency_injured", "emergency_injured_support", "emergency.support.injured_multiple"),
        ("emergency_funeral", "emergency_funeral_support", "emergency.support.killed_multiple"),
    ):
        amount = int(value(variable))
        if amount > 0:
            parameter = _param(system, path)
            basis = _basis(_value_metadata(parameter, month))
            multiple = int(
                system.parameters(period).emergency.support.injured_multiple
                if benefit == "emergency_injured"
                else system.parameters(period).emergency.support.killed_multiple
            )
            results.append(
                BenefitResult(
                    benefit,
                    BENEFITS[benefit],
                    "",
                    Decimal(multiple),
                    amount,
                    "đồng (một lần)",
                    basis,
                    f"tối thiểu {multiple} lần mức chuẩn: {parameter.description[0].lower() + parameter.description[1:]} — {_basis_text(basis)}",
                )
            )
    housing = int(sim.calculate("emergency_housing_support", period)[0])
    if housing > 0:
        key = {
            "collapsed": "housing_collapsed",
            "relocation": "housing_relocation",
            "severe_damage": "housing_severe_damage",
        }[household_inputs["house_damage"]]
        parameter = _param(system, f"emergency.support.{key}")
        basis = _basis(_value_metadata(parameter, month))
        results.append(
            BenefitResult(
                "emergency_housing",
                BENEFITS["emergency_housing"],
                household_inputs["house_damage"],
                None,
                housing,
                "đồng/hộ (một lần)",
                basis,
                f"tối thiểu {housing:,} đồng cho hộ: ".replace(",", ".")
                + f"{parameter.description.lower()} — {_basis_text(basis)}",
            )
        )
    rice = int(sim.calculate("emergency_rice_kg", period)[0])
    if rice > 0:
        months = int(sim.calculate("emergency_rice_months", period)[0])
        basis = _basis(_value_metadata(_param(system, "emergency.support.rice_kg_per_person_month"), month))
        results.append(
            BenefitResult(
                "emergency_rice",
                BENEFITS["emergency_rice"],
                household_inputs["food_shortage"],
                None,
                rice,
                "kg gạo/tháng",
                basis,
                f"15 kg gạo mỗi người mỗi tháng, tối đa {months} tháng mỗi đợt — {_basis_text(basis)}",
                details={"months": months},
            )
        )

    if bool(value("state_paid_health_insurance")):
        basis = {"document": "Luật Bảo hiểm y tế", "article": "12", "clause": "", "point": ""}
        reason = (
            "đang hưởng trợ cấp hằng tháng hoặc nuôi dưỡng trong cơ sở"
            if any(
                r.benefit
                in (
                    "monthly_social_allowance",
                    "social_pension",
                    "institution_nurture",
                    "provincial_allowance",
                )
                for r in results
            )
            else "trẻ em dưới 6 tuổi"
        )
        results.append(
            BenefitResult(
                "health_insurance",
                BENEFITS["health_insurance"],
                "",
                None,
                0,
                "thẻ BHYT",
                basis,
                f"ngân sách nhà nước đóng bảo hiểm y tế vì {reason} — {_basis_text(basis)}",
            )
        )

    if benefits is not None:
        results = [r for r in results if r.benefit in benefits]
    return results


def _vnd(amount: int) -> str:
    return format_number(amount)


_REFERENCE_RE = re.compile(r"^(?P<document>[^,(]+), (?P<article>Điều \d+)(?P<rest>.*)$")


def _reference_text(reference: str) -> str:
    """A parameter's reference as a citation: "Nghị định 335/2026/NĐ-CP, Điều 31" →
    "Điều 31 Nghị định 335/2026/NĐ-CP" (the article first, as Vietnamese documents cite)."""
    match = _REFERENCE_RE.match(reference or "")
    if match is None:
        return reference or ""
    return f"{match['article']} {match['document'].strip()}{match['rest']}"


def _period(text: str):
    from openfisca_core.periods import period

    return period(text)


def _allowance_result(
    system, person_inputs, month, total, main_index, with_cat4, values, standard, province_note
) -> BenefitResult:
    main = SUBCASES[main_index]
    age = _age(person_inputs["birth_date"], _month_end(month))
    threshold = int(system.parameters(f"{month:%Y-%m}").monthly_allowance.ages.elderly_higher_coefficient_age)
    loss = person_inputs.get("child_support_loss", "none")
    words = {
        "orphan": getattr(ChildSupportLoss, loss).value if loss != "none" else "",
        "children": person_inputs.get("single_parent_children", 0),
        "threshold": threshold,
        "who": "trẻ em" if age < 16 else "người cao tuổi",
    }

    def part(key, coefficient_x100):
        parameter = _param(system, f"monthly_allowance.coefficients.{key}")
        meta = _value_metadata(parameter, month)
        basis = _basis(meta)
        reason = SUBCASE_BY_KEY[key].reason.format(**words)
        note = f" ({meta['note']})" if meta.get("note") and "CẦN" in meta.get("note", "") else ""
        return basis, f"hệ số {coefficient_text(coefficient_x100)} vì {reason} — {_basis_text(basis)}{note}"

    main_coefficient = int(values[main.key][0])
    basis, text = part(main.key, main_coefficient)
    category = main.category
    if with_cat4:
        _, text4 = part("c4_per_child", with_cat4)
        text = f"{text4}; cộng {text} (người đơn thân nghèo thuộc khoản 4 đồng thời thuộc khoản 5, 6 hoặc 8 được hưởng cả hai — Điều 6 khoản 2)"
        category = f"4+{main.category}"
    elif len([v for v in values.values() if int(v[0]) > 0]) > 1:
        text += "; chỉ hưởng mức cao nhất trong các đối tượng (Điều 6 khoản 2)"
    amount = (total * standard + 50) // 100
    text += f"; {coefficient_text(total)} × {_vnd(standard)} = {_vnd(amount)} đồng{province_note}"
    return BenefitResult(
        "monthly_social_allowance",
        BENEFITS["monthly_social_allowance"],
        category,
        coefficient_decimal(total),
        amount,
        "đồng/tháng",
        basis,
        text,
    )
