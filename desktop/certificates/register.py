"""The issue register (发证登记簿): look up, verify, void, reprint and export certificates.

Serials are given only by :func:`desktop.certificates.issuing.issue_and_render`; this module reads the
register and changes a certificate's state (void), never its serial. The functions taking the open
app are what the GUI calls: they open their own session and return plain rows, or what they changed
(:class:`desktop.changes.Changes`). No Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.fields import describe
from db.models.certificates import Certificate
from db.models.system import AuditEntry
from desktop.certificates import issuing, signing
from desktop.certificates.issuing import Issued
from desktop.certificates.recipients import addresses_units
from desktop.changes import Changes, Done
from desktop.jobs import Progress, no_progress

if TYPE_CHECKING:
    from desktop.context import App

VALID, VOID, UNKNOWN, MISMATCH = "valid", "void", "unknown", "mismatch"
STATUS_ALL, STATUS_VALID, STATUS_VOID = "all", "valid", "void"
STATUS_LABEL = "状态"

#: the register's labels by the keys of :func:`certificate_info` (from the model's description)
LABELS: dict[str, str] = {("date" if c.name == "issued_on" else c.name): c.label for c in describe(Certificate)}
LABELS["status"] = STATUS_LABEL


@dataclass(frozen=True)
class Verdict:
    status: str  # valid | void | unknown | mismatch
    message: str  # 有效 / 已作废（reason） / 无此证书 / 校验码不符
    certificate: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == VALID

    def detail(self) -> str:
        c = self.certificate
        if not c:
            return ""
        parts = [f"{LABELS[key]} {c[key]}" for key in ("serial", "name")]
        parts += [f"{LABELS[key]} {c[key]}" for key in ("unit", "award", "event", "team") if c.get(key)]
        parts.append(f"发证日期 {c['date']}")
        return "；".join(parts)


def _lookup(session: Session, serial: str) -> tuple[Certificate | None, str]:
    """The certificate a serial names, and the serial as it was issued (its code was computed
    over it): the serial itself, else an older-form serial (the programme's key where its code is
    now) kept as its alias; exact first, then ignoring case."""
    for column in (Certificate.serial, Certificate.alias):
        cert = session.execute(select(Certificate).where(column == serial)).scalar_one_or_none()
        if cert is None:
            matches = list(session.execute(select(Certificate).where(func.lower(column) == serial.lower())).scalars())
            cert = matches[0] if len(matches) == 1 else None
        if cert is not None:
            return cert, str(cert.serial if column is Certificate.serial else cert.alias)
    return None, ""


def verify(session: Session, text: str, ring: Any = None) -> Verdict:
    """Check a serial, a serial with its fingerprint (``UD-2026-JS-00001.7KQ3M2XD``) or the QR's
    payload against the register: the row's stored signature must verify with the database's
    public key (desktop.certificates.signing), so a row inserted with an SQLite tool answers
    校验码不符. An older-form serial is accepted, and a code printed before signatures for that
    row (its hash kept in ``legacy_codes`` by migration 0007). ``ring``: the open key ring, for
    ``desktop.keys.check_keys``."""
    given = "".join(str(text).split())
    serial, _, code = given.rpartition(".") if "." in given else (given, "", "")
    if not serial:
        return Verdict(UNKNOWN, "无此证书")
    cert, issued_as = _lookup(session, serial)
    if cert is None:
        return Verdict(UNKNOWN, "无此证书")
    info = certificate_info(cert)
    if not signing.genuine(session, cert, ring) or (code and not signing.matches(cert, issued_as, code)):
        return Verdict(MISMATCH, "校验码不符", info)
    if cert.voided_at is not None:
        return Verdict(VOID, f"已作废（{cert.void_reason or '未注明原因'}）", info)
    logged = _logged_void(session, cert.id)
    if logged is not None:  # voided, then the void cleared behind the program's back: the chained log decides
        return Verdict(VOID, f"已作废（{logged or '未注明原因'}；登记簿中的作废记录已被改动）", info)
    return Verdict(VALID, "有效", info)


def _logged_void(session: Session, certificate_id: int) -> str | None:
    """The reason of the void the audit log holds for a certificate (None: never voided). The log
    is hash-chained and signed (``check``), so a void cannot be taken back by editing the row."""
    rows = session.scalars(select(AuditEntry.new).where(
        AuditEntry.table_name == Certificate.__tablename__, AuditEntry.record_id == certificate_id,
        AuditEntry.action == "update"))
    for new in rows:
        if isinstance(new, dict) and new.get("voided_at"):
            return str(new.get("void_reason") or "")
    return None


def certificate_info(cert: Certificate) -> dict[str, Any]:
    return {"id": cert.id, "serial": cert.serial, "alias": cert.alias or "", "name": cert.name, "unit": cert.unit or "",
            "award": cert.award, "event": cert.event, "team": cert.team or "", "template": cert.template,
            "programme": cert.programme, "date": cert.issued_on, "issued_at": cert.issued_at,
            "printed_count": cert.printed_count, "last_printed_at": cert.last_printed_at,
            "voided_at": cert.voided_at, "void_reason": cert.void_reason or ""}



def void(session: Session, certificate_id: int, reason: str, now: datetime | None = None) -> Certificate:
    """Void a certificate with a reason; the row is kept (verify then says 已作废)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("void_reason", "请填写作废原因")
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise ValidationError("certificate_missing", f"找不到证书（编号 {certificate_id}）")
    if cert.voided_at is not None:
        raise ValidationError("certificate_void", f"证书 {cert.serial} 已于 {cert.voided_at:%Y-%m-%d} 作废")
    cert.voided_at = now or datetime.now().replace(microsecond=0)
    cert.void_reason = reason
    return cert


def reprint_records(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Records that print the given certificates again, with their serials and dates."""
    rows = session.execute(select(Certificate).where(Certificate.id.in_(list(ids))).order_by(Certificate.id)).scalars()
    out = []
    for c in rows:
        if c.voided_at is not None:
            raise ValidationError("certificate_void", f"证书 {c.serial} 已作废，不能补打")
        out.append({"certificate_id": c.id, "name": c.name, "unit": c.unit or "", "award": c.award,
                    "event": c.event, "team": c.team or "", "date": c.issued_on, "programme": c.programme,
                    "template": c.template})
    return out


# -- listing and export -----------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""  # any part of the serial, name, unit, award or event
    year: int | None = None
    programme: str | None = None
    status: str = STATUS_ALL  # all | valid | void


def list_certificates(session: Session, flt: RegisterFilter | None = None, limit: int | None = None
                      ) -> list[dict[str, Any]]:
    """Certificates as plain dicts, newest first."""
    flt = flt or RegisterFilter()
    query = select(Certificate)
    if flt.year:
        query = query.where(Certificate.year == flt.year)
    if flt.programme:
        query = query.where(Certificate.programme == flt.programme)
    if flt.status == STATUS_VALID:
        query = query.where(Certificate.voided_at.is_(None))
    elif flt.status == STATUS_VOID:
        query = query.where(Certificate.voided_at.is_not(None))
    for word in flt.text.split():
        like = f"%{word}%"
        query = query.where(or_(Certificate.serial.ilike(like), Certificate.alias.ilike(like),
                                Certificate.name.like(like), Certificate.unit.like(like), Certificate.award.like(like),
                                Certificate.event.like(like), Certificate.team.like(like)))
    query = query.order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    if limit:
        query = query.limit(limit)
    return [certificate_info(c) for c in session.execute(query).scalars()]


def years(session: Session) -> list[int]:
    return [int(y) for y in session.execute(select(Certificate.year).distinct().order_by(Certificate.year.desc()))
            .scalars()]


def programmes(session: Session) -> list[str]:
    return [str(p) for p in session.execute(select(Certificate.programme).distinct().order_by(Certificate.programme))
            .scalars()]


def status_label(info: dict[str, Any]) -> str:
    return "已作废" if info.get("voided_at") else "有效"


_EXPORTED = (("serial", 28, "text"), ("name", 8, "text"), ("unit", 24, "text"), ("award", 10, "text"),
             ("event", 20, "text"), ("team", 12, "text"), ("date", 11, "date"), ("template", 8, "text"),
             ("printed_count", 6, "int"), ("last_printed_at", 16, "text"), ("status", 6, "text"),
             ("void_reason", 16, "text"))
#: the exported register's columns: (key, label, width, kind)
REGISTER_COLUMNS = tuple((k, LABELS[k], width, kind) for k, width, kind in _EXPORTED)
#: the register dialog's columns: (key, label)
SHOWN_COLUMNS = tuple((k, LABELS[k]) for k in ("serial", "name", "unit", "award", "event", "programme", "date",
                                                "printed_count", "status", "void_reason"))


def register_report(rows: Sequence[dict[str, Any]], union_name: str, subtitle: str = "",
                    template_titles: dict[str, str] | None = None) -> Any:
    """发证登记簿 as a :class:`reports.spec.TableReport` (the shared look for .xlsx and PDF)."""
    from reports.spec import ColumnSpec, TableReport

    titles = template_titles or {}
    columns = [ColumnSpec("seq", "序号", 5, "int"),
               *(ColumnSpec(k, label, w, kind) for k, label, w, kind in REGISTER_COLUMNS)]
    table_rows = []
    for i, r in enumerate(rows, 1):
        values = {**r, "status": status_label(r), "template": titles.get(r["template"], r["template"])}
        table_rows.append((i, *(values.get(k) for k, *_rest in REGISTER_COLUMNS)))
    valid = sum(1 for r in rows if not r.get("voided_at"))
    note = f"共 {len(rows)} 张，其中有效 {valid} 张，作废 {len(rows) - valid} 张"
    return TableReport(title="发证登记簿", columns=columns, rows=table_rows, union_name=union_name,
                       subtitle="　".join(x for x in (subtitle, note) if x), landscape=True)


def export_register(session: Session, path: Path, union_name: str, flt: RegisterFilter | None = None, *,
                    template_titles: dict[str, str] | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> int:
    """Write the register (as filtered) to .xlsx; returns the number of certificates."""
    from reports.xlsx import write_table_xlsx

    flt = flt or RegisterFilter()
    rows = list_certificates(session, flt)
    parts = [f"{flt.year} 年" if flt.year else "", f"来源：{flt.programme}" if flt.programme else "",
             {"valid": "仅有效证书", "void": "仅作废证书"}.get(flt.status, ""), f"筛选：{flt.text}" if flt.text else ""]
    report = register_report(rows, union_name, "　".join(p for p in parts if p), template_titles)
    write_table_xlsx(report, path, progress=progress, cancelled=cancelled)
    return len(rows)



# -- what the GUI calls: the open app in, plain rows or changes out -----------------------------


def find(app: App, flt: RegisterFilter | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    with app.db.session() as s:
        return list_certificates(s, flt, limit)


def register_years(app: App) -> list[int]:
    with app.db.session() as s:
        return years(s)


def check(app: App, text: str) -> Verdict:
    with app.db.session() as s:
        return verify(s, text, app.keys)


def void_certificate(app: App, certificate_id: int, reason: str) -> Changes:
    """Void one certificate with a reason, in one transaction."""
    with app.db.session() as s:
        cert = void(s, certificate_id, reason)
        serial = cert.serial
    return Changes.of("certificates", rows=[("certificates", certificate_id)], message=f"已作废：{serial}")


def reprint(app: App, ids: Sequence[int], out: Path, progress: Progress = no_progress,
            cancelled: Callable[[], bool] = lambda: False) -> Done[Issued]:
    """Print the given certificates again to ``out`` with their serials and template."""
    with app.db.session() as s:
        records = reprint_records(s, ids)
    found = issuing.templates()
    for r in records:  # a unit's certificate (on a template addressed to units): its whole name is the unit
        if addresses_units(found.get(r["template"])):
            r.update(collective=True, name=r["unit"] or r["name"])
    template = records[0].get("template") if records else None
    if not template or template not in found:
        template = issuing.DEFAULT_TEMPLATE
    return issuing.issue(app, template, records, out, progress=progress, cancelled=cancelled)


def export(app: App, path: Path, flt: RegisterFilter | None = None, progress: Progress = no_progress,
           cancelled: Callable[[], bool] = lambda: False) -> int:
    """:func:`export_register` with the templates' titles, in a session of its own."""
    titles = {k: issuing.template_title(t, k) for k, t in issuing.templates().items()}
    with app.db.session() as s:
        return export_register(s, path, app.union_name, flt, template_titles=titles,
                               progress=lambda d, t: progress(d, t, ""), cancelled=cancelled)
