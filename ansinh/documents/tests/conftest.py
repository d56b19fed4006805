import pytest


@pytest.fixture
def national_levels_only(db):
    """Provincial policy files add their own levels; the document tests use the national ones."""
    from ansinh.payments.models import BenefitLevel

    BenefitLevel.objects.exclude(province_code="").delete()


@pytest.fixture
def nghe_an(db):
    """A commune of Nghệ An, stored as ansinh.areas stores it: the name without "Tỉnh"."""
    from ansinh.areas.models import DivisionType, Province
    from ansinh.decisions.tests.factories import Office

    Province.objects.update_or_create(
        code="40", defaults={"name": "Nghệ An", "division_type": DivisionType.PROVINCE, "codename": "nghe_an"}
    )
    from ansinh.registry.tests.factories import make_commune

    make_commune("99901", province="40", name="Phường Thành Vinh")
    return Office("99901", province="40")
