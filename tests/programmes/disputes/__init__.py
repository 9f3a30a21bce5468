"""劳动争议调解's tests; the helpers below open disputes the way the tab does (through the service)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desktop.context import App
from desktop.programmes.disputes import service

EMPLOYER = "宁海县甲机械有限公司"


def ago(days: float, hours: float = 0) -> datetime:
    """A whole minute ``days`` (and ``hours``) before now."""
    return (datetime.now() - timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def open_one(app: App, *, days: float = 40, kind: str = "wages", source: str = "warning",
             workers: list[dict[str, Any]] | None = None, employer: dict[str, Any] | None = None,
             **values: Any) -> int:
    """A dispute opened ``days`` ago (张三, named only, against :data:`EMPLOYER`); its id."""
    base = {"kind": kind, "source": source, "claim": "支付拖欠工资", "claim_amount": "12000", **values}
    return service.open_dispute(app, base, ago(days), workers=workers or [{"name": "张三", "phone": "13812345678"}],
                                employer=employer or {"name": EMPLOYER}).value


def mediated(app: App, *, days: float = 40, **values: Any) -> int:
    """A dispute taken 预警 → 调解 → 结案 调解成功 (mediation 30 days ago, closed 20 days ago)."""
    did = open_one(app, days=days, **values)
    service.advance(app, did, "mediation", ago(days - 10), note="受理调解申请")
    service.advance(app, did, "closed", ago(days - 20), outcome="mediated")
    return did
