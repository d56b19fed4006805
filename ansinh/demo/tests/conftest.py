from ansinh.areas.tests.fixtures import _areas_session, areas_loaded  # noqa: F401
