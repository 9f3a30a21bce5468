"""A model with a protected column, for the protected-field tests only.

It lives on its own declarative base (not db.base.Base): the schema, migration and label tests and
``check``'s unexpected-table check never see it. ``create(db)`` adds its table to a test database.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.database import Database
from db.fields import SENSITIVE, field
from db.protected import Protected


class TestBase(DeclarativeBase):
    pass


class Case(TestBase):
    """A hardship case: a public title and two sensitive notes."""

    __tablename__ = "test_protected_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(40), info=field("案件标题（测试）"))
    details: Mapped[str | None] = mapped_column(Protected(), info=field("困难情况（测试）", privacy=SENSITIVE))
    health: Mapped[str | None] = mapped_column(Protected(), info=field("健康状况（测试）", privacy=SENSITIVE))


def create(db: Database) -> None:
    TestBase.metadata.create_all(db.engine)
