import pytest
from django.contrib.auth.models import AnonymousUser

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.areas.models import Commune, Village
from ansinh.areas.services import (
    commune_set_especially_difficult,
    village_get_or_create,
    village_set_especially_difficult,
)
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent


def make_user(username, role, level, *, province=None, commune=None):
    # No password: hashing one would only slow the tests down.
    return User.objects.create(
        username=username, role=role, area_level=level, province_id=province, commune_id=commune
    )


@pytest.fixture
def hanoi_officer(areas_loaded):
    return make_user("tinh_hn", Role.PROVINCIAL_OFFICER, AreaLevel.PROVINCE, province="01")


def test_provincial_officer_flags_a_commune_with_an_audit_row(hanoi_officer):
    commune = Commune.objects.get(code="00070")
    commune_set_especially_difficult(actor=hanoi_officer, commune=commune, flag=True)
    assert Commune.objects.get(code="00070").is_especially_difficult is True
    event = AuditEvent.objects.get(action="commune.set_especially_difficult")
    assert (
        event.actor_id,
        event.entity_type,
        event.entity_id,
        event.area_code,
        event.before,
        event.after,
    ) == (
        hanoi_officer.pk,
        "areas.commune",
        "00070",
        "00070",
        {"is_especially_difficult": False},
        {"is_especially_difficult": True},
    )
    # Setting the same value again changes nothing and writes no second audit row.
    commune_set_especially_difficult(actor=hanoi_officer, commune="00070", flag=True)
    assert AuditEvent.objects.filter(action="commune.set_especially_difficult").count() == 1


@pytest.mark.parametrize(
    ("role", "level", "province", "commune", "message"),
    [
        (
            Role.COMMUNE_OFFICER,
            AreaLevel.COMMUNE,
            None,
            "00070",
            "Chỉ cán bộ cấp tỉnh mới được đánh dấu xã, thôn đặc biệt khó khăn.",
        ),
        (
            Role.AUDITOR,
            AreaLevel.COUNTRY,
            None,
            None,
            "Chỉ cán bộ cấp tỉnh mới được đánh dấu xã, thôn đặc biệt khó khăn.",
        ),
        (
            Role.PROVINCIAL_OFFICER,
            AreaLevel.PROVINCE,
            "40",
            None,
            "Phường Hoàn Kiếm không thuộc địa bàn bạn quản lý.",
        ),
    ],
)
def test_others_may_not_flag_and_nothing_changes(areas_loaded, role, level, province, commune, message):
    actor = make_user("u", role, level, province=province, commune=commune)
    with pytest.raises(NotAllowed) as exc:
        commune_set_especially_difficult(actor=actor, commune="00070", flag=True)
    assert exc.value.message == message
    assert Commune.objects.get(code="00070").is_especially_difficult is False
    assert not AuditEvent.objects.exists()


def test_anonymous_may_not_flag(areas_loaded):
    with pytest.raises(NotAllowed):
        commune_set_especially_difficult(actor=AnonymousUser(), commune="00070", flag=True)
    assert Commune.objects.filter(is_especially_difficult=True).count() == 0


def test_unknown_commune_code(hanoi_officer):
    with pytest.raises(InvalidInput) as exc:
        commune_set_especially_difficult(actor=hanoi_officer, commune="99999", flag=True)
    assert exc.value.fields == {"commune": exc.value.message}
    assert exc.value.message.startswith("Mã xã «99999» không tồn tại.")


def test_village_get_or_create(areas_loaded):
    village = village_get_or_create(commune="00070", name="  Tổ dân phố   số 1 ")
    assert (village.commune_id, village.name) == ("00070", "Tổ dân phố số 1")
    assert (
        village_get_or_create(commune=Commune.objects.get(code="00070"), name="Tổ dân phố số 1").pk
        == village.pk
    )
    assert village_get_or_create(commune="00070", name="tổ dân phố số 1").pk == village.pk
    # Differing diacritics are different villages.
    assert (
        village_get_or_create(commune="00070", name="Thôn Đông").pk
        != village_get_or_create(commune="00070", name="Thôn Động").pk
    )
    # The same name in another commune is another village.
    assert village_get_or_create(commune="00073", name="Tổ dân phố số 1").pk != village.pk
    assert Village.objects.count() == 4


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Tên thôn, tổ dân phố không được để trống."),
        ("x" * 101, "Tên thôn, tổ dân phố dài quá 100 ký tự; hãy viết ngắn lại."),
    ],
)
def test_village_bad_name(areas_loaded, name, message):
    with pytest.raises(InvalidInput) as exc:
        village_get_or_create(commune="00070", name=name)
    assert (exc.value.message, exc.value.fields) == (message, {"village": message})
    assert not Village.objects.exists()


def test_flag_a_village(hanoi_officer):
    village = village_get_or_create(commune="00070", name="Thôn 1")
    village_set_especially_difficult(actor=hanoi_officer, village=village, flag=True)
    assert Village.objects.get(pk=village.pk).is_especially_difficult is True
    event = AuditEvent.objects.get(action="village.set_especially_difficult")
    assert (event.entity_id, event.area_code, event.after) == (
        str(village.pk),
        "00070",
        {"is_especially_difficult": True},
    )
    outsider = make_user("tinh_na", Role.PROVINCIAL_OFFICER, AreaLevel.PROVINCE, province="40")
    with pytest.raises(NotAllowed):
        village_set_especially_difficult(actor=outsider, village=village, flag=False)
    assert Village.objects.get(pk=village.pk).is_especially_difficult is True
