"""Issue 6: the provider's answers leave the payee rows for a narrow table of their own."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0007_payee_without_foreign_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="payrollrun",
            name="payee_count",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="payrollrun",
            name="result_count",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.CreateModel(
            name="PayeeOutcome",
            fields=[
                (
                    "payee",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="outcome",
                        serialize=False,
                        to="payments.payrollpayee",
                    ),
                ),
                (
                    "result",
                    models.CharField(
                        choices=[
                            ("", "Chưa có kết quả"),
                            ("paid", "Đã chi trả"),
                            ("failed", "Chi trả không thành công"),
                            ("uncollected", "Chưa nhận"),
                        ],
                        max_length=16,
                    ),
                ),
                ("reason", models.CharField(blank=True, default="", max_length=255)),
                ("paid_on", models.DateField(blank=True, null=True)),
                (
                    "return_file",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="payments.returnfile",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("result", ""), _negated=True), name="payee_outcome_has_result"
                    )
                ],
            },
        ),
        # The results recorded so far move to their own table, and the runs get their counts.
        migrations.RunSQL(
            """
            INSERT INTO payments_payeeoutcome (payee_id, result, reason, paid_on, return_file_id)
            SELECT id, result, reason, paid_on, return_file_id FROM payments_payrollpayee
             WHERE result <> '' AND return_file_id IS NOT NULL;
            UPDATE payments_payrollrun r
               SET payee_count = c.payees, result_count = c.results
              FROM (SELECT run_id, count(*) AS payees, count(*) FILTER (WHERE result <> '' AND return_file_id IS NOT NULL) AS results
                      FROM payments_payrollpayee GROUP BY run_id) AS c
             WHERE c.run_id = r.id;
            """,
            # Back to 0007: the answers return to the payees, and the paid lines of payrolls not
            # yet closed are booked now (0007's reconciliation wrote them at once).
            """
            UPDATE payments_payrollpayee y
               SET result = o.result, reason = o.reason, paid_on = o.paid_on, return_file_id = o.return_file_id
              FROM payments_payeeoutcome o WHERE o.payee_id = y.id;
            UPDATE payments_paymentline l SET status = 'paid'
              FROM payments_payrollpayee y
             WHERE y.result = 'paid' AND l.run_id = y.run_id AND l.person_id = y.person_id AND l.status = 'due';
            """,
        ),
        migrations.RemoveField(
            model_name="payrollpayee",
            name="paid_on",
        ),
        migrations.RemoveField(
            model_name="payrollpayee",
            name="reason",
        ),
        migrations.RemoveField(
            model_name="payrollpayee",
            name="result",
        ),
        migrations.RemoveField(
            model_name="payrollpayee",
            name="return_file",
        ),
    ]
