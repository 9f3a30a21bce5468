"""What the account dialogs share: the service module, labels read from the field descriptions,
the password pair, running a service call with its refusal shown in a dialog."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from db.choices import CHOICES
from db.errors import DatabaseProblem, ValidationError
from desktop.accounts.passwords import MIN_LENGTH

T = TypeVar("T")
#: The shortest password the dialogs accept before asking the service (which has the last word).
MIN_PASSWORD = MIN_LENGTH


def tr(text: str) -> str:
    return QCoreApplication.translate("Accounts", text)


def service() -> ModuleType:
    """``desktop.accounts.service`` (imported when first used: start-up stays fast)."""
    from desktop.accounts import service as accounts_service

    return accounts_service


@cache
def field_labels() -> dict[str, str]:
    """The account columns' labels (``name`` → 登录名 …) from their ``info=field(...)``."""
    svc = service()
    if hasattr(svc, "field_labels"):
        return dict(svc.field_labels())
    from db.base import Base
    from db.fields import describe

    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", "") == "accounts":
            return {c.name: c.label for c in describe(mapper.class_)}
    return {}


def label(name: str) -> str:
    return field_labels().get(name, name)


def role_labels() -> dict[str, str]:
    """Role code → 管理员 / 经办人 / 只读 (the ``account_roles`` choice list)."""
    return dict(CHOICES["account_roles"])


def role_label(role: str) -> str:
    return role_labels().get(role, role)


def password_edit(placeholder: str = "", name: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setObjectName(name)
    return edit


def password_problem(first: str, second: str) -> str | None:
    """The dialogs' own check of a new password typed twice (the service checks again)."""
    if len(first) < MIN_PASSWORD:
        return tr("密码至少需要 {0} 个字符。").format(MIN_PASSWORD)
    if first != second:
        return tr("两次输入的密码不一致。")
    return None


def attempt(parent: QWidget | None, title: str, op: Callable[[], T]) -> T | None:
    """Run a service call; a refusal (wrong password, missing permission, invalid value) is shown
    in a message box titled ``title`` and None is returned."""
    try:
        return op()
    except (DatabaseProblem, ValidationError) as exc:
        QMessageBox.warning(parent, title, exc.message)
        return None


def announce_result(result: Any) -> None:
    from desktop.changes import Changes
    from ui.kit.changes import announce

    if isinstance(result, Changes):
        announce(result)
