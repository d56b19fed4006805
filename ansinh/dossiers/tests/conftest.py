import datetime as dt

import pytest

from ansinh.dossiers import population
from ansinh.dossiers.notify import MemorySender


@pytest.fixture(autouse=True)
def _dossier_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ANSINH_NOTIFICATION_SENDER = "ansinh.dossiers.notify.MemorySender"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    MemorySender.outbox.clear()
    yield
    population.use_population_source(None)


@pytest.fixture
def national_levels(db):
    from ansinh.payments.levels import levels_sync
    from ansinh.payments.models import BenefitLevel

    levels_sync()
    BenefitLevel.objects.exclude(province_code="").delete()


@pytest.fixture
def today(monkeypatch):
    """Pin 'today' for the services (deadlines, online receipt date)."""
    day = {"value": dt.date(2026, 11, 2)}

    def set_today(value):
        day["value"] = value

    monkeypatch.setattr("ansinh.dossiers.services._today", lambda: day["value"])
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day["value"])
    return set_today
