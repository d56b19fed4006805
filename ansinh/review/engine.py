"""The vectorised re-evaluation behind the monthly review.

Facts come from SQL in keyset chunks of entitlements (one row per open entitlement: the person's
birth and death, the household's poverty status from the latest yearly review, the latest
disability determination, pensions, wages and schooling in the month, the especially difficult
area), become numpy arrays, and go through ONE openfisca simulation per chunk, the same variables
`ansinh assess` evaluates for one person. What the signed decision's category says (an orphan,
HIV, a single parent…) comes from ansinh.law.catalog.CATEGORY_FACTS.

Then the law's coefficient and category for each entitlement's benefit are compared with the
entitlement's, and every difference is classified (numpy masks, in priority order) into a reason
with the decision it calls for and the date of the event:
  - death recorded → stop from the month after death (Decree 335/2026 Art. 8);
  - no longer eligible → stop from the month after the event: an orphan turned 16 without
    schooling (Art. 5(1),(2)), a household no longer poor or near-poor after the yearly review,
    a pension, an age limit (cat. 7 under 3; cat. 3 under 16), anything else;
  - the monthly allowance and the social pension, of which only the higher is paid (Law 41/2024
    Art. 22(3); a tie keeps the allowance, as the law's variables do) → stop the one not paid:
    both held at once (the lower is stopped), or the person now qualifies for the other at a
    higher amount (the officer then grants the other from the month this one stops);
  - still eligible at another coefficient or category → adjust from the month the conditions
    changed (Art. 8): a child turned 4 (Art. 6(1)(a)), a person reaching the elderly threshold
    (75, a law parameter), an orphan turned 16 still studying (cat. 1 → 2), any other difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from openfisca_core.periods import period as make_period
from openfisca_core.simulations import SimulationBuilder

from ansinh.law.arith import amount_x100
from ansinh.law.catalog import CATEGORY_FACTS, SUBCASES, category_parts
from ansinh.law.variables.monthly_allowance import combine, subcase_coefficients

CHUNK = 250_000
NEVER = np.datetime64("2999-12-31", "D")
EPOCH = np.datetime64("1970-01-01", "D")

BENEFIT_CODES = ("monthly_allowance", "social_pension", "care_support")
POVERTY = ("none", "near_poor", "poor")
DISABILITY = ("none", "mild", "severe", "especially_severe")
# Categories whose condition is the household's poverty status (Decree 335/2026 Art. 5; Law
# 41/2024 Art. 21(1)(b)): poor only, or poor or near-poor.
NEEDS_POOR = {"3", "5a", "5b", "8"}
NEEDS_POOR_OR_NEAR = {"4", "7", "70-74"}

# Reason codes (ansinh.review.models.ReviewReason) in the order they are tested.
REASONS = (
    "",
    "death",
    "turned_16_not_studying",
    "household_not_poor",
    "has_pension",
    "age_limit",
    "not_eligible",
    "double_benefit",
    "other_benefit_higher",
    "child_turned_4",
    "reached_elderly_age",
    "turned_16_studying",
    "amount_differs",
)
STOP_REASONS = {
    "death",
    "turned_16_not_studying",
    "household_not_poor",
    "has_pension",
    "age_limit",
    "not_eligible",
    "double_benefit",
    "other_benefit_higher",
}

FETCH_SQL = """
SELECT e.id, e.person_id, e.commune_id::int, c.province_id::int,
       CASE e.benefit WHEN 'monthly_allowance' THEN 0 WHEN 'social_pension' THEN 1 ELSE 2 END,
       round(e.coefficient * 100)::int,
       e.start_month - DATE '1970-01-01',
       p.birth_year, coalesce(p.birth_month, 1), coalesce(p.birth_day, 1),
       coalesce(p.date_of_death - DATE '1970-01-01', -1),
       CASE pov.status WHEN 'poor' THEN 2 WHEN 'near_poor' THEN 1 ELSE 0 END,
       coalesce(pov.year, 0),
       CASE dis.level WHEN 'especially_severe' THEN 3 WHEN 'severe' THEN 2 WHEN 'mild' THEN 1 ELSE 0 END,
       coalesce(inc.pension, false)::int, coalesce(inc.wage, false)::int,
       coalesce(sch.studying, false)::int, coalesce(sch.ended - DATE '1970-01-01', -1),
       (coalesce(v.is_especially_difficult, false) OR c.is_especially_difficult)::int,
       -- The coefficient × 100 of the other of allowance and social pension held the same month, or -1.
       coalesce((SELECT round(o.coefficient * 100)::int FROM decisions_entitlement o
                  WHERE o.person_id = e.person_id AND o.id <> e.id
                    AND o.benefit = CASE e.benefit WHEN 'monthly_allowance' THEN 'social_pension'
                                                   WHEN 'social_pension' THEN 'monthly_allowance' END
                    AND o.start_month <= %(month)s AND (o.end_month IS NULL OR o.end_month > %(month)s)
                  ORDER BY o.id LIMIT 1), -1),
       e.category
FROM decisions_entitlement e
JOIN registry_person p ON p.id = e.person_id
JOIN areas_commune c ON c.code = e.commune_id
LEFT JOIN areas_village v ON v.id = p.village_id
LEFT JOIN LATERAL (
    SELECT hp.status, hp.year FROM registry_householdmember m
    JOIN registry_householdpoverty hp ON hp.household_id = m.household_id
    WHERE m.person_id = e.person_id AND m.valid_to IS NULL AND hp.year <= %(year)s
    ORDER BY hp.year DESC LIMIT 1
) pov ON true
LEFT JOIN LATERAL (
    SELECT d.level FROM registry_disabilitydetermination d
    WHERE d.person_id = e.person_id AND d.determined_on <= %(month_end)s
    ORDER BY d.determined_on DESC, d.id DESC LIMIT 1
) dis ON true
LEFT JOIN LATERAL (
    SELECT bool_or(i.kind IN ('pension', 'social_insurance')) AS pension, bool_or(i.kind = 'wage') AS wage
    FROM registry_incomestatus i
    WHERE i.person_id = e.person_id AND i.valid_from <= %(month_end)s
      AND (i.valid_to IS NULL OR i.valid_to >= %(month)s)
) inc ON true
LEFT JOIN LATERAL (
    SELECT bool_or(s.valid_from <= %(month_end)s AND (s.valid_to IS NULL OR s.valid_to >= %(month)s)) AS studying,
           max(s.valid_to) FILTER (WHERE s.valid_to < %(month)s) AS ended
    FROM registry_schoolingstatus s WHERE s.person_id = e.person_id
) sch ON true
WHERE e.start_month <= %(month)s AND (e.end_month IS NULL OR e.end_month > %(month)s)
  AND e.id > %(after)s {area}
ORDER BY e.id
LIMIT %(limit)s
"""

INT_COLUMNS = (
    "entitlement",
    "person",
    "commune",
    "province",
    "benefit",
    "coefficient",
    "start",
    "birth_year",
    "birth_month",
    "birth_day",
    "death",
    "poverty",
    "poverty_year",
    "disability",
    "pension",
    "wage",
    "studying",
    "school_ended",
    "difficult",
    "other_coefficient",
)


def area_filter(area_code: str) -> tuple[str, dict]:
    """SQL condition for an area: "" the country, 2 digits a province, 5 digits a commune."""
    if not area_code:
        return "", {}
    if len(area_code) == 2:
        return "AND c.province_id = %(area)s", {"area": area_code}
    return "AND e.commune_id = %(area)s", {"area": area_code}


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def fetch_chunk(cursor, *, month: dt.date, area_code: str, after: int, limit: int = CHUNK) -> dict | None:
    """The next chunk of open entitlements after id `after` as column arrays, or None at the end."""
    condition, params = area_filter(area_code)
    cursor.execute(
        FETCH_SQL.format(area=condition),
        {
            "month": month,
            "month_end": month_end(month),
            "year": month.year,
            "after": after,
            "limit": limit,
            **params,
        },
    )
    rows = cursor.fetchall()
    if not rows:
        return None
    columns = list(zip(*rows, strict=True))
    data = {name: np.array(columns[i], dtype=np.int64) for i, name in enumerate(INT_COLUMNS)}
    data["category"] = np.array(columns[len(INT_COLUMNS)], dtype=object)
    return data


def _days(values: np.ndarray) -> np.ndarray:
    return EPOCH + values.astype("timedelta64[D]")


def birth_dates(data: dict) -> np.ndarray:
    months = (data["birth_year"] - 1970) * 12 + data["birth_month"] - 1
    return months.astype("datetime64[M]").astype("datetime64[D]") + (data["birth_day"] - 1).astype(
        "timedelta64[D]"
    )


def birthday(birth: np.ndarray, years: int) -> np.ndarray:
    """The day a person born on `birth` turns `years` (đủ … tuổi)."""
    month = birth.astype("datetime64[M]")
    day = (birth - month.astype("datetime64[D]")).astype(np.int64)
    return (month + 12 * years).astype("datetime64[D]") + day.astype("timedelta64[D]")


@dataclass
class Evaluation:
    """The law's answer per row, beside the entitlement's own values."""

    age: np.ndarray
    law_coefficient: np.ndarray  # ×100
    law_category: np.ndarray  # object (str)
    law_amount: np.ndarray
    current_amount: np.ndarray
    reason: np.ndarray  # index into REASONS (0: nothing to do)
    event: np.ndarray  # datetime64[D], NaT when unknown


def _category_flags(categories: np.ndarray) -> dict[str, np.ndarray]:
    """Per row: which category parts it has, and the facts CATEGORY_FACTS derives from them."""
    uniques, inverse = np.unique(categories.astype(str), return_inverse=True)
    parts = [set(category_parts(u)) for u in uniques]
    flags: dict[str, np.ndarray] = {}
    for code in set(CATEGORY_FACTS) | {"75+", "70-74"}:
        flags[f"cat:{code}"] = np.array([code in p for p in parts], dtype=bool)[inverse]
    facts: dict[str, list] = {}
    for i, p in enumerate(parts):
        for code in p:
            for key, value in CATEGORY_FACTS.get(code, {}).items():
                facts.setdefault(key, [None] * len(uniques))[i] = value
    for key, values in facts.items():
        flags[key] = np.array(values, dtype=object)[inverse]
    flags["stacked"] = np.array(["+" in u for u in uniques], dtype=bool)[inverse]
    return flags


def evaluate(system, data: dict, month: dt.date) -> Evaluation:
    """Run the law over every row of the chunk at once and classify the differences."""
    n = len(data["entitlement"])
    period_text = f"{month:%Y-%m}"
    period = make_period(period_text)
    sim = SimulationBuilder().build_default_simulation(system, n)
    birth = birth_dates(data)
    death = np.where(data["death"] >= 0, _days(data["death"]), NEVER)
    flags = _category_flags(data["category"])
    benefit = data["benefit"]
    coefficient = data["coefficient"]

    def fact(key):
        values = flags.get(key)
        return np.zeros(n, dtype=bool) if values is None else np.array([bool(v) for v in values], dtype=bool)

    sim.set_input("birth_date", "ETERNITY", birth)
    sim.set_input("date_of_death", "ETERNITY", death)
    loss = flags.get("child_support_loss")
    loss = np.full(n, "none", dtype=object) if loss is None else np.where(loss == None, "none", loss)  # noqa: E711
    sim.set_input("child_support_loss", period_text, loss.astype(str))
    for key in (
        "was_child_beneficiary",
        "has_hiv",
        "single_parent",
        "no_supporter",
        "institution_eligible_in_community",
    ):
        sim.set_input(key, period_text, fact(key))
    # Cat. 4: the children raised are not in the registry; the coefficient (1.0 per child) says how
    # many. Stacked with 5, 6 or 8 ("4+6") one child is assumed (docs/law.md, monthly review).
    children = np.where(flags["cat:4"], np.where(flags["stacked"], 1, np.maximum(coefficient // 100, 1)), 0)
    sim.set_input("single_parent_children", period_text, children)
    # Care support: the persons cared for are not in the registry either; the coefficient (1.0
    # per person, Decree 335/2026 Art. 17) says how many.
    care = benefit == 2
    sim.set_input(
        "cared_especially_severe_disabled", period_text, np.where(care, np.maximum(coefficient // 100, 1), 0)
    )
    sim.set_input(
        "disability_level", period_text, np.array(DISABILITY, dtype=object)[data["disability"]].astype(str)
    )
    sim.set_input("receives_pension", period_text, data["pension"] == 1)
    sim.set_input("has_wage", period_text, data["wage"] == 1)
    sim.set_input("studying", period_text, data["studying"] == 1)
    sim.set_input("poverty_status", period_text, np.array(POVERTY, dtype=object)[data["poverty"]].astype(str))
    sim.set_input("province_code", period_text, np.char.zfill(data["province"].astype(str), 2))
    sim.set_input("especially_difficult_area", period_text, data["difficult"] == 1)

    age = sim.calculate("age", period_text).astype(np.int64)
    standard = sim.calculate("standard_level", period_text).astype(np.int64)
    pension_level = sim.calculate("social_pension_level", period_text).astype(np.int64)

    # Monthly allowance: the coefficient after Art. 6(2) and its main category.
    values = subcase_coefficients(sim.persons, period, system.parameters)
    total, main_index, with_cat4 = combine(values)
    names = np.array([s.category for s in SUBCASES] + [""], dtype=object)
    allowance_category = names[np.where(main_index >= 0, main_index, len(SUBCASES))]
    allowance_category = np.where(with_cat4 > 0, "4+" + allowance_category.astype(str), allowance_category)

    # Social pension: 1.0 × its level when eligible (Law 41/2024 Art. 21–22).
    ages = system.parameters(period_text).social_pension.ages if month >= dt.date(2025, 7, 1) else None
    pension_ok = sim.calculate("social_pension_entitled", period_text) > 0
    pension_category = np.where(age >= (ages.age if ages else 75), "75+", "70-74").astype(object)

    care_coefficient = sim.calculate("care_support_coefficient", period_text).astype(np.int64)

    law_coefficient = np.select(
        [benefit == 0, benefit == 1], [total, np.where(pension_ok, 100, 0)], care_coefficient
    ).astype(np.int64)
    law_category = np.select(
        [benefit == 0, benefit == 1],
        [allowance_category, np.where(pension_ok, pension_category, "")],
        data["category"],
    ).astype(object)
    level = np.where(benefit == 1, pension_level, standard)
    current_amount = amount_x100(coefficient, level)

    # Allowance or social pension, only the higher is paid (a tie keeps the allowance, as
    # ansinh.law.variables.monthly_allowance.monthly_social_allowance does).
    allowance_amount = sim.calculate("social_allowance_entitled", period_text).astype(np.int64)
    pension_amount = sim.calculate("social_pension_entitled", period_text).astype(np.int64)
    other_higher = ((benefit == 0) & (pension_amount > allowance_amount)) | (
        (benefit == 1) & (allowance_amount > 0) & (allowance_amount >= pension_amount)
    )
    # Both held: the one paying less is stopped (on a tie, the social pension).
    other = data["other_coefficient"]
    other_amount = amount_x100(np.maximum(other, 0), np.where(benefit == 0, pension_level, standard))
    double_lower = (other >= 0) & (
        (current_amount < other_amount) | ((current_amount == other_amount) & (benefit == 1))
    )

    reason, event = classify(
        system,
        data,
        month,
        age,
        birth,
        death,
        law_coefficient,
        law_category,
        flags,
        double_lower,
        # Both held: only the held amounts decide (the same comparison on both rows, so exactly one
        # is stopped); the law's amounts could otherwise flag the other row too.
        other_higher & (other < 0),
    )
    # The benefit to stop is not paid by the law this month.
    not_paid = np.isin(reason, [REASONS.index("double_benefit"), REASONS.index("other_benefit_higher")])
    law_coefficient = np.where(not_paid, 0, law_coefficient)
    law_category = np.where(not_paid, "", law_category).astype(object)
    law_amount = amount_x100(law_coefficient, level)
    return Evaluation(age, law_coefficient, law_category, law_amount, current_amount, reason, event)


def classify(
    system, data, month, age, birth, death, law_coefficient, law_category, flags, double_lower, other_higher
):
    n = len(age)
    period_text = f"{month:%Y-%m}"
    ma = system.parameters(period_text).monthly_allowance.ages
    end = np.datetime64(month_end(month), "D")
    benefit = data["benefit"]
    coefficient = data["coefficient"]
    category = data["category"].astype(str)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")

    dead = death <= end
    eligible = law_coefficient > 0
    # Care support categories name the item differently from the law's; compare the coefficient.
    category_differs = (benefit != 2) & (law_category.astype(str) != category)
    differs = eligible & ((law_coefficient != coefficient) | category_differs)

    orphan = flags["cat:1"] | flags["cat:2"]
    child_limit = int(ma.child_age_limit)
    not_studying = orphan & (age >= child_limit) & (data["studying"] == 0)
    poverty = data["poverty"]
    needs_poor = np.logical_or.reduce([flags[f"cat:{c}"] for c in NEEDS_POOR])
    needs_near = np.logical_or.reduce([flags[f"cat:{c}"] for c in NEEDS_POOR_OR_NEAR])
    not_poor = (needs_poor & (poverty < 2)) | (needs_near & (poverty < 1))
    has_pension = (data["pension"] == 1) & ((benefit == 1) | flags["cat:8"])
    age_limit = (flags["cat:7"] & (age >= int(ma.cat7_age_limit))) | (flags["cat:3"] & (age >= child_limit))
    young = int(ma.young_child_age)
    turned_4 = (flags["cat:1"] | flags["cat:3"]) & (age >= young) & (law_coefficient < coefficient)
    threshold = int(ma.elderly_higher_coefficient_age)
    reached_elderly = (age >= threshold) & (flags["cat:5a"] | flags["cat:70-74"])
    turned_16_studying = flags["cat:1"] & (age >= child_limit) & (law_category.astype(str) == "2")

    conditions = [
        dead,
        ~eligible & not_studying,
        ~eligible & not_poor,
        ~eligible & has_pension,
        ~eligible & age_limit,
        ~eligible,
        double_lower,
        other_higher,
        differs & turned_4,
        differs & reached_elderly,
        differs & turned_16_studying,
        differs,
    ]
    reason = np.select(conditions, np.arange(1, len(REASONS)), 0)

    school_ended = np.where(data["school_ended"] >= 0, _days(data["school_ended"]), nat)
    # 31 December before the year whose review removed the status: stop from January.
    poverty_change = np.where(
        data["poverty_year"] > 0,
        (
            (data["poverty_year"] - 1970).astype("datetime64[Y]").astype("datetime64[D]")
            - np.timedelta64(1, "D")
        ),
        nat,
    )
    cat7_birthday = birthday(birth, int(ma.cat7_age_limit))
    sixteen = birthday(birth, child_limit)
    events = [
        death,
        np.where(flags["cat:1"], sixteen, school_ended),
        poverty_change,
        nat,
        np.where(flags["cat:7"], cat7_birthday, sixteen),
        nat,
        nat,
        nat,
        birthday(birth, young),
        birthday(birth, threshold),
        sixteen,
        nat,
    ]
    event = np.select(conditions, events, nat).astype("datetime64[D]")
    return reason, event
