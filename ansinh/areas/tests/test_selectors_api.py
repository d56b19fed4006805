import pytest
from django.contrib.auth.models import AnonymousUser
from ninja.testing import TestClient

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.areas.apis import router
from ansinh.areas.selectors import commune_get, commune_list, province_list
from ansinh.core.errors import InvalidInput


def test_province_list(areas_loaded):
    provinces = list(province_list())
    assert len(provinces) == 34
    assert (provinces[0].code, provinces[-1].code) == ("01", "96")


def test_commune_list(areas_loaded):
    communes = list(commune_list("01"))
    assert len(communes) == 126  # Hà Nội: 51 phường, 75 xã
    assert all(c.province_id == "01" for c in communes)
    assert [c.code for c in communes] == sorted(c.code for c in communes)
    assert commune_list(1).count() == 126  # a code that lost its leading zero


def test_commune_list_unknown_province(areas_loaded):
    with pytest.raises(InvalidInput) as exc:
        commune_list("02")  # Hà Giang: a province before 1 July 2025 only
    assert exc.value.message == (
        "Mã tỉnh «02» không tồn tại. Mã tỉnh gồm 2 chữ số theo danh mục từ 01/07/2025, ví dụ 01 (Hà Nội)."
    )


def test_commune_get(areas_loaded):
    assert commune_get("00070").name == "Phường Hoàn Kiếm"
    assert commune_get("70").code == "00070"  # leading zeros dropped by a spreadsheet
    with pytest.raises(InvalidInput) as exc:
        commune_get("00001")  # Phường Phúc Xá: a code before 1 July 2025 only
    assert exc.value.message == (
        "Mã xã «00001» không tồn tại. Mã xã gồm 5 chữ số theo danh mục từ 01/07/2025, ví dụ 00070 "
        "(Phường Hoàn Kiếm); hãy chọn xã từ danh sách."
    )
    assert exc.value.fields == {"commune": exc.value.message}


@pytest.fixture
def client():
    return TestClient(router)


@pytest.fixture
def officer(areas_loaded):
    return User.objects.create(
        username="xa", role=Role.COMMUNE_OFFICER, area_level=AreaLevel.COMMUNE, commune_id="00070"
    )


def test_api_provinces(client, officer):
    response = client.get("/provinces", user=officer)
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 34
    assert body[0] == {"code": "01", "name": "Thành phố Hà Nội", "division_type": "thanh_pho_trung_uong"}


def test_api_communes(client, officer):
    response = client.get("/provinces/01/communes", user=officer)
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 126
    assert body[0] == {
        "code": "00004",
        "name": "Phường Ba Đình",
        "division_type": "phuong",
        "province_code": "01",
        "is_especially_difficult": False,
    }


def test_api_requires_login(client, areas_loaded):
    assert client.get("/provinces", user=AnonymousUser()).status_code == 401
    assert client.get("/provinces/01/communes", user=AnonymousUser()).status_code == 401
