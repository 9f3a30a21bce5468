"""荣誉称号证书: the certificate source of 劳模工匠选树. No Qt.

One record per holding named in the year (optionally of one title), still held. A person's
record carries the worker (name, unit, ID number for recognising the same person again, never
printed); a collective's record is addressed to the unit: ``name`` is the unit (and team),
``collective`` is True and ``organisation_id`` names it, so the certificate engine prints it on a
奖状/牌匾 template (「授予 某某有限公司工会 工人先锋号 称号」).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from db.errors import ValidationError
from desktop.programmes.honours import holders
from desktop.programmes.honours.titles import HONOURS, get_title
from reports.cn_dates import year_cn


def _year(params: dict[str, Any]) -> int:
    try:
        return int(params.get("year") or date.today().year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None


def certificate_records(session: Session, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Records for ``params`` ``year`` (default this year) and ``title`` (an hn_titles id, optional)."""
    year = _year(params)
    title_id = None
    if params.get("title"):
        try:
            title_id = get_title(session, int(params["title"])).id
        except (TypeError, ValueError):
            raise ValidationError("not_found", f"荣誉称号“{params.get('title')}”不存在") from None
    out = []
    for h in sorted(holders.holdings(session, year=year, title_id=title_id), key=lambda x: (x.title, x.named_on, x.id)):
        if h.ended_on is not None:
            continue
        event = f"{year}年度{h.title}评选"
        record: dict[str, Any] = {
            "award": h.title, "title": event, "event": event, "date": h.named_on, "year": year,
            "deed": f"被授予{year_cn(year)}度“{h.title}”荣誉称号", "body": h.body or "",
            "document": h.document or "", "source_ref": f"{HONOURS}:holding:{h.id}",
        }
        if h.worker is not None:
            w = h.worker
            record.update(name=w.name, unit=w.employer.name if w.employer else "", worker_id=w.id,
                          id_number=w.id_number, collective=False)
        else:
            unit = h.organisation.name if h.organisation is not None else ""
            record.update(name=f"{unit}{h.team or ''}", unit=unit, team=h.team or "", collective=True,
                          organisation_id=h.organisation_id)
        out.append(record)
    return out
