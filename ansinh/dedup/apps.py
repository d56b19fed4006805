from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "ansinh.dedup"
    label = "dedup"
