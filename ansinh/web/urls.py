"""Web pages (Vietnamese paths). Object ids are named after their object (person_id,
household_id, decision_id, payroll_id): the area-scoping test in tests/ maps each name to an
object of another commune, so a new page with an id is covered automatically."""

from django.urls import path

from ansinh.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-tuong/", views.person_search_view, name="person_search"),
    path("doi-tuong/<int:person_id>/", views.person_detail, name="person_detail"),
    path("doi-tuong/<int:person_id>/sua/", views.person_edit_view, name="person_edit"),
    path("doi-tuong/<int:person_id>/quyet-dinh/", views.decision_create_view, name="decision_create"),
    path("dang-ky/doi-tuong/", views.person_create_view, name="person_create"),
    path("ho-gia-dinh/", views.household_list, name="household_list"),
    path("ho-gia-dinh/them/", views.household_create_view, name="household_create"),
    path("ho-gia-dinh/<int:household_id>/", views.household_detail, name="household_detail"),
    path(
        "ho-gia-dinh/<int:household_id>/thanh-vien/", views.household_member_add, name="household_member_add"
    ),
    path(
        "ho-gia-dinh/<int:household_id>/ho-ngheo/", views.household_poverty_set, name="household_poverty_set"
    ),
    path("quyet-dinh/<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:decision_id>/ky/", views.decision_sign_view, name="decision_sign"),
    path("chi-tra/", views.payroll_list, name="payroll_list"),
    path("chi-tra/lap/", views.payroll_run_view, name="payroll_run"),
    path("chi-tra/<int:payroll_id>/", views.payroll_detail, name="payroll_detail"),
]
