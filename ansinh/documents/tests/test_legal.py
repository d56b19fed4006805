"""Legal wording of official documents (QA W6): who a decision is for, by benefit and category
code; citations in document order; amounts in "đồng"."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ansinh.documents.legal import amount_words, category_text, citation, decision_terms
from ansinh.documents.render import pdf_render
from ansinh.documents.testing import pdf_text


def _decision(benefit, category, coefficient=None, one_off_amount=None):
    return SimpleNamespace(
        benefit=benefit, category=category, coefficient=coefficient, one_off_amount=one_off_amount
    )


@pytest.mark.parametrize(
    "benefit,category,expected",
    [
        ("monthly_allowance", "1", "đối tượng quy định tại khoản 1 Điều 5 Nghị định 335/2026/NĐ-CP"),
        ("monthly_allowance", "5a", "đối tượng quy định tại điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP"),
        (
            "monthly_allowance",
            "4+6",
            "đối tượng quy định tại khoản 4 và khoản 6 Điều 5 Nghị định 335/2026/NĐ-CP",
        ),
        (
            "monthly_allowance",
            "5c_nd20",
            "đối tượng quy định tại điểm c khoản 5 Điều 5 Nghị định 20/2021/NĐ-CP",
        ),
        (
            "social_pension",
            "75+",
            "đối tượng hưởng trợ cấp hưu trí xã hội (người từ đủ 75 tuổi) theo điểm a khoản 1 Điều 21 "
            "Luật Bảo hiểm xã hội năm 2024",
        ),
        (
            "social_pension",
            "70-74",
            "đối tượng hưởng trợ cấp hưu trí xã hội (người từ đủ 70 tuổi đến dưới 75 tuổi thuộc hộ nghèo, "
            "hộ cận nghèo) theo điểm b khoản 1 Điều 21 Luật Bảo hiểm xã hội năm 2024",
        ),
        (
            "care_support",
            "household_direct_care",
            "đối tượng hưởng hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng (hộ gia đình trực tiếp chăm "
            "sóc, nuôi dưỡng người khuyết tật đặc biệt nặng) theo điểm c khoản 1 Điều 17 Nghị định "
            "335/2026/NĐ-CP",
        ),
        ("funeral_support", "", ""),
    ],
)
def test_the_category_is_written_per_benefit(benefit, category, expected):
    assert category_text(benefit, category) == expected


def test_the_social_pension_is_never_a_clause_of_article_5():
    """The PDF read "đối tượng khoản 75+ Điều 5, hệ số 1,00"."""
    text = decision_terms(_decision("social_pension", "75+", Decimal("1.00")))
    assert "Điều 5" not in text and "khoản 75+" not in text and "hệ số" not in text
    assert "Điều 21 Luật Bảo hiểm xã hội năm 2024" in text


def test_an_allowance_keeps_its_coefficient_in_vietnamese_writing():
    assert decision_terms(_decision("monthly_allowance", "5a", Decimal("1.50"))) == (
        "đối tượng quy định tại điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP, hệ số 1,5"
    )
    assert decision_terms(_decision("monthly_allowance", "1", Decimal("2.00"))).endswith(", hệ số 2")


def test_citations_and_amounts_in_document_style():
    basis = {"document": "Nghị định 335/2026/NĐ-CP", "article": "6", "clause": "1", "point": "a"}
    assert citation(basis) == "điểm a khoản 1 Điều 6 Nghị định 335/2026/NĐ-CP"
    assert citation({"document": "Luật Bảo hiểm y tế", "article": "12"}) == "Điều 12 Luật Bảo hiểm y tế"
    assert amount_words(540_000) == "540.000 đồng"
    assert amount_words(1_350_000, monthly=True) == "1.350.000 đồng/tháng"
    assert amount_words(None) == ""


def test_the_filters_write_the_decision_in_a_pdf(tmp_path, settings):
    template = tmp_path / "sample" / "decision.html"
    template.parent.mkdir()
    template.write_text(
        '{% extends "documents/official_base.html" %}{% load documents %}{% block body %}'
        "<p>Điều 1. Trợ cấp hưu trí xã hội cho ông Phạm Văn Thọ, {{ decision|decision_terms }}.</p>"
        "<p>Mức hưởng: {{ amount|dong_per_month }}.</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.ANSINH_DOCUMENT_TEMPLATES = str(tmp_path)
    doc = {"title": "Quyết định", "date": dt.date(2026, 11, 23), "number": "1/QĐ-UBND"}
    pdf = pdf_render(
        "sample/decision.html",
        {"doc": doc, "decision": _decision("social_pension", "75+", Decimal("1.00")), "amount": 540_000},
    )
    text = " ".join(pdf_text(pdf).split())
    assert "đối tượng hưởng trợ cấp hưu trí xã hội (người từ đủ 75 tuổi)" in text
    assert "Mức hưởng: 540.000 đồng/tháng." in text
    assert "khoản 75+" not in text and "540.000 đ/" not in text
