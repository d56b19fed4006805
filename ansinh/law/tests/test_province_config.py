"""Which provincial policies drive money: configuration (ANSINH_PROVINCIAL_POLICIES), with every
policy marked to_confirm left out unless a legal officer names it."""

import datetime as dt
import textwrap

import pytest

from ansinh.law import province_policies as pp
from ansinh.law.assess import assess
from ansinh.law.levels import level_periods

NOVEMBER = dt.date(2026, 11, 1)
HA_NOI_ELDER = {"person": {"birth_date": "1950-01-01"}, "household": {"province_code": "01"}}


@pytest.fixture
def configured():
    previous = pp._enabled
    yield pp.configure
    pp.configure(previous)


def _pension(facts=HA_NOI_ELDER):
    return next(r for r in assess(facts, NOVEMBER) if r.benefit == "social_pension")


def test_unconfirmed_policies_drive_no_money_by_default(configured):
    configured([])
    assert pp.default_province_policies().policies == ()
    assert {p.id for p in pp.pending_province_policies()} == {
        "bac_ninh_nguoi_cao_tuoi_60_70",
        "ha_noi_tro_cap_huu_tri_xa_hoi_650",
        "yen_bai_nguoi_cao_tuoi_75_80",
    }
    assert all(p.province_code == "" for p in level_periods())
    assert (_pension().amount, _pension().to_confirm) == (540_000, False)
    bac_ninh = {"person": {"birth_date": "1961-03-01"}, "household": {"province_code": "24"}}
    assert [r.benefit for r in assess(bac_ninh, NOVEMBER)] == []


def test_naming_a_file_is_the_legal_officers_confirmation(configured):
    configured(["ha_noi"])
    assert [p.id for p in pp.default_province_policies().policies] == ["ha_noi_tro_cap_huu_tri_xa_hoi_650"]
    assert (_pension().amount, _pension().to_confirm) == (650_000, True)
    provincial = [p for p in level_periods() if p.province_code]
    assert [(p.kind, p.province_code, p.valid_from, p.amount) for p in provincial] == [
        ("social_pension", "01", dt.date(2025, 7, 1), 650_000)
    ]
    assert "CẦN XÁC NHẬN" in provincial[0].legal_basis


def test_a_policy_can_be_named_by_its_id(configured):
    configured(["bac_ninh_nguoi_cao_tuoi_60_70"])
    bac_ninh = {"person": {"birth_date": "1961-03-01"}, "household": {"province_code": "24"}}
    assert [(r.benefit, r.amount) for r in assess(bac_ninh, NOVEMBER)] == [
        ("provincial_allowance", 270_000),
        ("health_insurance", 0),
    ]


def test_an_unknown_name_stops_the_start_up_with_a_vietnamese_message(configured):
    with pytest.raises(pp.ProvincePolicyError) as error:
        configured(["ha_nol"])
    assert error.value.path == "ANSINH_PROVINCIAL_POLICIES"
    assert error.value.field == "ha_nol"
    assert "Không có tệp chính sách tỉnh hay mã chính sách 'ha_nol'" in error.value.message
    assert "ha_noi" in error.value.message


def test_a_confirmed_policy_applies_without_being_named(tmp_path):
    (tmp_path / "da_nang.yaml").write_text(
        textwrap.dedent(
            """
            province_code: "48"
            province_name: Đà Nẵng
            policies:
              - id: da_nang_muc_chuan
                kind: standard_level
                title: Mức chuẩn trợ giúp xã hội của thành phố
                valid_from: 2026-01-01
                amount: 600000
                legal_basis: {document: Nghị quyết HĐND thành phố Đà Nẵng}
              - id: da_nang_thu
                kind: social_pension_level
                title: Thử
                valid_from: 2026-01-01
                amount: 700000
                to_confirm: true
                legal_basis: {document: Chưa có}
            """
        ),
        encoding="utf-8",
    )
    every = pp.load_province_policies(tmp_path)
    assert [p.id for p in pp.applied_policies(every, []).policies] == ["da_nang_muc_chuan"]
    assert [p.id for p in pp.applied_policies(every, ["da_nang"]).policies] == [
        "da_nang_muc_chuan",
        "da_nang_thu",
    ]
    assert [p.source_file for p in every.policies] == ["da_nang", "da_nang"]
