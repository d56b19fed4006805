import pytest

from ansinh.web.tests.scenario import build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The world has five accounts; PBKDF2 would spend most of each test hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def unpaid_world(db):
    """The same world before any payroll has been run."""
    return build_world(with_payroll=False)


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer_a)
    return client


@pytest.fixture
def chairman_client(client, world):
    client.force_login(world.chairman_a)
    return client
