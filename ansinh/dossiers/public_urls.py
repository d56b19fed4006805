from django.urls import path

from ansinh.dossiers import views

# Public pages of the online public service: no account needed.
app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("nop/", views.public_file, name="file"),  # ?mau=01…04
    path("tra-cuu/", views.public_status, name="status"),
]
