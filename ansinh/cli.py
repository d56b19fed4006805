"""The `ansinh` command: Django's management commands under one name.

`ansinh payroll run --month 2026-11 --area 00070` is the management command `payroll`
(ansinh/payments/management/commands/payroll.py); `ansinh demo`, `ansinh migrate`, … likewise.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ansinh", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
