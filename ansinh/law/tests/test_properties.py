"""Property tests: amounts never negative; never two monthly allowances; a level change only
changes what it touches."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.law.assess import assess

people = st.fixed_dictionaries(
    {"birth_date": st.dates(dt.date(1925, 1, 1), dt.date(2021, 6, 1)).map(lambda d: d.isoformat())},
    optional={
        "child_support_loss": st.sampled_from(["none", "a", "b", "c"]),
        "disability_level": st.sampled_from(["none", "mild", "severe", "especially_severe"]),
        "has_hiv": st.booleans(),
        "no_supporter": st.booleans(),
        "single_parent": st.just(True),
        "single_parent_children": st.integers(0, 4),
    },
)
households = st.fixed_dictionaries(
    {},
    optional={
        "poverty_status": st.sampled_from(["none", "near_poor", "poor"]),
        "especially_difficult_area": st.booleans(),
        "province_code": st.sampled_from(["01", "24", "15", "79"]),
    },
)
MONTHLY = {"monthly_social_allowance", "social_pension", "provincial_allowance"}


def _facts(person, household):
    person = dict(person)
    if person["birth_date"] > "2000-01-01":  # a child cannot be a single parent (refused as contradictory)
        person.pop("single_parent", None)
        person.pop("single_parent_children", None)
    if person.get("single_parent_children") and not person.get("single_parent"):
        person["single_parent"] = True
    return {"person": person, "household": household}


@settings(max_examples=60, deadline=None)
@given(people, households, st.sampled_from([dt.date(2021, 7, 1), dt.date(2025, 7, 1), dt.date(2026, 11, 1)]))
def test_amounts_never_negative_and_one_monthly_allowance(person, household, month):
    results = assess(_facts(person, household), month)
    assert all(r.amount >= 0 for r in results)
    assert sum(1 for r in results if r.benefit in MONTHLY) <= 1


@settings(max_examples=40, deadline=None)
@given(people, st.sampled_from(["none", "near_poor", "poor"]))
def test_level_change_scales_only_the_allowance(person, poverty):
    """June → July 2024 only the standard level changed (360,000 → 500,000): each allowance amount
    is the same coefficient at the new level, and no benefit appears or disappears except by age."""
    facts = _facts(person, {"poverty_status": poverty})
    before = {r.benefit: r for r in assess(facts, dt.date(2024, 6, 1))}
    after = {r.benefit: r for r in assess(facts, dt.date(2024, 7, 1))}
    if before.get("monthly_social_allowance") and after.get("monthly_social_allowance"):
        b, a = before["monthly_social_allowance"], after["monthly_social_allowance"]
        if b.coefficient == a.coefficient:
            assert b.amount * 500000 == a.amount * 360000
