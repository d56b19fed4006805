"""A reconciliation killed half-way (kill -9 after the results were written, before commit)
leaves nothing; importing the same file again completes it with the same totals."""

import os
import subprocess
import sys
import textwrap
from urllib.parse import quote

import pytest
from django.db import connection

from ansinh.decisions.tests.factories import Office
from ansinh.payments.models import PayeeOutcome, PaymentLine, PayrollRun, ReturnFile
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.tests.cycle import NOV, cycle_state, result_row, return_file, sent_payroll

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from ansinh.payments.models import PayrollRun
    from ansinh.payments.reconcile import reconcile_import

    def progress(done, total, message):
        if done == 3:  # results applied, follow-ups not yet: inside the transaction
            os.kill(os.getpid(), signal.SIGKILL)

    run = PayrollRun.objects.get(pk=int(sys.argv[1]))
    reconcile_import(actor=None, run=run, content=open(sys.argv[2], "rb").read(), progress=progress)
    """
)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    url = f"postgresql://{quote(db['USER'])}{password}@localhost:{db['PORT'] or 5432}/{db['NAME']}"
    return url + f"?host={quote(db['HOST'] or 'localhost')}"


@pytest.mark.django_db(transaction=True)
def test_a_killed_reconciliation_is_completed_by_a_second_run(tmp_path):
    office = Office()
    people = [office.person(full_name=f"Người {i}") for i in range(3)]
    for person in people:
        office.grant(person, signed_on=NOV)
    run = sent_payroll(office, NOV)
    content = return_file(
        run,
        [
            result_row(run, people[0]),
            result_row(run, people[1], "THAT_BAI", reason="Sai tài khoản"),
            result_row(run, people[2], "CHUA_NHAN"),
        ],
    )
    path = tmp_path / "ket-qua.csv"
    path.write_bytes(content)
    before = cycle_state()

    env = {**os.environ, "DATABASE_URL": database_url()}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(run.pk), str(path)], env=env, timeout=120)

    assert done.returncode == -9
    assert cycle_state() == before
    result = reconcile_import(actor=office.officer, run=run, content=content)
    rf = ReturnFile.objects.get()
    assert (rf.paid_count, rf.failed_count, rf.uncollected_count, rf.exception_count) == (1, 1, 1, 0)
    assert result.reconciled_runs == [run.pk]
    assert sorted(PayeeOutcome.objects.values_list("result", flat=True)) == ["failed", "paid", "uncollected"]
    assert sorted(PaymentLine.objects.values_list("status", flat=True)) == ["due", "failed", "uncollected"]
    assert PayrollRun.objects.get().status == "reconciled"
