"""Reusable pytest fixtures: the administrative units loaded into the test database.

Use from any app's tests by importing the fixture into that app's tests/conftest.py:

    from ansinh.areas.tests.fixtures import areas_loaded  # noqa: F401

then ask for `areas_loaded` in a test (it also enables database access, like `db`). The units
are loaded once per test database (about 2 s; kept across runs with --reuse-db) and the fixture
reloads only what a transactional test may have flushed.
"""

import pytest

from ansinh.areas.loading import areas_load, areas_missing


@pytest.fixture(scope="session")
def _areas_session(django_db_setup, django_db_blocker):
    # Committed outside any test's transaction, so every test sees the units.
    with django_db_blocker.unblock():
        if areas_missing():
            areas_load()


@pytest.fixture
def areas_loaded(_areas_session, db):
    """Today's provinces and communes, the legacy units and the old → new mapping."""
    if areas_missing():  # a `transaction=True` test before this one flushed the tables
        areas_load()  # (it also drops the resolver's in-process index)
