"""An uncollected line no longer counts as paid: its month (or its level difference) may be paid
again, as arrears (Decree 335/2026 Art. 28, issue 6: failed and uncollected amounts carry
forward).

Both "paid once" partial unique indexes get `uncollected` in their excluded statuses. On the
partitioned payments_paymentline, DROP INDEX of the parent's index drops every partition's index
with it, and CREATE UNIQUE INDEX on the parent builds one on every partition (and on each
partition created later, see ansinh.payments.partitions.index_definitions). The new predicate
covers a subset of the rows the old one did, so building it cannot fail on existing rows.

A small partial index finds the failed or uncollected level differences, which the next payroll
issues again (ansinh.payments.payroll), without reading the other difference lines.
"""

from django.db import migrations, models

NOT_LIVE = ["failed", "uncollected", "cancelled"]


def _once():
    return models.UniqueConstraint(
        condition=models.Q(("kind", "regular"), models.Q(("status__in", NOT_LIVE), _negated=True)),
        fields=("person", "benefit", "month"),
        name="payment_once_per_person_benefit_month",
    )


def _difference_once():
    return models.UniqueConstraint(
        condition=models.Q(("kind", "difference"), models.Q(("status__in", NOT_LIVE), _negated=True)),
        fields=("person", "benefit", "month", "level"),
        name="payment_difference_once_per_level",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0004_paymentline_partitioned"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="paymentline", name="payment_once_per_person_benefit_month"),
        migrations.RemoveConstraint(model_name="paymentline", name="payment_difference_once_per_level"),
        migrations.AddConstraint(model_name="paymentline", constraint=_once()),
        migrations.AddConstraint(model_name="paymentline", constraint=_difference_once()),
        migrations.AddIndex(
            model_name="paymentline",
            index=models.Index(
                condition=models.Q(("kind", "difference"), ("status__in", ["failed", "uncollected"])),
                fields=["commune_code"],
                name="payment_difference_unpaid",
            ),
        ),
    ]
