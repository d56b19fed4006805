from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "ansinh.review"
    label = "review"
    verbose_name = "Rà soát hằng tháng"
