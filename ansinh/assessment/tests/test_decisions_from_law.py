"""Decisions prepared from an assessment: the coefficient, category and legal basis come from the
law for the decision's month; nothing typed is read."""

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.assessment.services import decision_prepare_from_assessment
from ansinh.core.errors import InvalidInput
from ansinh.decisions.models import Decision
from ansinh.decisions.services import decision_sign
from ansinh.decisions.tests.factories import Office
from ansinh.registry.tests.factories import make_household

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def office(db):
    return Office("00001", province="01")


def test_a_grant_takes_coefficient_category_and_basis_from_the_law(office):
    child = office.person(full_name="Lê Thị Bé", birth_year=2023, birth_month=1, birth_day=15, sex="F")
    decision = decision_prepare_from_assessment(
        actor=office.officer,
        person=child,
        kind="grant",
        benefit="monthly_allowance",
        facts={"person": {"birth_date": "2023-01-15", "child_support_loss": "b"}},
        today=TODAY,
    )
    assert (decision.kind, decision.category, decision.coefficient) == ("grant", "1", Decimal("2.50"))
    assert decision.monthly_amount == 1_350_000  # 2,5 × 540.000
    assert decision.legal_basis == (
        "điểm a khoản 1 Điều 6 Nghị định 335/2026/NĐ-CP: hệ số 2,5 vì trẻ em dưới 4 tuổi mồ côi cả cha "
        "và mẹ; 2,5 × 540.000 = 1.350.000 đồng."
    )


def test_an_adjustment_uses_the_law_of_the_month_the_conditions_changed(office):
    """Cat. 5a at 77: 1,5 under Decree 20 (threshold 80) in June 2026, 2,0 under Decree 335
    (threshold 75) from July 2026 (legal.md §1.3, case 12)."""
    old = office.person(full_name="Trần Văn Lão", birth_year=1949, birth_month=2, birth_day=1)
    make_household(head=old, poverty={2025: "poor", 2026: "poor"})
    office.grant(old, signed_on=dt.date(2025, 9, 10), coefficient="1.5", category="5a")
    facts = {
        "person": {"birth_date": "1949-02-01", "no_supporter": True},
        "household": {"poverty_status": "poor"},
    }
    june = decision_prepare_from_assessment(
        actor=office.officer,
        person=old,
        kind="adjust",
        benefit="monthly_allowance",
        facts=facts,
        event_date=dt.date(2026, 6, 15),
        today=TODAY,
    )
    assert (june.category, june.coefficient) == ("5a", Decimal("1.50"))
    october = decision_prepare_from_assessment(
        actor=office.officer,
        person=old,
        kind="adjust",
        benefit="monthly_allowance",
        facts=facts,
        event_date=dt.date(2026, 10, 1),
        today=TODAY,
    )
    assert (october.category, october.coefficient) == ("5a", Decimal("2.00"))
    signed = decision_sign(actor=office.chairman, decision=october, number="9/QĐ-UBND", signed_on=TODAY)
    assert (signed.effective_month, signed.monthly_amount) == (dt.date(2026, 10, 1), 1_080_000)


def test_a_social_pension_grant_gets_its_category_from_the_age(office):
    person = office.person(full_name="Phạm Văn Thọ", birth_year=1950, birth_month=1, birth_day=1)
    decision = decision_prepare_from_assessment(
        actor=office.officer,
        person=person,
        kind="grant",
        benefit="social_pension",
        facts={"person": {"birth_date": "1950-01-01"}},
        today=TODAY,
    )
    assert (decision.category, decision.coefficient, decision.monthly_amount) == (
        "75+",
        Decimal("1.00"),
        540_000,
    )


def test_the_legal_basis_gives_each_citation_once_without_its_own_label(office):
    """QA W6: "Căn cứ Điều 21 khoản 1 điểm a, Luật BHXH…; mức 540.000 đồng … Điều 31 — Điều 21
    khoản 1 điểm a, Luật BHXH…" repeated the citation, and the page's own "Căn cứ" label made
    "Căn cứ Căn cứ"; the level's reference read "Nghị định 335/2026/NĐ-CP. Điều 31"."""
    person = office.person(full_name="Phạm Văn Thọ", birth_year=1950, birth_month=1, birth_day=1)
    decision = decision_prepare_from_assessment(
        actor=office.officer,
        person=person,
        kind="grant",
        benefit="social_pension",
        facts={"person": {"birth_date": "1950-01-01"}},
        today=TODAY,
    )
    assert decision.legal_basis == (
        "điểm a khoản 1 Điều 21 Luật Bảo hiểm xã hội 41/2024/QH15: người từ đủ 75 tuổi, không có lương "
        "hưu hoặc trợ cấp BHXH hằng tháng; mức 540.000 đồng theo Điều 31 Nghị định 335/2026/NĐ-CP."
    )
    assert decision.legal_basis.count("Điều 21") == 1
    assert "Căn cứ" not in decision.legal_basis


def test_a_stacked_allowance_cites_each_clause_once_in_document_order(office):
    parent = office.person(full_name="Đỗ Thị Mẹ", birth_year=1990, birth_month=3, birth_day=1, sex="F")
    make_household(head=parent, poverty={2026: "poor"})
    decision = decision_prepare_from_assessment(
        actor=office.officer,
        person=parent,
        kind="grant",
        benefit="monthly_allowance",
        facts={
            "person": {
                "birth_date": "1990-03-01",
                "single_parent": True,
                "single_parent_children": 2,
                "disability_level": "severe",
            },
            "household": {"poverty_status": "poor"},
        },
        today=TODAY,
    )
    basis = decision.legal_basis
    assert decision.category == "4+6"
    assert basis.startswith("điểm n khoản 1 Điều 6 Nghị định 335/2026/NĐ-CP: ")
    assert basis.count("điểm n khoản 1 Điều 6") == 1 and basis.count("điểm e khoản 1 Điều 6") == 1
    assert "Điều 6 khoản 1" not in basis and ", Nghị định" not in basis


def test_the_law_giving_nothing_is_refused_naming_the_benefit_and_nothing_is_written(office):
    person = office.person(full_name="Ngô Văn Khoẻ", birth_year=1980)
    with pytest.raises(InvalidInput) as error:
        decision_prepare_from_assessment(
            actor=office.officer,
            person=person,
            kind="grant",
            benefit="monthly_allowance",
            facts={"person": {"birth_date": "1980"}},
            today=TODAY,
        )
    assert "không được hưởng chế độ này trong tháng 11/2026" in error.value.fields["benefit"]
    assert not Decision.objects.exists()


def test_contradictory_facts_name_the_fact(office):
    person = office.person(full_name="Đỗ Văn Sai", birth_year=2020)
    with pytest.raises(InvalidInput) as error:
        decision_prepare_from_assessment(
            actor=office.officer,
            person=person,
            kind="grant",
            benefit="monthly_allowance",
            facts={"person": {"birth_date": "2020-01-01", "receives_pension": True}},
            today=TODAY,
        )
    assert "person.receives_pension" in error.value.fields
    assert not Decision.objects.exists()


def test_a_stop_needs_no_assessment(office):
    person = office.person(full_name="Vũ Văn Dừng", birth_year=1980)
    office.grant(person, signed_on=dt.date(2025, 9, 10), coefficient="1.5", category="6")
    decision = decision_prepare_from_assessment(
        actor=office.officer,
        person=person,
        kind="stop",
        benefit="monthly_allowance",
        facts={},
        event_date=dt.date(2026, 10, 10),
        today=TODAY,
    )
    assert (decision.kind, decision.event_date) == ("stop", dt.date(2026, 10, 10))


def test_the_start_up_reads_the_configuration_and_refuses_an_unknown_name(settings):
    from django.apps import apps

    from ansinh.law import province_policies as pp

    config = apps.get_app_config("assessment")
    settings.ANSINH_PROVINCIAL_POLICIES = ["khong_co"]
    with pytest.raises(pp.ProvincePolicyError, match="ANSINH_PROVINCIAL_POLICIES: khong_co"):
        config.ready()
    settings.ANSINH_PROVINCIAL_POLICIES = ["ha_noi"]
    config.ready()
    assert [p.id for p in pp.default_province_policies().policies] == ["ha_noi_tro_cap_huu_tri_xa_hoi_650"]
    settings.ANSINH_PROVINCIAL_POLICIES = []
    config.ready()
    assert pp.default_province_policies().policies == ()
