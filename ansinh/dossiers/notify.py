"""Telling the applicant of the decision: a pluggable sender (SMS gateway, e-mail), the console
by default. settings.ANSINH_NOTIFICATION_SENDER names the class ("module.Class"); each message
is kept as a Notification row whether it went out or not."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("ansinh.notifications")


class Sender:
    name = "sender"

    def send(self, *, channel: str, recipient: str, body: str) -> None:  # pragma: no cover
        raise NotImplementedError


class ConsoleSender(Sender):
    name = "console"

    def send(self, *, channel, recipient, body):
        logger.info("[%s → %s] %s", channel, recipient, body)
        print(f"[{channel} → {recipient}] {body}")


class MemorySender(Sender):
    """Keeps messages in a list (tests)."""

    name = "memory"
    outbox: list[dict] = []

    def send(self, *, channel, recipient, body):
        MemorySender.outbox.append({"channel": channel, "recipient": recipient, "body": body})


def sender() -> Sender:
    path = getattr(settings, "ANSINH_NOTIFICATION_SENDER", "ansinh.dossiers.notify.ConsoleSender")
    return import_string(path)()


def notify_applicant(dossier, body: str) -> list:
    from ansinh.dossiers.models import Notification

    out = sender()
    rows = []
    for channel, recipient in (("sms", dossier.applicant_phone), ("email", dossier.applicant_email)):
        if not recipient:
            continue
        row = Notification(dossier=dossier, channel=channel, recipient=recipient, body=body, sender=out.name)
        try:
            out.send(channel=channel, recipient=recipient, body=body)
            row.sent = True
        except Exception as error:  # a gateway down must not undo the decision
            row.error = str(error)[:500]
        row.save()
        rows.append(row)
    return rows
