from django.urls import path

from ansinh.dedup import views

app_name = "dedup"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tim/", views.scan, name="scan"),
    path("<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("gop/<int:merge_id>/", views.merge_detail, name="merge"),
    path("gop/<int:merge_id>/hoan-tac/", views.merge_undo_view, name="merge_undo"),
]
