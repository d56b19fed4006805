"""Variables of the law, one module per benefit. `ALL_MODULES` is the load order."""

from ansinh.law.variables import (
    care_support,
    emergency,
    funeral,
    health_insurance,
    household,
    institution,
    levels,
    monthly_allowance,
    person,
    provincial,
    social_pension,
)

ALL_MODULES = [
    person,
    household,
    levels,
    monthly_allowance,
    social_pension,
    provincial,
    care_support,
    funeral,
    institution,
    emergency,
    health_insurance,
]
