"""What accounts and keys cost a clerk, with the real Argon2id parameters (desktop.keys.kdf).

Baseline: opening a database without accounts (open_app to close), measured in the same run.
Then: one login hash check (m = 19 MiB, t = 2), one wrapping-key derivation (m = 64 MiB, t = 3),
opening the same database with an administrator and signing in (the login check, the key
derivation and the unwrap), and `check` over the audit log of a demo database (its chained rows and signed heads).

Run: .venv/bin/python tests/bench/bench_keys.py [--size 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.pop("UNIONDESK_TEST_KDF", None)  # the real parameters, whatever the shell says
os.environ.setdefault("UNIONDESK_NO_QSETTINGS", "1")

from tests.bench.common import bench_line, demo_database, median_of

PASSWORD = "tiger-lily-42"


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000, help="demo workers (their audit rows are checked)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    os.environ["UNIONDESK_HOME"] = str(home / "home")

    from argon2.low_level import Type, hash_secret_raw
    from sqlalchemy import func, select

    from db.models.system import AuditEntry
    from desktop import audit_check
    from desktop.accounts import passwords, service
    from desktop.context import open_app
    from desktop.keys.kdf import LOGIN, WRAP

    plain = home / "plain.sqlite3"
    open_app(str(plain), daily_backup=False).close()
    baseline = median_of(lambda: timed(lambda: open_app(str(plain), daily_backup=False).close()), 5)

    encoded = passwords.hash_password(PASSWORD)
    login = median_of(lambda: timed(lambda: passwords.verify(encoded, PASSWORD)), 5)
    salt = os.urandom(16)
    wrap = median_of(lambda: timed(lambda: hash_secret_raw(
        PASSWORD.encode(), salt, time_cost=WRAP.time_cost, memory_cost=WRAP.memory_kib,
        parallelism=WRAP.parallelism, hash_len=32, type=Type.ID)), 3)

    guarded = demo_database(home, args.size)  # demo data: its writes fill the audit log
    app = open_app(str(guarded), daily_backup=False)
    service.create_account(app, "admin", "王管理", PASSWORD, "admin")
    with app.db.session() as s:
        rows = int(s.scalar(select(func.count(AuditEntry.id))) or 0)
    app.close()

    def open_and_sign_in() -> float:
        start = time.perf_counter()
        a = open_app(str(guarded), daily_backup=False)
        service.sign_in(a, "admin", PASSWORD)
        seconds = time.perf_counter() - start
        a.close()
        return seconds

    signed_in = median_of(open_and_sign_in, 3)

    def check_once() -> float:
        a = open_app(str(guarded), daily_backup=False)
        service.sign_in(a, "admin", PASSWORD)
        start = time.perf_counter()
        with a.db.engine.connect() as conn:
            report = audit_check.check(conn)
        seconds = time.perf_counter() - start
        a.close()
        assert report.ok, report.problems
        return seconds

    check = median_of(check_once, 3)
    print(f"# Argon2id login m={LOGIN.memory_kib // 1024} MiB t={LOGIN.time_cost} p={LOGIN.parallelism}; "
          f"wrap m={WRAP.memory_kib // 1024} MiB t={WRAP.time_cost} p={WRAP.parallelism}; "
          f"baseline = open and close a database without accounts", flush=True)
    bench_line("keys_login_hash_check", login, baseline, "s")
    bench_line("keys_wrap_derivation", wrap, baseline, "s")
    bench_line("keys_open_and_sign_in", signed_in, baseline, "s")
    bench_line(f"keys_check_{rows}_audit_rows", check, baseline, "s")


if __name__ == "__main__":
    main()
