from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ansinh.assessment"
    label = "assessment"

    def ready(self):
        # Validate the provincial policy files and the configuration naming those in force
        # (settings.ANSINH_PROVINCIAL_POLICIES) at start-up: a bad file or an unknown name stops
        # the server with a Vietnamese message naming the file and the field.
        from django.conf import settings

        from ansinh.law.province_policies import configure

        configure(list(getattr(settings, "ANSINH_PROVINCIAL_POLICIES", []) or []))
