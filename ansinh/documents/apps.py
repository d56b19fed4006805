from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ansinh.documents"
    label = "documents"
    verbose_name = "Văn bản"
