"""The province line of an official document's heading: "UBND TỈNH NGHỆ AN", "UBND THÀNH PHỐ HÀ
NỘI", whether or not the stored name already carries its type."""

from ansinh.areas.models import Commune, DivisionType, Province
from ansinh.documents.headers import (
    commune_authority,
    commune_province_authority,
    province_authority,
    province_title,
)


def _province(name, kind=DivisionType.PROVINCE):
    return Province(code="40", name=name, division_type=kind, codename="x")


def test_a_province_gets_tinh_once():
    assert province_authority(_province("Nghệ An")) == "UBND TỈNH NGHỆ AN"
    assert province_authority(_province("Tỉnh Nghệ An")) == "UBND TỈNH NGHỆ AN"
    assert province_authority(_province("tỉnh  Nghệ An")) == "UBND TỈNH NGHỆ AN"
    assert province_title(_province("Nghệ An")) == "Tỉnh Nghệ An"


def test_a_centrally_run_city_is_thanh_pho():
    hanoi = _province("Thành phố Hà Nội", DivisionType.CENTRAL_CITY)
    assert province_authority(hanoi) == "UBND THÀNH PHỐ HÀ NỘI"
    assert province_authority(_province("Hà Nội", DivisionType.CENTRAL_CITY)) == "UBND THÀNH PHỐ HÀ NỘI"
    assert province_title(hanoi) == "Thành phố Hà Nội"


def test_no_province_no_line():
    assert province_authority(None) == ""
    assert commune_province_authority(None) == ""


def test_the_commune_issuer():
    province = _province("Nghệ An")
    commune = Commune(code="16681", name="Phường Thành Vinh", province=province)
    assert commune_authority(commune) == "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH VINH"
    assert commune_province_authority(commune) == "UBND TỈNH NGHỆ AN"
