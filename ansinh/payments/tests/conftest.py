import pytest


@pytest.fixture(autouse=True)
def national_levels_only(db):
    """Provincial policy files add their own levels (e.g. a province's higher social pension);
    these tests use the national levels unless they add a provincial one themselves."""
    from ansinh.payments.models import BenefitLevel

    BenefitLevel.objects.exclude(province_code="").delete()
