import gzip
import re

import pytest
from django.db.models import F
from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward as PackageWard

from ansinh.areas.loading import LEGACY_SUCCESSIONS_FILE, areas_load
from ansinh.areas.models import (
    Commune,
    CommuneSuccession,
    DivisionType,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

PACKAGE_COMMUNES = sum(1 for _ in PackageWard.iter_all())


def test_the_package_has_34_provinces_and_3321_communes():
    assert sum(1 for _ in PackageProvince.iter_all()) == 34
    assert PACKAGE_COMMUNES == 3321


def test_load_counts(areas_loaded):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == PACKAGE_COMMUNES
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyCommune.objects.count() == 10035
    with gzip.open(LEGACY_SUCCESSIONS_FILE, "rt", encoding="utf-8") as fh:
        commune_rows = sum(1 for line in fh if not line.startswith(",")) - 1  # header; 5 island districts
    assert CommuneSuccession.objects.count() == commune_rows == 10597


def test_a_second_run_is_idempotent_and_keeps_flags(areas_loaded):
    Commune.objects.filter(code="00070").update(is_especially_difficult=True)
    before = list(Commune.objects.order_by("code").values_list("code", "name", "province_id", "name_folded"))
    summary = areas_load()
    assert (summary.provinces, summary.communes, summary.legacy_communes, summary.successions) == (
        34,
        PACKAGE_COMMUNES,
        10035,
        10597,
    )
    assert (
        list(Commune.objects.order_by("code").values_list("code", "name", "province_id", "name_folded"))
        == before
    )
    assert Commune.objects.get(code="00070").is_especially_difficult is True


def test_a_stale_succession_row_is_removed_by_a_reload(areas_loaded):
    CommuneSuccession.objects.create(
        legacy_commune_id="00001", commune_id="00070", is_whole=False, source="test"
    )
    areas_load()
    assert list(
        CommuneSuccession.objects.filter(legacy_commune_id="00001").values_list("commune_id", "is_whole")
    ) == [("00097", True)]


def test_code_formats(areas_loaded):
    assert all(re.fullmatch(r"\d{2}", c) for c in Province.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{5}", c) for c in Commune.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{2}", c) for c in LegacyProvince.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{3}", c) for c in LegacyDistrict.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{5}", c) for c in LegacyCommune.objects.values_list("code", flat=True))


def test_unit_fields(areas_loaded):
    hanoi = Province.objects.get(code="01")
    assert (hanoi.name, hanoi.division_type, hanoi.codename) == (
        "Thành phố Hà Nội",
        DivisionType.CENTRAL_CITY,
        "ha_noi",
    )
    assert Province.objects.get(code="04").division_type == DivisionType.PROVINCE
    hoan_kiem = Commune.objects.get(code="00070")
    assert (
        hoan_kiem.name,
        hoan_kiem.division_type,
        hoan_kiem.codename,
        hoan_kiem.name_folded,
        hoan_kiem.province_id,
    ) == (
        "Phường Hoàn Kiếm",
        DivisionType.WARD,
        "phuong_hoan_kiem",
        "phuong hoan kiem",
        "01",
    )
    assert Commune.objects.get(code="11948").division_type == DivisionType.SPECIAL_ZONE
    assert Commune.objects.filter(division_type=DivisionType.SPECIAL_ZONE).count() == 13
    # The package writes one name with a double space; we keep single spaces.
    assert not Commune.objects.filter(name__contains="  ").exists()


@pytest.mark.parametrize(
    ("legacy", "successor"),
    [
        ("01", "01"),  # Hà Nội unchanged
        ("02", "08"),  # Hà Giang → Tuyên Quang
        ("17", "25"),  # Hòa Bình → Phú Thọ
        ("26", "25"),  # Vĩnh Phúc → Phú Thọ
        ("44", "44"),  # Quảng Bình → Quảng Trị (code 44)
        ("45", "44"),  # Quảng Trị (old code 45) → Quảng Trị
        ("64", "52"),  # Gia Lai (old code 64) → Gia Lai (code 52)
        ("74", "79"),  # Bình Dương → Thành phố Hồ Chí Minh
        ("77", "79"),  # Bà Rịa - Vũng Tàu → Thành phố Hồ Chí Minh
        ("95", "96"),  # Bạc Liêu → Cà Mau
    ],
)
def test_legacy_province_successor(areas_loaded, legacy, successor):
    # Resolution 202/2025/QH15 Art. 1
    assert LegacyProvince.objects.get(code=legacy).successor_id == successor


def test_every_new_province_has_its_predecessors(areas_loaded):
    counts = {p.code: p.predecessors.count() for p in Province.objects.all()}
    assert sum(counts.values()) == 63
    assert sorted(code for code, n in counts.items() if n == 1) == [
        "01",
        "04",
        "11",
        "12",
        "14",
        "20",
        "22",
        "38",
        "40",
        "42",
        "46",
    ]
    assert counts["37"] == 3 and counts["68"] == 3 and counts["79"] == 3 and counts["92"] == 3


def test_successions_stay_inside_the_successor_province(areas_loaded):
    leaving = CommuneSuccession.objects.exclude(
        commune__province_id=F("legacy_commune__district__province__successor_id")
    )
    assert leaving.count() == 0


def test_split_communes_have_several_part_rows(areas_loaded):
    kim_ma = sorted(
        CommuneSuccession.objects.filter(legacy_commune_id="00028").values_list("commune_id", "is_whole")
    )
    assert kim_ma == [("00004", False), ("00008", False), ("00025", False)]
    # Every old commune has a successor, and a whole one has exactly one.
    assert not LegacyCommune.objects.filter(successors__isnull=True).exists()
    assert CommuneSuccession.objects.filter(is_whole=False).values("legacy_commune").distinct().count() == 471


def test_island_districts_without_communes_lead_to_special_zones(areas_loaded):
    assert dict(LegacyDistrict.objects.exclude(successor=None).values_list("code", "successor_id")) == {
        "318": "11948",  # Bạch Long Vĩ
        "471": "19742",  # Cồn Cỏ
        "498": "20333",  # Hoàng Sa
        "536": "21548",  # Lý Sơn
        "755": "26732",  # Côn Đảo
    }
