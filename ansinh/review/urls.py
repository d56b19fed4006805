from django.urls import path

from ansinh.review import views

app_name = "review"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("chay/", views.review_start, name="start"),
    path("<int:review_item_id>/bo-qua/", views.review_item_dismiss, name="dismiss"),
]
