import pytest

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.accounts.services import can_prepare, can_sign, can_write, user_create
from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.registry.tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return make_commune("00001", province="01")


def test_a_five_digit_code_makes_a_commune_account(commune):
    user = user_create(
        username="canbo1",
        password="mat-khau-1",
        role=Role.COMMUNE_OFFICER,
        area_code="00001",
        full_name="nguyễn văn an",
    )
    assert (user.area_level, user.commune_id, user.province_id) == (AreaLevel.COMMUNE, "00001", "01")
    assert user.first_name == "Nguyễn Văn An"
    assert user.check_password("mat-khau-1")
    event = AuditEvent.objects.get()
    assert (event.action, event.entity_id, event.area_code) == ("user.create", str(user.pk), "00001")
    assert "password" not in event.after


def test_a_two_digit_code_makes_a_province_account(commune):
    user = user_create(username="tinh1", password="x", role=Role.PROVINCIAL_OFFICER, area_code="01")
    assert (user.area_level, user.commune_id, user.province_id) == (AreaLevel.PROVINCE, None, "01")


def test_an_empty_code_makes_a_country_account(db):
    user = user_create(username="bo_yte", password="x", role=Role.AUDITOR, area_code="")
    assert (user.area_level, user.commune_id, user.province_id) == (AreaLevel.COUNTRY, None, None)


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        (
            {"area_code": "99999"},
            {"area_code": "Không có xã/phường mã 99999: kiểm tra lại mã xã (5 chữ số)."},
        ),
        (
            {"area_code": "77"},
            {"area_code": "Không có tỉnh/thành phố mã 77: kiểm tra lại mã tỉnh (2 chữ số)."},
        ),
        (
            {"area_code": "123"},
            {
                "area_code": "Mã địa bàn phải là mã xã (5 chữ số), mã tỉnh (2 chữ số), hoặc để trống cho toàn quốc."
            },
        ),
        (
            {"role": "mayor"},
            {
                "role": "Vai trò không hợp lệ: chọn một trong Công chức văn hóa - xã hội cấp xã, Chủ tịch UBND cấp xã, Cán bộ cấp tỉnh, Thanh tra, kiểm toán."
            },
        ),
        (
            {"role": Role.COMMUNE_CHAIRMAN, "area_code": "01"},
            {
                "role": "Vai trò “Chủ tịch UBND cấp xã” chỉ gán cho tài khoản cấp xã: sửa vai trò hoặc mã địa bàn."
            },
        ),
        ({"password": ""}, {"password": "Chưa nhập mật khẩu."}),
        (
            {"username": "a b"},
            {"username": "Tên đăng nhập phải dài 3–150 ký tự, chỉ gồm chữ không dấu, chữ số và . _ @ + -."},
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_written(commune, kwargs, fields):
    args = {
        "username": "canbo1",
        "password": "x",
        "role": Role.COMMUNE_OFFICER,
        "area_code": "00001",
        **kwargs,
    }
    with pytest.raises(InvalidInput) as info:
        user_create(**args)
    assert info.value.fields == fields
    assert User.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_taken_username_is_refused(commune):
    make_user(commune=commune, username="canbo1")
    with pytest.raises(InvalidInput) as info:
        user_create(username="CANBO1", password="x", role=Role.COMMUNE_OFFICER, area_code="00001")
    assert info.value.fields == {"username": "Tên đăng nhập “CANBO1” đã có người dùng: chọn tên khác."}
    assert User.objects.count() == 1


def test_role_helpers(commune):
    officer = make_user(commune=commune)
    chairman = make_user(commune=commune, role=Role.COMMUNE_CHAIRMAN)
    province = make_user(province=make_province("01"), role=Role.PROVINCIAL_OFFICER)
    auditor = make_user(commune=commune, role=Role.AUDITOR)
    assert [can_write(u) for u in (officer, chairman, province, auditor)] == [True, True, True, False]
    assert [can_sign(u) for u in (officer, chairman, province, auditor)] == [False, True, False, False]
    assert [can_prepare(u) for u in (officer, chairman, province, auditor)] == [True, False, True, False]
    officer.is_active = False
    assert not can_write(officer)
