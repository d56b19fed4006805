from django.urls import path

from ansinh.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_home, name="home"),
    path("tep/<int:upload_id>/", views.upload_detail, name="upload"),
    path("<int:batch_id>/", views.batch_detail, name="batch"),
    path("<int:batch_id>/tep-loi.xlsx", views.batch_errors, name="errors"),
    path("<int:batch_id>/ghi-vao-so/", views.batch_commit, name="commit"),
]
