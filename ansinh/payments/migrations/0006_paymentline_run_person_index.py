"""The payment-line index on (run) becomes one on (run, person) (issue 6, reconciliation).

Reconciliation sets each reconciled payee's lines by UPDATE … FROM joined on (run_id, person_id);
with only (run_id) the lines of a province's payrolls were read and hashed for every file. The
new index serves every query the old one did (its first column is the run) and the bulk payroll
build copies the parent's indexes (ansinh.payments.partitions.index_definitions), so the number of
indexes the payroll builds stays the same. On the partitioned payments_paymentline, DROP INDEX of
the parent drops each partition's index with it and CREATE INDEX on the parent builds one on every
partition (see 0005).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0003_decision_signed_on_paper"),
        ("payments", "0005_paymentline_uncollected_not_live"),
        ("registry", "0002_residence"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="paymentline",
            name="payments_pa_run_id_f77f22_idx",
        ),
        migrations.AddIndex(
            model_name="paymentline",
            index=models.Index(fields=["run", "person"], name="payment_line_run_person"),
        ),
    ]
