"""Relief pages (/cuu-tro/). Ids are named after their object (event_id, affected_id,
request_id) and fetched through ansinh.relief.access: another commune's id is a 404."""

from django.urls import path

from ansinh.relief import views

app_name = "relief"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("dot/moi/", views.event_create_view, name="event_create"),
    path("dot/<int:event_id>/", views.event_detail, name="event_detail"),
    path("dot/<int:event_id>/ghi-nhanh/", views.field_entry, name="field_entry"),
    path("dot/<int:event_id>/chon-ho/", views.household_pick, name="household_pick"),
    path("dot/<int:event_id>/de-xuat/", views.event_propose, name="event_propose"),
    path("dot/<int:event_id>/quyet-dinh/", views.event_decide, name="event_decide"),
    path("dot/<int:event_id>/de-nghi/", views.event_request, name="event_request"),
    path("dot/<int:event_id>/ky-nhan/", views.signature_list, name="signature_list"),
    path("dot/<int:event_id>/ung-ho/", views.donations, name="donations"),
    path("dong-bo/", views.sync, name="sync"),
    path("ho/<int:affected_id>/", views.affected_detail, name="affected_detail"),
    path("ho/<int:affected_id>/de-xuat/", views.affected_propose, name="affected_propose"),
    path("ho/<int:affected_id>/quyet-dinh/", views.affected_decide, name="affected_decide"),
    path("ho/<int:affected_id>/cap-phat/", views.affected_distribute, name="affected_distribute"),
    path("ho/<int:affected_id>/anh/", views.affected_photo, name="affected_photo"),
    path("de-nghi/<int:request_id>/", views.request_detail, name="request_detail"),
    path("kho/", views.stock_view, name="stock"),
    path("thoi-han/", views.deadlines, name="deadlines"),
]
