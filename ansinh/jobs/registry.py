"""The tasks a job can run, registered by name with `@task("app.what")` in each app's tasks.py.

A task is a plain function `fn(progress, *, actor, **kwargs) -> dict`. It must be idempotent:
a worker that dies half-way leaves the job to be run again from the start (the task's own
transaction guarantees nothing half-written stays).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    name: str
    label: str
    fn: Callable


TASKS: dict[str, Task] = {}


def task(name: str, *, label: str = ""):
    def register(fn):
        TASKS[name] = Task(name=name, label=label or name, fn=fn)
        return fn

    return register


def task_get(name: str) -> Task:
    from ansinh.core.errors import InvalidInput

    try:
        return TASKS[name]
    except KeyError:
        raise InvalidInput.for_field("name", f"Không có tác vụ nền tên “{name}”.") from None
