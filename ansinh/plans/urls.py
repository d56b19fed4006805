"""/chi-tieu/… pages. No object ids in paths: the area and the indicator are query parameters
checked against the user's scope (ansinh.plans.access)."""

from django.urls import path

from ansinh.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chi-so/", views.indicator_detail, name="indicator"),
    path("mau-so/", views.denominators, name="denominators"),
    path("bao-cao/", views.report_page, name="reports"),
    path("bao-cao/tai-ve.xlsx", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path("bao-cao/tai-ve.pdf", views.report_download, {"fmt": "pdf"}, name="report_pdf"),
    path("bao-cao/nop/", views.submission_create, name="submission_create"),
]
