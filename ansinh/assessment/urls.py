from django.urls import path

from ansinh.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.calculator, name="calculator"),
]
