from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ansinh.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
