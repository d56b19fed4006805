"""Legal deadlines of each form as dated parameters, counted in working days
(ansinh.core.workdays). A dossier's deadline is fixed on receipt from the row in force on the
day it was received (Decree 335/2026 Art. 33: dossiers received before 5 Oct 2026 continue
under the earlier procedure)."""

import datetime as dt
from dataclasses import dataclass

from ansinh.core.workdays import add_working_days
from ansinh.dossiers.models import Form

DECREE_335_START = dt.date(2026, 10, 5)


@dataclass(frozen=True)
class Deadline:
    form: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive
    days: int
    basis: str
    # Working days of each step when the procedure has several (Form 04: commune, facility).
    steps: tuple[int, ...] = ()


DEADLINES = [
    # Decree 147/2025 (1 Jul 2025 – 4 Oct 2026): the commune chairman decides within 10 wd.
    Deadline(
        Form.FORM_01, dt.date(2025, 7, 1), DECREE_335_START, 10, "Nghị định 147/2025/NĐ-CP: 10 ngày làm việc"
    ),
    Deadline(
        Form.FORM_02, dt.date(2025, 7, 1), DECREE_335_START, 10, "Nghị định 147/2025/NĐ-CP: 10 ngày làm việc"
    ),
    # Decree 335/2026 Art. 8: 7 wd.
    Deadline(Form.FORM_01, DECREE_335_START, None, 7, "Điều 8 Nghị định 335/2026/NĐ-CP: 7 ngày làm việc"),
    Deadline(Form.FORM_02, DECREE_335_START, None, 7, "Điều 8 Nghị định 335/2026/NĐ-CP: 7 ngày làm việc"),
    # Decree 335/2026 Art. 11: funeral support within 3 wd.
    Deadline(Form.FORM_03, dt.date(2025, 7, 1), None, 3, "Điều 11 Nghị định 335/2026/NĐ-CP: 3 ngày làm việc"),
    # Decree 335/2026 Art. 25: the commune 3 wd, then the facility head 2 wd.
    Deadline(
        Form.FORM_04,
        dt.date(2025, 7, 1),
        None,
        5,
        "Nghị định 335/2026/NĐ-CP: xã 3 ngày làm việc + cơ sở trợ giúp xã hội 2 ngày làm việc",
        steps=(3, 2),
    ),
]


def deadline_rule(form: str, received_on: dt.date) -> Deadline:
    for rule in DEADLINES:
        if (
            rule.form == form
            and rule.valid_from <= received_on
            and (rule.valid_to is None or received_on < rule.valid_to)
        ):
            return rule
    raise LookupError(f"no deadline for form {form} on {received_on}")


def deadline_for(
    form: str, received_on: dt.date, province_code: str | None = None
) -> tuple[dt.date, Deadline]:
    rule = deadline_rule(form, received_on)
    return add_working_days(received_on, rule.days, province_code), rule


def step_deadline(
    form: str, received_on: dt.date, step: int, start: dt.date, province_code: str | None = None
):
    """The deadline of step `step` (0: the commune, 1: the facility) counted from `start`; None
    when the form has a single step."""
    rule = deadline_rule(form, received_on)
    if len(rule.steps) <= step:
        return None
    return add_working_days(start, rule.steps[step], province_code)
