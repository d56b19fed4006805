"""Collect the openfisca YAML tests of this folder with openfisca's own test runner
(openfisca_core.tools.test_runner), so `pytest ansinh/law` runs them as ordinary test items.

The YAML tests check every shipped provincial policy, including those marked to_confirm that the
configuration does not apply to money (ansinh.law.province_policies.applied_policies)."""

from openfisca_core.tools.test_runner import OpenFiscaPlugin

from ansinh.law.province_policies import all_province_policies
from ansinh.law.system import law_system

_plugin = OpenFiscaPlugin(law_system(all_province_policies()), {})


def pytest_collect_file(parent, file_path):
    return _plugin.pytest_collect_file(parent, file_path)
