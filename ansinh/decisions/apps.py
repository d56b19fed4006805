from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "ansinh.decisions"
    label = "decisions"
    verbose_name = "Quyết định"
