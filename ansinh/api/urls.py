from django.urls import path

from ansinh.api.router import api

urlpatterns = [path("v1/", api.urls)]
