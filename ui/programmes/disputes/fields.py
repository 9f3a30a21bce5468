"""What the 劳动争议 tab's widgets and dialogs read alike: field labels and help lines from the
description (``queries.field_labels``), choice items, the current minute, amounts as typed."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from desktop.context import App
from desktop.programmes.disputes import queries
from ui.kit.cultivation import tr

#: The sensitive fields of a dispute (encrypted; shown and written only with the permission).
SENSITIVE = ("injury", "health", "income")
#: The amounts a closing (结案) records.
AMOUNTS = ("agreed_amount", "paid_amount")


@cache
def label(key: str) -> str:
    """A field's label: ``label("Dispute.claim") == "请求事项"``, ``label("CaseMove.at") == "时间"``."""
    return queries.field_labels()[key]


def help_text(key: str) -> str:
    """A field's help line (its tooltip): ``help_text("Dispute.claim")``."""
    return queries.field_helps().get(key, "")


def items(app: App, choices: str) -> list[tuple[str, Any]]:
    """A choice list's (label, code) pairs, as the clerk named them."""
    return [(text, code) for code, text in app.labels().get(choices, {}).items()]


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def money(value: Any) -> str:
    """An amount as typed back into a field (``12000.5``), empty for none."""
    if value is None:
        return ""
    return f"{value:.2f}".removesuffix(".00")


def example(kind: str) -> str:
    """A field's placeholder: an amount or a date as typed."""
    return {"amount": tr("如 12000"), "date": tr("如 2026-03-05")}[kind]


def protected_note() -> str:
    """Who may open the sensitive fields (shown where they are protected)."""
    names = "、".join(label(f"Dispute.{name}") for name in SENSITIVE)
    return tr("{0}是敏感信息，加密保存：只有具有敏感信息权限的账户登录后才能查看和填写"
              "（由管理员在“设置 → 账户”中授予）。").format(names)
