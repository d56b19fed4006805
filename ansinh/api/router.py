"""The REST API (/api/v1/), with its OpenAPI 3 schema at /api/v1/openapi.json.

Each domain app keeps its endpoints in its own `apis.py` with a ninja `router`; they are mounted
here under one prefix each.
"""

import importlib
import importlib.util

from ninja import NinjaAPI

api = NinjaAPI(title="ansinh API", version="1", urls_namespace="api")

# (prefix, module holding `router`)
ROUTERS = [
    ("/persons", "ansinh.registry.apis"),
    ("/decisions", "ansinh.decisions.apis"),
    ("/payrolls", "ansinh.payments.apis"),
    ("/assessments", "ansinh.assessment.apis"),
    ("/areas", "ansinh.areas.apis"),
]

for prefix, module_name in ROUTERS:
    # A router module arrives with its app; until then there is nothing to mount.
    if importlib.util.find_spec(module_name) is not None:
        api.add_router(prefix, importlib.import_module(module_name).router)
