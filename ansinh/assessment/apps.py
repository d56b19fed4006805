from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ansinh.assessment"
    label = "assessment"

    def ready(self):
        # Validate the provincial policy files at start-up: a bad file stops the server with a
        # Vietnamese message naming the file and the field (ansinh.law.province_policies).
        from ansinh.law.province_policies import default_province_policies

        default_province_policies()
