from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "ansinh.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"
