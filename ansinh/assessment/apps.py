from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ansinh.assessment"
    label = "assessment"
