"""Staff dossier pages under /ho-so/. Ids are named after their object (dossier_id,
attachment_id, person_id) and fetched through access functions (404 outside the area)."""

from django.urls import path

from ansinh.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views.dossier_receive, name="receive"),  # ?mau=01…04
    path("<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("<int:dossier_id>/chuyen/", views.dossier_move, name="move"),
    path("<int:dossier_id>/kiem-tra/", views.dossier_recheck, name="recheck"),
    path("<int:dossier_id>/dinh-kem/", views.dossier_attach, name="attach"),
    path("<int:dossier_id>/van-ban.pdf", views.dossier_document, {"fmt": "pdf"}, name="document_pdf"),
    path("<int:dossier_id>/van-ban.docx", views.dossier_document, {"fmt": "docx"}, name="document_docx"),
    path("tep/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("chuyen-den/", views.transfers_incoming, name="transfers"),
    path("lich/", views.declared_days, name="declared_days"),
    path("lich/<int:declared_day_id>/xoa/", views.declared_day_remove, name="declared_day_remove"),
    path("chuyen-den/<int:person_id>/tiep-nhan/", views.transfer_receive, name="transfer_receive"),
]
