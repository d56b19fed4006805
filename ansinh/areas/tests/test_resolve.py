"""Old-address → today's commune. Expected codes are checked against the resolutions of the
National Assembly Standing Committee on the 2025 rearrangement (e.g. 1656/NQ-UBTVQH15, Hà Nội)."""

import pytest

from ansinh.areas.services import address_resolve


def codes(result):
    return [c.code for c in result.candidates]


@pytest.mark.parametrize(
    "address",
    [
        {"province": "Thành phố Hà Nội", "district": "Quận Ba Đình", "commune": "Phường Phúc Xá"},
        {"province": "Hà Nội", "district": "Ba Đình", "commune": "Phúc Xá"},
        {"province": "ha noi", "district": "quan ba dinh", "commune": "phuong phuc xa"},
        {"province": "TP. Hà Nội", "district": "Q. Ba Đình", "commune": "P. Phúc Xá"},
        {"province": "HA NOI", "district": "Q.BA DINH", "commune": "P.PHUC XA"},
        # Old district and commune written under today's province.
        {"province": "Thành phố Hà Nội", "district": "Ba Dinh", "commune": "Phuc Xa"},
    ],
)
def test_old_address_resolves_with_or_without_diacritics_and_prefixes(areas_loaded, address):
    result = address_resolve(**address)
    assert (result.status, result.commune.code, codes(result)) == ("resolved", "00097", ["00097"])
    assert result.commune.name == "Phường Hồng Hà"
    assert result.message == "Địa chỉ thuộc Phường Hồng Hà, Thành phố Hà Nội (mã xã 00097)."


def test_township_prefix_and_merged_province(areas_loaded):
    # Thị trấn Cầu Giát (huyện Quỳnh Lưu, Nghệ An) is today's Xã Quỳnh Lưu.
    result = address_resolve(province="Nghệ An", district="H. Quỳnh Lưu", commune="TT. Cầu Giát")
    assert (result.status, result.commune.code) == ("resolved", "17179")
    # Quảng Bình merged into Quảng Trị: Phường Hải Thành (Đồng Hới) is today's Phường Đồng Hới.
    result = address_resolve(province="Tỉnh Quảng Bình", district="TP Đồng Hới", commune="Phường Hải Thành")
    assert (result.status, result.commune.code, result.commune.province_id) == ("resolved", "18880", "44")


def test_numbered_wards(areas_loaded):
    # Quận 1, Phường Bến Nghé → Phường Sài Gòn (Thành phố Hồ Chí Minh).
    assert address_resolve(province="TP.HCM", district="Q1", commune="P. Bến Nghé").commune.code == "26740"
    first = address_resolve(province="Hồ Chí Minh", district="Quận 3", commune="Phường 01")
    again = address_resolve(province="tp ho chi minh", district="Q.3", commune="P1")
    assert first.status == again.status and codes(first) == codes(again)


def test_island_district_without_communes(areas_loaded):
    result = address_resolve(province="Hải Phòng", district="Huyện Bạch Long Vĩ")
    assert (result.status, result.commune.code) == ("resolved", "11948")


def test_new_form_address(areas_loaded):
    result = address_resolve(province="Hà Nội", commune="Phường Hoàn Kiếm")
    assert (result.status, result.commune.code) == ("resolved", "00070")
    result = address_resolve(province="Ha Noi", commune="phuong hong ha", form="new")
    assert (result.status, result.commune.code) == ("resolved", "00097")


def test_old_commune_split_between_new_ones_is_ambiguous(areas_loaded):
    result = address_resolve(province="Hà Nội", district="Ba Đình", commune="Kim Mã")
    assert result.status == "ambiguous"
    assert result.commune is None
    assert codes(result) == ["00004", "00008", "00025"]
    assert result.message == (
        "Phường Kim Mã (Quận Ba Đình) đã được chia cho 3 xã, phường mới: Phường Ba Đình (00004), "
        "Phường Ngọc Hà (00008), Phường Giảng Võ (00025). Hãy chọn xã theo thôn, tổ dân phố nơi người đó ở."
    )


def test_same_name_in_two_districts_without_district_is_ambiguous(areas_loaded):
    # Đồng Nai had a Xã Tân Phú in more than one district.
    result = address_resolve(province="Đồng Nai", commune="Xã Tân Phú", form="old")
    assert result.status == "ambiguous"
    assert result.commune is None
    assert len(result.candidates) >= 2
    assert result.message.startswith("Có ")
    assert "Hãy ghi thêm quận/huyện (địa chỉ cũ) hoặc chọn đúng xã." in result.message


def test_diacritics_tell_apart_names_that_fold_alike(areas_loaded):
    # Huyện Trấn Yên (Yên Bái) had both Xã Minh Quán and Xã Minh Quân.
    quan_sac = address_resolve(province="Yên Bái", district="Trấn Yên", commune="Xã Minh Quán")
    quan_mu = address_resolve(province="Yên Bái", district="Trấn Yên", commune="Xã Minh Quân")
    assert quan_sac.status == quan_mu.status == "resolved"
    assert quan_sac.commune.code != quan_mu.commune.code
    # Without diacritics the writer could mean either: not guessed.
    assert address_resolve(province="Yen Bai", district="Tran Yen", commune="Minh Quan").status == "ambiguous"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (
            {"province": "Tỉnh Không Có", "commune": "Xã A"},
            "Không tìm thấy tỉnh/thành phố «Tỉnh Không Có». Hãy ghi tên tỉnh, thành phố (trước hoặc "
            "sau ngày 01/07/2025), ví dụ «Nghệ An» hoặc «Thành phố Hà Nội».",
        ),
        (
            {"province": "Hà Nội", "district": "Huyện Không Có", "commune": "Xã A"},
            "Không tìm thấy quận/huyện «Huyện Không Có» trong tỉnh/thành phố «Hà Nội». Hãy kiểm tra tên "
            "huyện (trước ngày 01/07/2025), ví dụ «Huyện Quỳnh Lưu» hoặc «Q. Ba Đình».",
        ),
        (
            {"province": "Hà Nội", "district": "Ba Đình", "commune": "Phường Không Có"},
            "Không tìm thấy xã/phường «Phường Không Có» trong Quận Ba Đình. Hãy kiểm tra tên xã, ghi thêm "
            "quận/huyện nếu là địa chỉ cũ, hoặc chọn xã từ danh sách.",
        ),
        (
            {"province": "Hà Nội", "district": "Ba Đình"},
            "Chưa ghi xã/phường/thị trấn. Hãy ghi tên xã để xác định xã, phường hiện nay.",
        ),
    ],
)
def test_not_found(areas_loaded, address, message):
    result = address_resolve(**address)
    assert (result.status, result.commune, result.candidates, result.message) == (
        "not_found",
        None,
        [],
        message,
    )


def test_commune_of_another_province_is_not_found(areas_loaded):
    # Phường Phúc Xá was in Hà Nội, not in Nghệ An.
    assert address_resolve(province="Nghệ An", district="Ba Đình", commune="Phúc Xá").status == "not_found"


def test_every_old_full_address_resolves_or_is_a_split(areas_loaded):
    from collections import defaultdict

    from ansinh.areas.models import CommuneSuccession, LegacyCommune

    successors = defaultdict(list)
    for old, new in CommuneSuccession.objects.order_by("commune_id").values_list(
        "legacy_commune_id", "commune_id"
    ):
        successors[old].append(new)
    statuses = {"resolved": 0, "ambiguous": 0}
    rows = LegacyCommune.objects.values_list("code", "name", "district__name", "district__province__name")
    for code, name, district, province in rows:
        result = address_resolve(province=province, district=district, commune=name)
        statuses[result.status] += 1
        assert codes(result) == successors[code]
    assert statuses == {"resolved": 10035 - 471, "ambiguous": 471}


def test_fast_enough_for_100000_rows(areas_loaded, django_assert_num_queries):
    import time

    address_resolve(province="Nghệ An", district="Quỳnh Lưu", commune="Cầu Giát")  # builds the index
    # After that, no query at all: everything is answered from the in-process index.
    with django_assert_num_queries(0):
        start = time.perf_counter()
        for _ in range(20000):
            address_resolve(province="Nghệ An", district="Quỳnh Lưu", commune="TT. Cầu Giát")
        elapsed = time.perf_counter() - start
    # About 0.5 s on an idle 2-core machine; the bound leaves room for a loaded one.
    assert elapsed < 10.0
