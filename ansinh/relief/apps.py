from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "ansinh.relief"
    label = "relief"
    verbose_name = "Cứu trợ khẩn cấp"
