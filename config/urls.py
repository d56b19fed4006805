from django.urls import include, path

urlpatterns = [
    path("api/", include("ansinh.api.urls")),
    path("", include("ansinh.web.urls")),
    # Each domain app serves its own pages under its own Vietnamese prefix.
    path("tac-vu/", include("ansinh.jobs.urls")),
    path("ra-soat/", include("ansinh.review.urls")),
    path("tra-cuu-che-do/", include("ansinh.assessment.urls")),
    path("ho-so/", include("ansinh.dossiers.urls")),
    path("cuu-tro/", include("ansinh.relief.urls")),
    path("chi-tieu/", include("ansinh.plans.urls")),
    path("dich-vu-cong/", include("ansinh.dossiers.public_urls")),
    path("nhap-du-lieu/", include("ansinh.imports.urls")),
    path("trung-lap/", include("ansinh.dedup.urls")),
    path("chi-tra/", include("ansinh.payments.urls")),
    path("van-ban/", include("ansinh.documents.urls")),
]
