"""The REST API (/api/v1/), with its OpenAPI 3 schema at /api/v1/openapi.json.

Each domain app keeps its endpoints in its own `apis.py` with a ninja `router`; they are mounted
here under one prefix each. Every route needs a logged-in session by default (see
ansinh.api.auth for the CSRF rule on JSON POSTs); errors share one shape (ansinh.api.errors).
"""

import importlib
import importlib.util

from ninja import NinjaAPI

from ansinh.api import auth
from ansinh.api.errors import install_error_handlers

api = NinjaAPI(
    title="ansinh API",
    version="1",
    description=(
        "API quản lý trợ giúp xã hội. Xác thực bằng phiên đăng nhập (cookie sessionid); "
        "mọi yêu cầu POST/PUT/PATCH/DELETE phải gửi kèm tiêu đề X-CSRFToken "
        "(lấy từ GET /api/v1/auth/csrf). Lỗi trả về dạng {code, message, fields}."
    ),
    urls_namespace="api",
    auth=auth.session_auth,
)
install_error_handlers(api)

# (prefix, module holding `router`)
ROUTERS = [
    ("/auth", "ansinh.api.auth"),
    ("/persons", "ansinh.registry.apis"),
    ("/decisions", "ansinh.decisions.apis"),
    ("/payrolls", "ansinh.payments.apis"),
    ("/assessments", "ansinh.assessment.apis"),
    ("/areas", "ansinh.areas.apis"),
    ("/dossiers", "ansinh.dossiers.apis"),
    ("/relief", "ansinh.relief.apis"),
    ("/plans", "ansinh.plans.apis"),
]

for prefix, module_name in ROUTERS:
    # A router module arrives with its app; until then there is nothing to mount.
    if importlib.util.find_spec(module_name) is not None:
        api.add_router(prefix, importlib.import_module(module_name).router)
