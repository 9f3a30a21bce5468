"""The certificate engine's workflow: serials, the issue register, verification, batch output.

``issue_and_render`` is the one way a certificate gets a serial: the serials are reserved
in a transaction, the PDF is rendered to a temporary file, and the transaction commits only
once the PDF is in place (or printed), so a failed or cancelled job leaves neither a file
nor new serials. A preview never touches the register. No Qt; the renderer is ``reports``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import audit
from db.errors import DatabaseProblem, ValidationError
from db.models.certificates import Certificate
from db.models.system import Setting
from desktop import paths
from desktop import settings as app_settings
from desktop.certificates.sources import identity
from desktop.changes import Changes, Done
from desktop.jobs import Cancelled, Progress, no_progress
from reports.certificates import variables

if TYPE_CHECKING:
    from desktop.context import App

DEFAULT_PREFIX = "UD"
DEFAULT_TEMPLATE = "honour"
PREVIEW_MARK = "（预览）"
SECRET_KEY = "certificate_secret"
CODE_LENGTH = 6
Offset = tuple[float, float]


class UnknownTemplate(LookupError):
    """A template key that is neither built in nor saved (CLI exit 2 with the list)."""

    def __init__(self, key: str, choices: list[str]) -> None:
        super().__init__(f"未知的证书模板 {key}，可用：{' '.join(choices)}")
        self.key = key
        self.choices = choices
        self.message = str(self)


def _never() -> bool:
    return False


# -- templates --------------------------------------------------------------------------------


def templates() -> dict[str, Any]:
    """Every template by key: the built-ins first, then those saved in the data folder."""
    from reports.certificates.template import all_templates

    return dict(all_templates(paths.templates_dir()))


def template_title(template: Any, key: str = "") -> str:
    return str(getattr(template, "title", "") or getattr(template, "name", "") or key)


def resolve_template(template: Any) -> tuple[str, Any]:
    """(key, Template) for a key or a Template object (an edited one not yet saved)."""
    if not isinstance(template, str):
        return str(getattr(template, "key", "") or "custom"), template
    found = templates()
    if template not in found:
        raise UnknownTemplate(template, list(found))
    return template, found[template]


# -- serials and verification -----------------------------------------------------------------


def serial_prefix(settings: dict[str, Any]) -> str:
    prefix = str(settings.get("serial_prefix") or "").strip()
    return prefix if prefix.isascii() and prefix.isalnum() else DEFAULT_PREFIX


def format_serial(prefix: str, year: int, programme: str, counter: int) -> str:
    """``UD-2026-{programme}-00001``: five digits, more when needed."""
    return f"{prefix}-{year}-{programme}-{counter:05d}"


def preview_serial(prefix: str, year: int, programme: str) -> str:
    return f"{prefix}-{year}-{programme}-{PREVIEW_MARK}"


def next_counter(session: Session, prefix: str, year: int, programme: str) -> int:
    last = session.execute(select(func.max(Certificate.counter)).where(
        Certificate.prefix == prefix, Certificate.year == year, Certificate.programme == programme)).scalar()
    return int(last or 0) + 1


def secret(session: Session) -> bytes:
    """The verification key: 32 random bytes made once and kept in the database, so every
    seat of an office and a moved installation compute the same codes."""
    stored = session.get(Setting, SECRET_KEY)
    if stored is not None and stored.value:
        return base64.b64decode(str(stored.value))
    value = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    # Core insert: the key itself stays out of the audit log.
    session.execute(insert(Setting).values(key=SECRET_KEY, value=value))
    audit.log(session, "create", "settings", note=f"{SECRET_KEY}（证书校验密钥已生成）")
    return base64.b64decode(value)


def code_for(key: bytes, serial: str) -> str:
    """``{serial}.{6 characters}``: the HMAC-SHA256 of the serial, base32."""
    digest = hmac.new(key, serial.encode("utf-8"), hashlib.sha256).digest()
    return f"{serial}.{base64.b32encode(digest).decode('ascii')[:CODE_LENGTH]}"


def verification_on(settings: dict[str, Any], template: Any) -> bool:
    try:
        on = int(settings.get("certificate_verify") or 0) == 1
    except (TypeError, ValueError):
        on = False
    return on or bool(getattr(template, "verify", False))


# -- records as printed ----------------------------------------------------------------------


def issuer(settings: dict[str, Any]) -> str:
    return str(settings.get("issuer") or settings.get("union_name") or "").strip()


def printed_date(record: dict[str, Any], today: date | None = None) -> date:
    value = record.get("date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return today or date.today()


def for_print(record: dict[str, Any], settings: dict[str, Any], serial: str, code: str | None,
              today: date | None = None) -> dict[str, Any]:
    """What the renderer gets: the record's placeholders (empty when missing), then the ``issue``
    ones: the issuer, the date, the serial (and code)."""
    out = {k: v for k, v in record.items() if k not in ("id_number", "worker_id")}
    out.update({k: record.get(k) or "" for k in variables.keys(variables.RECORD)})
    out.update({"issuer": record.get("issuer") or issuer(settings), "date": printed_date(record, today),
                "serial": serial})
    if code:
        out["verify"] = code
    else:
        out.pop("verify", None)
    return out


def preview_records(records: Sequence[dict[str, Any]], settings: dict[str, Any], limit: int = 3,
                    today: date | None = None) -> list[dict[str, Any]]:
    """The first records as a preview prints them: a placeholder serial, no register entry."""
    prefix = serial_prefix(settings)
    out = []
    for r in list(records)[:limit]:
        when = printed_date(r, today)
        out.append(for_print(r, settings, preview_serial(prefix, when.year, r.get("programme") or "general"),
                             None, today))
    return out


def preview_sample(programme: str) -> dict[str, Any]:
    """The editor's sample record as a source would supply it, so an empty list still shows the
    template (the issuer, date and serial are filled as for a real preview)."""
    record: dict[str, Any] = variables.sample_record(variables.RECORD)
    record["programme"] = programme
    return record


# -- the register -----------------------------------------------------------------------------


@dataclass
class Issued:
    """What one batch wrote."""

    pages: int = 0
    serials: list[str] = field(default_factory=list)
    new: int = 0
    reprinted: int = 0
    path: Path | None = None
    ids: list[int] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        """The register rows this batch wrote (new serials and reprint counts)."""
        return Changes.of("certificates", rows=[("certificates", i) for i in self.ids])


def _existing(session: Session, records: Sequence[dict[str, Any]]) -> dict[tuple[object, ...], Certificate]:
    """Certificates still valid for the same person, award and event, by identity."""
    awards = {r.get("award") or "" for r in records}
    events = {r.get("event") or "" for r in records}
    found: dict[tuple[object, ...], Certificate] = {}
    if not records:
        return found
    rows = session.execute(select(Certificate).where(
        Certificate.voided_at.is_(None), Certificate.award.in_(awards), Certificate.event.in_(events))).scalars()
    for c in rows:
        head = (c.award or "", c.event or "")
        keys = [(*head, "n", c.name, c.unit or "")]
        if c.worker_id:
            keys.append((*head, "w", c.worker_id))
        if c.id_number:
            keys.append((*head, "i", c.id_number))
        for key in keys:
            found.setdefault(key, c)
    return found


def _match(found: dict[tuple[object, ...], Certificate], record: dict[str, Any]) -> Certificate | None:
    key = identity(record)
    hit = found.get(key)
    if hit is None and key[2] == "w" and record.get("id_number"):  # a worker known before by ID only
        hit = found.get((key[0], key[1], "i", record["id_number"]))
    return hit


def assign(session: Session, records: Sequence[dict[str, Any]], template_key: str, settings: dict[str, Any],
           now: datetime | None = None) -> list[tuple[dict[str, Any], Certificate, bool]]:
    """Give each record its certificate: the one it already holds (counted as reprinted) or a
    new one with the next serial. Flushed, not committed. A repeat within ``records`` is dropped."""
    now = now or datetime.now().replace(microsecond=0)
    prefix = serial_prefix(settings)
    found = _existing(session, records)
    counters: dict[tuple[str, int, str], int] = {}
    seen: set[int] = set()  # id() of the certificates given out in this batch
    out: list[tuple[dict[str, Any], Certificate, bool]] = []
    for record in records:
        if record.get("certificate_id"):
            cert = session.get(Certificate, int(record["certificate_id"]))
        else:
            cert = _match(found, record)
        if cert is not None:
            if id(cert) in seen:
                continue
            if cert.voided_at is not None:
                raise ValidationError("certificate_void", f"证书 {cert.serial} 已作废，不能补打")
            cert.printed_count = (cert.printed_count or 0) + 1
            cert.last_printed_at = now
            seen.add(id(cert))
            out.append((record, cert, False))
            continue
        if not record.get("name"):
            continue
        when = printed_date(record, now.date())
        programme = str(record.get("programme") or "general")
        key = (prefix, when.year, programme)
        if key not in counters:
            counters[key] = next_counter(session, *key)
        counter = counters[key]
        counters[key] = counter + 1
        cert = Certificate(
            serial=format_serial(prefix, when.year, programme, counter), prefix=prefix, year=when.year,
            programme=programme, counter=counter, name=record["name"], unit=record.get("unit") or None,
            award=record.get("award") or "", event=record.get("event") or "", team=record.get("team") or None,
            worker_id=record.get("worker_id") or None, id_number=record.get("id_number") or None,
            template=template_key[:64], source_ref=(str(record["source_ref"])[:100] if record.get("source_ref")
                                                    else None),
            issued_on=when, issued_at=now, printed_count=1, last_printed_at=now,
        )
        session.add(cert)
        seen.add(id(cert))
        found.setdefault(identity(record), cert)
        out.append((record, cert, True))
    session.flush()  # one batch of inserts (and of audit entries)
    return out


# -- the batch: serials and PDF together ------------------------------------------------------


def _assign_retrying(session: Session, records: Sequence[dict[str, Any]], key: str, settings: dict[str, Any],
                     attempts: int = 3) -> list[tuple[dict[str, Any], Certificate, bool]]:
    """``assign``, again when another seat took the same serials first (a PostgreSQL office)."""
    for attempt in range(attempts):
        try:
            return assign(session, records, key, settings)
        except IntegrityError as exc:
            session.rollback()
            if attempt == attempts - 1:
                raise DatabaseProblem("serial_conflict", "另一台电脑正在同时发证，证书编号冲突，未生成。请稍后重试。") from exc
    raise AssertionError("unreachable")


def issue_and_render(app: App, template: Any, records: Sequence[dict[str, Any]], out: Path | None,
                     offset: Offset = (0.0, 0.0), progress: Progress = no_progress,
                     cancelled: Callable[[], bool] = _never, *,
                     deliver: Callable[[Path], None] | None = None) -> Issued:
    """Assign serials and write the PDF in one transaction-safe order.

    The serials are reserved in an open transaction, the PDF rendered to a temporary file,
    handed to ``deliver`` (the GUI prints it) and moved to ``out`` (when given); only then
    does the transaction commit. Cancelled or failed: no file, no serials.
    """
    from reports import atomic_output
    from reports.certificates.render import render_certificates

    key, tpl = resolve_template(template)
    settings = app.settings
    seal_image = seal_file(app)
    result = Issued(path=out)
    placed = False
    scratch: tempfile.TemporaryDirectory[str] | None = None
    try:
        # committed when the block ends (after the PDF is in place), rolled back and translated on failure
        with app.db.session() as session:
            progress(0, max(len(records), 1), "正在登记证书编号")
            assigned = _assign_retrying(session, records, key, settings)
            if not assigned:
                raise ValidationError("no_records", "没有可以生成证书的记录")
            code_key = secret(session) if verification_on(settings, tpl) else None
            printed = [for_print(r, settings, c.serial, code_for(code_key, c.serial) if code_key else None)
                       for r, c, _new in assigned]
            if cancelled():
                raise Cancelled
            if out is None:
                scratch = tempfile.TemporaryDirectory(prefix="uniondesk-print-")
                target = Path(scratch.name) / "certificates.pdf"
            else:
                target = out
            total = len(printed)
            with atomic_output(target) as tmp:
                pages = render_certificates(tpl, printed, tmp, offset=offset, seal_image=seal_image,
                                            progress=lambda d, t: progress(d, t or total, "正在生成证书"),
                                            cancelled=cancelled)
                if cancelled():
                    raise Cancelled
                if deliver is not None:
                    deliver(Path(tmp))
            placed = out is not None
            result.pages = int(pages)
            result.serials = [c.serial for _r, c, _n in assigned]
            result.ids = [c.id for _r, c, _n in assigned]
            result.new = sum(1 for *_x, n in assigned if n)
            result.reprinted = len(assigned) - result.new
            audit.log(session, "print", "certificates", note=(
                f"证书 {result.pages} 张（新发 {result.new}，补打 {result.reprinted}）：{result.serials[0]}"
                + (f" 至 {result.serials[-1]}" if len(result.serials) > 1 else "") + (f" → {out}" if out else "（打印）")))
    except BaseException:
        if placed and out is not None:
            out.unlink(missing_ok=True)
        raise
    finally:
        if scratch is not None:
            scratch.cleanup()
    return result


def issue(app: App, template: Any, records: Sequence[dict[str, Any]], out: Path | None,
          offset: Offset = (0.0, 0.0), progress: Progress = no_progress, cancelled: Callable[[], bool] = _never,
          *, deliver: Callable[[Path], None] | None = None) -> Done[Issued]:
    """:func:`issue_and_render` with what it changed in the register (the GUI announces it)."""
    issued = issue_and_render(app, template, records, out, offset, progress, cancelled, deliver=deliver)
    return Done(issued, issued.changes)


def seal_file(app: App) -> str | None:
    """The seal image as a file on this computer (stored in the database with the settings)."""
    with app.db.session() as s:
        return app_settings.file_path(s, "seal_image")


def render_preview(app: App, template: Any, records: Sequence[dict[str, Any]], out: Path, *, limit: int = 3,
                   offset: Offset = (0.0, 0.0), cancelled: Callable[[], bool] = _never) -> int:
    """The first pages with placeholder serials (the register is not touched)."""
    from reports.certificates.render import render_certificates

    _key, tpl = resolve_template(template)
    sample = preview_records(records, app.settings, limit)
    if verification_on(app.settings, tpl):
        for r in sample:
            r["verify"] = f"{r['serial']}.XXXXXX"
    return int(render_certificates(tpl, sample, out, offset=offset, cancelled=cancelled,
                                   seal_image=seal_file(app)))
