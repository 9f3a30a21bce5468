"""A parameter that names one record by its id (``--competition 7``, ``pair=3``): parsed, looked up,
or refused with one Chinese message, the same for reports, certificate sources and the CLI."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from db.errors import ValidationError

__all__ = ["NotFound", "parse_id", "record_param"]

T = TypeVar("T")


class NotFound(ValidationError):
    """The parameter is not a number, or no record has that id (CLI: exit 1 with the message)."""

    def __init__(self, message: str) -> None:
        super().__init__("not_found", message)


def parse_id(raw: object, what: str, hint: str = "") -> int:
    """``raw`` (an int or its text) as an id; :class:`NotFound` naming ``what`` otherwise:
    ``竞赛编号“abc”无效，应为数字``. ``hint`` is appended (``（见 pairs --json）``)."""
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        raise NotFound(f"{what}编号“{raw}”无效，应为数字{hint}") from None


def record_param(session: Session, model: type[T], raw: object, what: str, hint: str = "") -> T:
    """The ``model`` row whose id ``raw`` names: ``找不到编号为 7 的竞赛`` when there is none."""
    record_id = parse_id(raw, what, hint)
    found = session.get(model, record_id)
    if found is None:
        raise NotFound(f"找不到编号为 {record_id} 的{what}{hint}")
    return found
