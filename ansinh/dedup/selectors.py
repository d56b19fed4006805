"""Reads for the review queue pages: a pair side by side, field group by field group, with the
value the survivorship rules keep; and what a merge did."""

from __future__ import annotations

import datetime as dt

from ansinh.areas.models import Commune, Village
from ansinh.dedup.services import GROUP_LABELS, GROUPS, survivorship
from ansinh.registry.models import Sex

SEX_LABELS = dict(Sex.choices)


def _birth(values: dict) -> str:
    y, m, d = values.get("birth_year"), values.get("birth_month"), values.get("birth_day")
    if not y:
        return ""
    if d and m:
        return f"{d:02d}/{m:02d}/{y}"
    if m:
        return f"{m:02d}/{y}"
    return str(y)


def _date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def group_text(group: str, values: dict, names: dict) -> str:
    """One field group of a person (a dict of field values) as a person reads it."""
    if group == "birth":
        return _birth(values)
    if group == "sex":
        return SEX_LABELS.get(values.get("sex") or "", "")
    if group == "full_name":
        return values.get("full_name") or ""
    if group == "address":
        parts = [
            values.get("address") or "",
            names.get(("village", values.get("village_id")), ""),
            names.get(("commune", values.get("commune_id")), ""),
        ]
        return ", ".join(p for p in parts if p)
    if group == "date_of_death":
        return _date(values.get("date_of_death"))
    return " · ".join(str(values.get(f) or "") for f in GROUPS[group] if values.get(f))


def _names(*values: dict) -> dict:
    communes = {v.get("commune_id") for v in values} - {None}
    villages = {v.get("village_id") for v in values} - {None}
    names = {
        ("commune", c): n for c, n in Commune.objects.filter(code__in=communes).values_list("code", "name")
    }
    names.update(
        {("village", v): n for v, n in Village.objects.filter(pk__in=villages).values_list("pk", "name")}
    )
    return names


def _values(person) -> dict:
    return {f.attname: getattr(person, f.attname) for f in person._meta.concrete_fields}


def pair_comparison(left, right) -> list[dict]:
    """Rows {group, label, left, right, same, keep}: `keep` is "left" or "right", the side whose
    value the survivorship rules keep when `left` is kept as the main record."""
    a, b = _values(left), _values(right)
    names = _names(a, b)
    rules = survivorship(left, right)
    rows = []
    for group in GROUPS:
        lt, rt = group_text(group, a, names), group_text(group, b, names)
        rows.append(
            {
                "group": group,
                "label": GROUP_LABELS[group][:1].upper() + GROUP_LABELS[group][1:],
                "left": lt,
                "right": rt,
                "same": lt == rt,
                "keep": "left" if rules[group] == "survivor" else "right",
            }
        )
    return rows


def merge_summary(merge) -> list[dict]:
    """Rows {label, survivor, merged, chosen, result} of a merge record."""
    before = merge.before
    s, m, after = before["survivor"], before["merged"], merge.after
    names = _names(s, m, after)
    rows = []
    for group in GROUPS:
        rows.append(
            {
                "label": GROUP_LABELS[group][:1].upper() + GROUP_LABELS[group][1:],
                "survivor": group_text(group, s, names),
                "merged": group_text(group, m, names),
                "chosen": "hồ sơ bị gộp" if merge.field_choices.get(group) == "merged" else "hồ sơ giữ lại",
                "result": group_text(group, after, names),
            }
        )
    return rows
