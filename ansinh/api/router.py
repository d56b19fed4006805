"""The REST API (/api/v1/), with its OpenAPI 3 schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="ansinh API", version="1", urls_namespace="api")
