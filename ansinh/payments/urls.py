"""The payment cycle's pages, mounted at chi-tra/ after the web app's own chi-tra/ routes."""

from django.urls import path

from ansinh.payments import views

app_name = "payments"

urlpatterns = [
    path("<int:payroll_id>/chu-trinh/", views.cycle, name="cycle"),
    *[
        path(f"<int:payroll_id>/{slug}/", views.step, {"action": name}, name=name)
        for slug, name in [
            ("kiem-tra", "check"),
            ("tra-lai", "return_to_draft"),
            ("phe-duyet", "approve"),
            ("khoa-so", "close"),
            ("de-nghi-kinh-phi", "funds_request"),
        ]
    ],
    path("<int:payroll_id>/tep-chuyen-khoan/", views.bank_file, name="bank_file"),
    path("<int:payroll_id>/danh-sach-tien-mat/", views.provider_list, name="provider_list"),
    path("<int:payroll_id>/danh-sach-ky-nhan.pdf", views.signature_list, name="signature_list"),
    path("<int:payroll_id>/ket-qua-chi-tra/", views.return_file, name="return_file"),
    path("<int:payroll_id>/ket-qua-mau.csv", views.return_file_sample, name="return_file_sample"),
    path("de-xuat-tam-dung/", views.proposals, name="proposals"),
    path("de-xuat-tam-dung/<int:proposal_id>/lap-quyet-dinh/", views.proposal_decide, name="proposal_decide"),
    path("thu-hoi/", views.overpayments, name="overpayments"),
    path("thu-hoi/<int:overpayment_id>/da-thu-hoi/", views.overpayment_recover, name="overpayment_recover"),
    path("toan-tinh/", views.province, name="province"),
    path("toan-tinh/xuat-tep/", views.province_export, name="province_export"),
    path("toan-tinh/nhap-ket-qua/", views.province_return_file, name="province_return_file"),
    path("toan-tinh/tep-chuyen-khoan.zip", views.province_zip, name="province_zip"),
    path("toan-tinh/ket-qua-mau.csv", views.province_return_file_sample, name="province_return_file_sample"),
]
