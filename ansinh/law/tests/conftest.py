"""Collect the openfisca YAML tests of this folder with openfisca's own test runner
(openfisca_core.tools.test_runner), so `pytest ansinh/law` runs them as ordinary test items."""

from openfisca_core.tools.test_runner import OpenFiscaPlugin

from ansinh.law.system import law_system

_plugin = OpenFiscaPlugin(law_system(), {})


def pytest_collect_file(parent, file_path):
    return _plugin.pytest_collect_file(parent, file_path)
