from django.urls import include, path

urlpatterns = [
    path("api/", include("ansinh.api.urls")),
    path("", include("ansinh.web.urls")),
]
