from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "ansinh.jobs"
    label = "jobs"
    verbose_name = "Tác vụ nền"

    def ready(self):
        # Each app declares its background tasks in its own tasks.py.
        autodiscover_modules("tasks")
