"""Schema version checks and upgrades at start-up (Alembic, batch mode for SQLite).

Alembic is imported only when a schema must be upgraded: an up-to-date database is
recognised from its ``alembic_version`` row alone, and a brand-new one is made from the models
(``create_all``) and stamped with :data:`HEAD` (Alembic's documented way to start a database,
without replaying every migration), which keeps start-up fast. A test keeps the schema made that
way equal to the one the migrations make.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Engine, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from db.errors import DatabaseProblem

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in db/migrations/versions (a test keeps the two equal).
HEAD = "0009"


def alembic_config(connection: Any = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration history is not linear: heads {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no version table yet


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception:  # alembic raises several kinds for an unknown revision
        return False
    return True


def state(engine: Engine) -> str:
    """'new' (empty), 'current', 'older', 'newer' or 'foreign' (tables that are not ours)."""
    current = current_revision(engine)
    if current == HEAD:
        return "current"
    if current is None:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        return "foreign" if tables else "new"
    return "older" if _known(current) else "newer"


def create(engine: Engine) -> None:
    """A brand-new database: every table the models declare, and the version row saying it is
    at :data:`HEAD` (what ``command.stamp`` writes), in one transaction."""
    import db.models  # noqa: F401 - every table on Base.metadata
    from db.base import Base

    version = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        version.create(conn, checkfirst=True)
        conn.execute(version.delete())
        conn.execute(version.insert().values(version_num=HEAD))


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

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
    if found == "new":
        create(engine)
    elif found == "older":
        upgrade(engine)
    return found
