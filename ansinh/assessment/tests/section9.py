"""The section-9 cases of legal.md, read from the law's YAML tests and turned into assessment facts."""

import datetime as dt
from pathlib import Path

import yaml

YAML = Path(__file__).resolve().parents[2] / "law" / "tests" / "section9.yaml"
OUTPUT_TO_BENEFIT = {
    "monthly_social_allowance": "monthly_social_allowance",
    "social_pension": "social_pension",
    "care_support": "care_support",
    "funeral_support": "funeral_support",
    "institution_nurture": "institution_nurture",
    "emergency_injured_support": "emergency_injured",
    "emergency_funeral_support": "emergency_funeral",
    "emergency_housing_support": "emergency_housing",
    "emergency_rice_kg": "emergency_rice",
}


def cases():
    for test in yaml.safe_load(YAML.read_text(encoding="utf-8")):
        person = {}
        for key, value in test["input"]["persons"]["p"].items():
            person[key] = value["ETERNITY"] if isinstance(value, dict) else value
        household = {k: v for k, v in test["input"]["households"]["h"].items() if k != "members"}
        expected = {OUTPUT_TO_BENEFIT[k]: v for k, v in test["output"].items() if k in OUTPUT_TO_BENEFIT}
        if not expected:
            continue  # poverty-standard cases: no benefit to assess
        year, month = (int(x) for x in test["period"].split("-"))
        yield test["name"], {"person": person, "household": household}, dt.date(year, month, 1), expected
