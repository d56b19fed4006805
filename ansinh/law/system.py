"""The tax-benefit system: entities, dated parameters, variables and the provincial policies."""

from __future__ import annotations

import inspect
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from ansinh.law.entities import entities
from ansinh.law.province_policies import ProvincePolicies, default_province_policies

PARAMETERS_DIR = Path(__file__).parent / "parameters"


class AnsinhLaw(TaxBenefitSystem):
    """Vietnamese social assistance law. `province_policies` are the provincial extensions
    (higher standard levels, social-pension top-ups, extra categories) read by the formulas."""

    def __init__(self, province_policies: ProvincePolicies | None = None):
        super().__init__(entities)
        self.load_parameters(str(PARAMETERS_DIR))
        from ansinh.law.variables import ALL_MODULES

        for module in ALL_MODULES:
            for _, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, Variable)
                    and value.__module__ == module.__name__
                ):
                    self.add_variable(value)
        self.province_policies = (
            province_policies if province_policies is not None else ProvincePolicies.empty()
        )


_systems: dict[tuple, AnsinhLaw] = {}


def law_system(province_policies: ProvincePolicies | None = None) -> AnsinhLaw:
    """A cached system; pass the provincial policies to apply (default: those the configuration
    applies, see ansinh.law.province_policies.applied_policies)."""
    policies = default_province_policies() if province_policies is None else province_policies
    key = tuple(p.id for p in policies.policies)
    system = _systems.get(key)
    if system is None or system.province_policies != policies:
        system = _systems[key] = AnsinhLaw(policies)
    return system


def clear_cache() -> None:
    _systems.clear()
