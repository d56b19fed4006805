"""A payroll process killed half-way (kill -9, power cut) leaves nothing behind: the run is one
transaction, so PostgreSQL rolls it back when the connection dies."""

import datetime as dt
import os
import subprocess
import sys
import textwrap
from urllib.parse import quote

import pytest
from django.db import connection

from ansinh.decisions.tests.factories import Office
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.payments.payroll import payroll_run

SCRIPT = textwrap.dedent(
    """
    import os, signal, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from ansinh.payments.payroll import payroll_run

    def progress(done, total):
        if done == 1:  # after the first chunk of communes was written, inside the transaction
            os.kill(os.getpid(), signal.SIGKILL)

    payroll_run(month="2026-11", area_code="01", progress=progress, chunk_communes=1)
    """
)


def run_in_child(script: str) -> subprocess.CompletedProcess:
    """Run `script` in a new Python process on the test database."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    url = f"postgresql://{quote(db['USER'])}{password}@localhost:{db['PORT'] or 5432}/{db['NAME']}"
    # The host goes in the query, so a Unix socket directory (the embedded server) works too.
    url += f"?host={quote(db['HOST'] or 'localhost')}"
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-c", script], env=env, cwd=str(os.getcwd()), timeout=120)


@pytest.mark.django_db(transaction=True)
def test_a_killed_payroll_process_leaves_nothing():
    first, second = Office("00001"), Office("00002")
    first.grant(first.person(), signed_on=dt.date(2026, 9, 1))
    second.grant(second.person(), signed_on=dt.date(2026, 11, 1))
    done = run_in_child(SCRIPT)

    assert done.returncode == -9
    assert PayrollRun.objects.count() == 0
    assert PaymentLine.objects.count() == 0
    # Nothing is left locked either: the next run completes.
    summary = payroll_run(month=dt.date(2026, 11, 1), area_code="01", chunk_communes=1)
    assert summary.line_count == 4
