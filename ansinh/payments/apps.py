from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_levels(sender, **kwargs):
    # Plumbing, not a domain flow: after `migrate` the levels table mirrors the law's parameters.
    from ansinh.payments.levels import levels_sync

    levels_sync()


class PaymentsConfig(AppConfig):
    name = "ansinh.payments"
    label = "payments"
    verbose_name = "Chi trả"

    def ready(self):
        post_migrate.connect(_sync_levels, sender=self, dispatch_uid="ansinh.payments.levels_sync")
