"""Printable documents, mounted at van-ban/ (config/urls.py)."""

from django.urls import path

from ansinh.documents import views

app_name = "documents"

urlpatterns = [
    path("quyet-dinh/<int:decision_id>.pdf", views.decision_document, {"fmt": "pdf"}, name="decision_pdf"),
    path("quyet-dinh/<int:decision_id>.docx", views.decision_document, {"fmt": "docx"}, name="decision_docx"),
    path(
        "chi-tra/<int:payroll_id>/de-nghi-kinh-phi.pdf",
        views.funds_request_document,
        name="funds_request_pdf",
    ),
]
