import pytest

from ansinh.areas.tests.fixtures import _areas_session, areas_loaded  # noqa: F401
from ansinh.plans.services import indicators_load
from ansinh.plans.tests.data import build_small_world
from tests.conftest import chromium, page, screenshot  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalogue(db):
    indicators_load()


@pytest.fixture
def small_world(db, catalogue):
    return build_small_world()
