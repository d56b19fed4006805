"""The frozen payees lose their database-level foreign keys to the run and the return file
(issue 6): the check writes millions of payees in one INSERT … SELECT and reconciliation sets
return_file on millions of them, and each row's deferred RI check at commit cost about a third of
the check (about 24 s of 79 s at 3.5M). Django still cascades a run's deletion to its payees and
sets return_file to NULL when a return file goes (on_delete is applied by the ORM), and the payees
are only ever written from runs locked in the same transaction. See docs/decisions.md.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0006_paymentline_run_person_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="payrollpayee",
            name="return_file",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="payments.returnfile",
            ),
        ),
        migrations.AlterField(
            model_name="payrollpayee",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="payees",
                to="payments.payrollrun",
            ),
        ),
    ]
