"""The support due, by the law for the event's date, for every support type on both sides of
1 July 2026 (standard level 500,000 → 540,000, Decree 335/2026 Art. 4 and 12), through the real
services: event → affected household → proposal lines."""

import datetime as dt

import pytest

from ansinh.relief.models import LineKind
from ansinh.relief.services import event_create, support_propose
from ansinh.relief.tests.scenario import injured, killed, register

BEFORE = dt.date(2026, 6, 20)  # Decree 20/2021 as amended by Decree 76/2024: 500,000
AFTER = dt.date(2026, 7, 5)  # Decree 335/2026: 540,000 from 1 July 2026


def _event(w, occurred_on, kind="disaster"):
    return event_create(
        actor=w.officer_a,
        kind=kind,
        name=f"Đợt {occurred_on}",
        occurred_on=occurred_on,
        communes=[w.commune_a],
    )


def _lines(w, event, **fields):
    affected, _ = register(w, event=event, **fields)
    (support,) = support_propose(actor=w.officer_a, event=event, affected_ids=[affected.pk])
    return support, {
        (line.kind, line.explanation.split(":")[0]): line.quantity for line in support.lines.all()
    }


@pytest.mark.parametrize(
    ("day", "injured_amount", "funeral_amount"),
    [
        (BEFORE, 5_000_000, 25_000_000),
        (AFTER, 5_400_000, 27_000_000),
        (dt.date(2022, 3, 1), 3_600_000, 18_000_000),
    ],
)
def test_injured_is_10_and_killed_50_times_the_standard_level_of_the_event_month(
    w, day, injured_amount, funeral_amount
):
    event = _event(w, day)
    support, lines = _lines(w, event, size=3, persons=[injured("Lê Văn Tư", 3), killed("Lê Thị Năm")])
    assert lines == {
        (LineKind.INJURED, "Lê Văn Tư"): injured_amount,
        (LineKind.FUNERAL, "Lê Thị Năm"): funeral_amount,
    }
    assert support.cash_amount == injured_amount + funeral_amount
    assert support.rice_kg == 0
    assert support.law_month == day.replace(day=1)


def test_injured_for_fewer_than_3_days_of_treatment_gets_nothing(w):
    event = _event(w, AFTER)
    affected, _ = register(w, event=event, size=2, persons=[injured("Lê Văn Tư", 2)])
    assert support_propose(actor=w.officer_a, event=event) == []


@pytest.mark.parametrize("day", [BEFORE, AFTER])
@pytest.mark.parametrize(
    ("damage", "amount"),
    [("collapsed", 40_000_000), ("relocation", 30_000_000), ("severe_damage", 20_000_000)],
)
def test_housing_is_40_30_20_million_per_household_on_both_sides(w, day, damage, amount):
    event = _event(w, day)
    support, lines = _lines(w, event, size=5, house_damage=damage)
    assert list(lines.values()) == [amount]
    assert support.cash_amount == amount


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_rice_is_15_kg_per_person_per_month_3_months_after_a_disaster_1_at_tet(w, day):
    disaster = _event(w, day)
    support, _ = _lines(w, disaster, size=4, food_shortage=True)
    assert support.rice_kg == 15 * 4 * 3 == 180
    tet = _event(w, day, kind="tet")
    assert tet.rice_months == 1
    support, _ = _lines(w, tet, size=4, food_shortage=True, head_name="Đỗ Văn Hai")
    assert support.rice_kg == 15 * 4 * 1 == 60


def test_a_round_may_give_fewer_rice_months_but_never_more_than_the_law(w):
    event = event_create(
        actor=w.officer_a,
        kind="lean_season",
        name="Giáp hạt",
        occurred_on=AFTER,
        communes=[w.commune_a],
        rice_months=2,
    )
    support, _ = _lines(w, event, size=3, food_shortage=True)
    assert support.rice_kg == 15 * 3 * 2
    from ansinh.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        event_create(
            actor=w.officer_a,
            kind="tet",
            name="Tết",
            occurred_on=AFTER,
            communes=[w.commune_a],
            rice_months=2,
        )
    assert "rice_months" in error.value.fields


def test_a_household_that_loses_its_house_and_has_an_injured_member_gets_both(w):
    event = _event(w, AFTER)
    support, lines = _lines(
        w, event, size=4, house_damage="collapsed", food_shortage=True, persons=[injured("Lê Văn Tư", 7)]
    )
    assert lines == {
        (LineKind.RICE, "15 kg × 4 người × 3 tháng = 180 kg"): 180,
        (LineKind.HOUSING, "Nhà bị đổ, sập, trôi, cháy hoàn toàn, không còn nơi ở"): 40_000_000,
        (LineKind.INJURED, "Lê Văn Tư"): 5_400_000,
    }
    assert (support.cash_amount, support.rice_kg) == (45_400_000, 180)
    # 5 July 2026: Decree 20 still in force, at the 540,000 level Decree 335 back-dates.
    assert {line.legal_basis for line in support.lines.all()} == {
        "Nghị định 20/2021/NĐ-CP (sửa đổi, bổ sung), Chương III: " + support_name + "; mức chuẩn 540.000 đ "
        "theo Nghị định 335/2026/NĐ-CP (áp dụng từ 01/07/2026)"
        for support_name in ("hỗ trợ lương thực", "hỗ trợ người bị thương nặng", "hỗ trợ nhà ở")
    }


def test_support_from_decree_335_entry_into_force_cites_its_article_12(w):
    event = _event(w, dt.date(2026, 10, 5))
    support, _ = _lines(
        w, event, size=4, house_damage="collapsed", food_shortage=True, persons=[injured("Lê Văn Tư", 7)]
    )
    assert {line.legal_basis for line in support.lines.all()} == {
        "Nghị định 335/2026/NĐ-CP, Điều 12 khoản 1",
        "Nghị định 335/2026/NĐ-CP, Điều 12 khoản 2",
        "Nghị định 335/2026/NĐ-CP, Điều 12 khoản 4",
    }


def test_an_event_before_emergency_support_was_encoded_is_refused(w):
    from ansinh.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        _event(w, dt.date(2021, 6, 30))
    assert "occurred_on" in error.value.fields
