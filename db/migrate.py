"""Schema version checks and upgrades at start-up (Alembic, batch mode for SQLite)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.errors import DatabaseProblem

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: object | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration history is not linear: heads {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def state(engine: Engine) -> str:
    """'new' (empty), 'current', 'older', 'newer' or 'foreign' (tables that are not ours)."""
    current = current_revision(engine)
    if current is None:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        return "foreign" if tables else "new"
    if current == head_revision():
        return "current"
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception:
        return "newer"
    return "older"


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def prepare(engine: Engine, backup: Callable[[], object] | None = None) -> str:
    """Bring the schema to the app's head; back up first when an existing file is upgraded.

    Returns the state found. Refuses a database written by a newer app or by another program.
    """
    found = state(engine)
    if found == "newer":
        raise DatabaseProblem(
            "newer",
            f"该数据库由更新版本的工会工作台创建（结构版本 {current_revision(engine)}），请先升级本程序再打开。",
        )
    if found == "foreign":
        raise DatabaseProblem("not_uniondesk", "这个数据库里已有其他程序的数据表，不是工会工作台的数据库。")
    if found == "older" and backup is not None:
        backup()
    if found in ("new", "older"):
        upgrade(engine)
    return found
