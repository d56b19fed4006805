"""Rules as lint: each rule shows what it forbids and is checked over the whole tree.

Money is integer đồng, so no float() in the law or the payments; views and APIs fetch scoped
objects through access functions, never `Person.objects.get`; domain flows don't hide in signals.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RULES = [
    # (name, pattern, folders, bad example, good example)
    (
        "no float in money code",
        r"\bfloat\(",
        ["law", "payments"],
        "amount = float(level) * 1.5",
        "amount = amount_from_coefficient(c, level)",
    ),
    (
        "views fetch through access functions",
        r"\bPerson\.objects\.get\(",
        ["web", "api", "registry/apis.py", "decisions/apis.py", "payments/apis.py"],
        "Person.objects.get(pk=pk)",
        "access_person(request.user, pk)",
    ),
    (
        "no signals for domain flows",
        r"\b(post_save|pre_save|post_delete)\b",
        ["registry", "decisions", "payments"],
        "post_save.connect(make_payment)",
        "payroll_run(month=m, area_code=c)",
    ),
]


def _python_files(target: str):
    path = ROOT / target
    if path.is_file():
        yield path
    elif path.is_dir():
        for file in path.rglob("*.py"):
            if "tests" not in file.parts and "migrations" not in file.parts:
                yield file


@pytest.mark.parametrize("name,pattern,targets,bad,good", RULES, ids=[r[0] for r in RULES])
def test_rule(name, pattern, targets, bad, good):
    regex = re.compile(pattern)
    assert regex.search(bad) and not regex.search(good), "the rule's own examples must show it"
    offenders = [
        f"{file.relative_to(ROOT)}:{number}: {line.strip()}"
        for target in targets
        for file in _python_files(target)
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1)
        if regex.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], f"{name}:\n" + "\n".join(offenders)


def test_law_package_does_not_import_django():
    offenders = [
        str(file.relative_to(ROOT))
        for file in (ROOT / "law").rglob("*.py")
        if re.search(r"^\s*(from|import)\s+django\b", file.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
