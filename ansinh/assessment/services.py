"""Glue between the law package and Django: convert FactsError into InvalidInput."""

import datetime as dt

from ansinh.core.errors import InvalidInput
from ansinh.law.assess import assess
from ansinh.law.errors import FactsError


def assessment_run(*, facts: dict, month: dt.date) -> list[dict]:
    try:
        return [result.as_dict() for result in assess(facts, month)]
    except FactsError as error:
        raise InvalidInput(error.message, fields={error.field: error.message}) from None
