"""Entities of the law: a person (cá nhân) and the household (hộ gia đình) they live in.

Poverty status, the commune's especially-difficult status and the province are household facts;
everything else is a person fact. A one-person assessment is a one-row simulation; the monthly
review builds one simulation over millions of persons with the same variables.
"""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="Cá nhân",
    doc="A person whose entitlements are evaluated.",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="Hộ gia đình",
    doc="The household a person belongs to (poverty review, place of residence).",
    roles=[
        {"key": "head", "plural": "heads", "label": "Chủ hộ", "max": 1},
        {"key": "member", "plural": "members", "label": "Thành viên"},
    ],
)

entities = [Person, Household]
