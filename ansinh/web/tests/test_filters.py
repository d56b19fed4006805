import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ansinh.web.templatetags import ansinh_web as f


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(1_350_000, "1.350.000 đ"), (0, "0 đ"), (540_000, "540.000 đ"), (None, ""), (-810_000, "-810.000 đ")],
)
def test_vnd(amount, shown):
    assert f.vnd(amount) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1.50"), "1,5"),
        (Decimal("2.00"), "2"),
        (Decimal("0.75"), "0,75"),
        (Decimal("10"), "10"),
        (None, ""),
    ],
)
def test_coefficient(value, shown):
    assert f.coef(value) == shown


def test_months_and_dates():
    assert f.month(dt.date(2026, 11, 1)) == "11/2026"
    assert f.month_before(dt.date(2026, 4, 1)) == "03/2026"
    assert f.month_before(dt.date(2026, 1, 1)) == "12/2025"
    assert f.dmy(dt.date(2025, 7, 1)) == "01/07/2025"
    assert f.dmy(None) == ""


def test_partial_birth_dates():
    assert f.birth(SimpleNamespace(birth_year=1950, birth_month=3, birth_day=12)) == "12/03/1950"
    assert f.birth(SimpleNamespace(birth_year=1950, birth_month=3, birth_day=None)) == "03/1950"
    assert f.birth(SimpleNamespace(birth_year=1950, birth_month=None, birth_day=None)) == "1950"


def test_benefit_and_household_labels():
    assert f.benefit_label("social_pension") == "Trợ cấp hưu trí xã hội"
    assert f.benefit_label("unknown") == "unknown"
    head = SimpleNamespace(full_name="Nguyễn Văn An")
    assert f.household_label(SimpleNamespace(code="", head=head, pk=4)) == "Hộ Nguyễn Văn An"
    assert f.household_label(SimpleNamespace(code="16681-20", head=head, pk=4)) == "Hộ 16681-20"
    assert f.household_label(SimpleNamespace(code="", head=None, pk=4)) == "Hộ chưa ghi chủ hộ (số 4)"


def test_who_did_it():
    named = SimpleNamespace(get_full_name=lambda: "Nguyễn Thị Cán Bộ", username="canbo")
    unnamed = SimpleNamespace(get_full_name=lambda: "", username="canbo")
    assert [f.user_name(u) for u in (named, unnamed, None)] == ["Nguyễn Thị Cán Bộ", "canbo", "—"]


def test_category_labels_name_care_items_in_vietnamese():
    assert f.category_label("household_carer") == (
        "Hộ gia đình trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng"
    )
    assert [f.category_label(c) for c in ("5a", "75+", "4+6", "", None)] == ["5a", "75+", "4+6", "—", "—"]


def test_a_paper_decision_shows_the_number_its_list_gave():
    def decision(number, paper):
        return SimpleNamespace(number=number, paper_number=paper)

    shown = [f.decision_number(decision(*pair)) for pair in (("5/QĐ", ""), ("", "12/QĐ-UBND"), ("", ""))]
    assert shown == ["5/QĐ", "12/QĐ-UBND", "(chưa số)"]


def test_counts_take_the_thousands_dot():
    assert [f.number(v) for v in (1_000_000, 779, 0, None, "–")] == ["1.000.000", "779", "0", "", "–"]
