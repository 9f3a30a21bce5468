"""The lock on a PostgreSQL database: an advisory lock on one dedicated connection outside the pool."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from db.errors import DatabaseProblem
from db.lock.keys import PG_KEY, WAIT_SHARED_S, WINDOW, current_user, describe_holders, in_use
from db.lock.sqlite import Exclusive


def _ascii(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii").replace("|", "/")


def _ascii_program(program: str) -> str:
    if program == WINDOW:
        return "window"
    if program.startswith("命令行"):
        return "cli" + _ascii(program[len("命令行"):])
    return _ascii(program)


def _program_name(code: str) -> str:
    if code == "window":
        return WINDOW
    if code.startswith("cli"):
        return "命令行" + code[3:]
    return code


class PgLock(Exclusive):
    """A shared advisory lock on one dedicated connection outside the pool."""

    def __init__(self, url: str, program: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        self.program = program
        self.engine = create_engine(url, poolclass=NullPool)
        self.conn: Any = None
        self.mode: str | None = None
        # application_name is ASCII only: 工会工作台窗口 -> window, 命令行 restore -> cli restore
        self.name = f"UnionDesk|{_ascii_program(program)}|{_ascii(current_user())}"[:63]

    def _scalar(self, sql: str, **params: Any) -> Any:
        from sqlalchemy import text

        value = self.conn.execute(text(sql), params).scalar()
        self.conn.commit()  # advisory session locks outlive transactions; end the one we began
        return value

    def acquire_shared(self, wait: float = WAIT_SHARED_S) -> None:
        self.conn = self.engine.connect()
        self._scalar("SELECT set_config('application_name', :n, false)", n=self.name)
        deadline = time.monotonic() + wait
        while not self._scalar("SELECT pg_try_advisory_lock_shared(:k)", k=PG_KEY):
            if time.monotonic() >= deadline:
                others = self.others()
                self.release()
                raise DatabaseProblem(
                    "in_use", f"数据库正在恢复或生成演示数据（{describe_holders(others)}），请稍后再打开。")
            time.sleep(0.1)
        self.mode = "shared"

    def others(self, program: str | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import text

        rows = self.conn.execute(text(
            "SELECT a.pid, a.application_name, a.usename, a.client_addr FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.objid = :k "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.pid <> pg_backend_pid() AND l.granted ORDER BY a.pid"), {"k": PG_KEY}).all()
        self.conn.commit()
        out = []
        for pid, app_name, user, addr in rows:
            parts = str(app_name or "").split("|")
            prog, who = (_program_name(parts[1]), parts[2]) if len(parts) == 3 and parts[0] == "UnionDesk" \
                else ("", "")
            where = f"{who or user}@{addr}" if addr else str(who or user)
            out.append({"program": prog or "另一个程序", "user": where, "pid": pid})
        return [o for o in out if program is None or o["program"] == program]

    def try_exclusive(self, action: str) -> None:
        if self._scalar("SELECT pg_try_advisory_lock(:k)", k=PG_KEY):
            self.mode = "exclusive"
            return
        raise in_use(self.others(), action)

    def to_shared(self) -> None:
        if self.mode == "exclusive":
            self._scalar("SELECT pg_advisory_unlock(:k)", k=PG_KEY)
            self.mode = "shared"

    def release(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):  # at once: the server ends a closed session's locks a moment later
                self._scalar("SELECT pg_advisory_unlock_all()")
            with contextlib.suppress(Exception):
                self.conn.close()  # closing the session releases its advisory locks
            self.conn = None
        self.mode = None
        self.engine.dispose()
