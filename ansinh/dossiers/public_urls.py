from django.urls import path  # noqa: F401

# Public pages of the online public service: no account needed.
app_name = "public"

urlpatterns: list = []
