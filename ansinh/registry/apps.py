from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ansinh.registry"
    label = "registry"
    verbose_name = "Cơ sở dữ liệu đối tượng"
