"""The certificate engine's workflow: serials, the issue register, verification, batch output.

``issue_and_render`` is the one way a certificate gets a serial: the serials are reserved
in a transaction, the PDF is rendered to a temporary file, and the transaction commits only
once the PDF is in place (or printed), so a failed or cancelled job leaves neither a file
nor new serials. A preview never touches the register. No Qt; the renderer is ``reports``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import audit
from db.errors import DatabaseProblem, ValidationError
from db.models.certificates import Certificate
from desktop import paths
from desktop import settings as app_settings
from desktop.certificates.recipients import is_collective, plan, register_name, register_unit
from desktop.certificates.serials import (
    DEFAULT_PREFIX,
    GENERAL,
    PREVIEW_MARK,
    code_of,
    format_serial,
    next_counter,
    preview_serial,
    serial_prefix,
    verification_on,
)
from desktop.certificates.signing import FINGERPRINT_LENGTH, sign_rows, signature_for
from desktop.certificates.sources import identity, legacy_identities
from desktop.certificates.wording import plain
from desktop.changes import Changes, Done
from desktop.fonts import fontset as print_fonts
from desktop.jobs import Cancelled, Progress, no_progress
from reports.certificates import variables

if TYPE_CHECKING:
    from desktop.context import App

__all__ = ["DEFAULT_PREFIX", "DEFAULT_TEMPLATE", "PREVIEW_MARK", "Issued",
           "UnknownTemplate", "assign", "code_of", "for_print", "format_serial", "issue",
           "issue_and_render", "next_counter", "preview_records", "preview_sample", "preview_serial",
           "render_preview", "resolve_template", "serial_prefix", "template_title", "templates",
           "verification_on"]

DEFAULT_TEMPLATE = "honour"
#: record keys never handed to the renderer: never printed, even by a template naming them
#: (an ID number; the programme key and source reference, English words)
_INTERNAL = frozenset(("id_number", "worker_id", "legacy", "programme", "source_ref", "certificate_id", "template"))
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
              today: date | None = None, qr: str | None = None) -> dict[str, Any]:
    """What the renderer gets: the record's placeholders (empty when missing), then the ``issue``
    ones: the issuer, the date, the serial (and the printed code, and the QR's payload ``verify_qr``:
    desktop.certificates.signing)."""
    out = {k: v for k, v in record.items() if k not in _INTERNAL}
    out.update({k: record.get(k) or "" for k in variables.keys(variables.RECORD)})
    out.update({"issuer": record.get("issuer") or issuer(settings), "date": printed_date(record, today),
                "serial": serial})
    out.pop("verify_qr", None)
    if code:
        out["verify"] = code
        if qr:
            out["verify_qr"] = qr
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
        out.append(for_print(r, settings, preview_serial(prefix, when.year, r.get("programme") or GENERAL),
                             None, today))
    return out


def preview_sample(programme: str, collective: bool = False) -> dict[str, Any]:
    """The editor's sample record as a source would supply it, so an empty list still shows the
    template (the issuer, date and serial are filled as for a real preview); ``collective``: a
    unit's (for a template addressed to units)."""
    record: dict[str, Any] = variables.sample_record(variables.RECORD)
    if collective:
        record = {"name": f"{record['unit']}工会", "award": "四星级规范活力工会", "collective": True}
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
    unsigned: bool = False  # verification on, but the key ring is locked: printed without QR or code

    @property
    def changes(self) -> Changes:
        """The register rows this batch wrote (new serials and reprint counts)."""
        return Changes.of("certificates", rows=[("certificates", i) for i in self.ids])


def _existing(session: Session, records: Sequence[dict[str, Any]]) -> dict[tuple[object, ...], Certificate]:
    """Certificates still valid for the same person, award and event, by identity (also under
    the older wording a record names as its ``legacy``)."""
    heads = [(r.get("award"), r.get("event")) for r in records]
    heads += [head for r in records for head in r.get("legacy") or ()]
    awards = {plain(a) for a, _e in heads}
    events = {plain(e) for _a, e in heads}
    found: dict[tuple[object, ...], Certificate] = {}
    if not records:
        return found
    rows = session.execute(select(Certificate).where(
        Certificate.voided_at.is_(None), Certificate.award.in_(awards), Certificate.event.in_(events))).scalars()
    for c in rows:
        head = (c.award or "", c.event or "")
        keys = [(*head, "n", c.name, c.unit or "")]
        if c.source_ref:  # a unit's reference (sources.identity)
            keys.append((*head, "r", c.source_ref))
        if c.worker_id:
            keys.append((*head, "w", c.worker_id))
        if c.id_number:
            keys.append((*head, "i", c.id_number))
        for key in keys:
            found.setdefault(key, c)
    return found


def _match(found: dict[tuple[object, ...], Certificate], record: dict[str, Any], today: date) -> Certificate | None:
    """The certificate the record already holds: by its identity, else by the one it had under
    older wording in the same year (that certificate then takes the record's award and event:
    its reprint says them)."""
    for n, key in enumerate([identity(record), *legacy_identities(record)]):
        hit = found.get(key)
        if hit is None and key[2] == "w" and record.get("id_number"):  # a worker known before by ID only
            hit = found.get((key[0], key[1], "i", record["id_number"]))
        if hit is None or not n:
            if hit is not None:
                return hit
            continue
        if hit.issued_on.year == printed_date(record, today).year:
            if hit.voided_at is None:
                hit.award, hit.event = plain(record.get("award")), plain(record.get("event"))
                hit.signature = None  # signed again with the new wording (signing.sign_rows)
            return hit
    return None


def new_row(session: Session, record: dict[str, Any], serial_key: tuple[str, int, str], counter: int,
            template_key: str, when: date, now: datetime, ring: Any = None) -> dict[str, Any]:
    """A new certificate's register row (``Certificate``'s column names): the one place its values
    are made, signed with ``ring`` (desktop.keys) when it is unlocked."""
    prefix, year, code = serial_key
    person = not is_collective(record)  # a unit: no worker, no ID number; its whole name in ``unit``
    values: dict[str, Any] = dict(
        serial=format_serial(prefix, year, code, counter), prefix=prefix, year=year,
        programme=str(record.get("programme") or GENERAL), code=code, counter=counter, name=register_name(record),
        unit=register_unit(record), award=plain(record.get("award")), event=plain(record.get("event")),
        team=record.get("team") or None, worker_id=(person and record.get("worker_id")) or None,
        id_number=(person and record.get("id_number")) or None, template=template_key[:64],
        source_ref=(str(record["source_ref"])[:100] if record.get("source_ref") else None),
        issued_on=when, issued_at=now, printed_count=1, last_printed_at=now,
    )
    values["signature"] = signature_for(values, ring, session)
    return values


def assign(session: Session, records: Sequence[dict[str, Any]], template_key: str | Sequence[str],
           settings: dict[str, Any], now: datetime | None = None, *, ring: Any = None
           ) -> list[tuple[dict[str, Any], Certificate, bool]]:
    """Give each record its certificate: the one it already holds (counted as reprinted) or a
    new one with the next serial, signed with ``ring`` (desktop.keys) when it is unlocked.
    Flushed, not committed. A repeat within ``records`` is dropped. The new rows are written in
    one INSERT and logged as one audit entry (:func:`_insert_new`). ``template_key``: one for
    all, or each record's (a batch of people and units)."""
    keys = [template_key] * len(records) if isinstance(template_key, str) else list(template_key)
    now = now or datetime.now().replace(microsecond=0)
    prefix = serial_prefix(settings)
    found: dict[tuple[object, ...], Any] = dict(_existing(session, records))
    counters: dict[tuple[str, int, str], int] = {}
    seen: set[int] = set()  # id() of the certificates (and new rows) given out in this batch
    out: list[tuple[dict[str, Any], Any, bool]] = []
    for record, tkey in zip(records, keys, strict=True):
        if record.get("certificate_id"):
            cert = session.get(Certificate, int(record["certificate_id"]))
        else:
            cert = _match(found, record, now.date())
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
        key = (prefix, when.year, code_of(str(record.get("programme") or GENERAL)))
        if key not in counters:
            counters[key] = next_counter(session, *key)
        counter = counters[key]
        counters[key] = counter + 1
        # the row to insert, standing in for its certificate until then (a later record of the
        # same person matches it as it would match a certificate: _match)
        row = SimpleNamespace(**new_row(session, record, key, counter, tkey, when, now, ring), voided_at=None)
        seen.add(id(row))
        found.setdefault(identity(record), row)
        out.append((record, row, True))
    session.flush()  # the reprints' counts (each audited)
    _insert_new(session, out)
    return out


def _insert_new(session: Session, out: list[tuple[dict[str, Any], Any, bool]]) -> None:
    """Write the batch's new rows with one INSERT (executemany), put the certificates read back
    in their places in ``out``, and log the batch as one audit entry (the register keeps each
    certificate's own values; a certificate is never deleted)."""
    pending = [(i, row) for i, (_r, row, new) in enumerate(out) if new]
    if not pending:
        return
    rows = [{k: v for k, v in vars(row).items() if k != "voided_at"} for _i, row in pending]
    session.execute(insert(Certificate.__table__), rows)
    ranges: dict[tuple[str, int, str], list[int]] = {}
    for r in rows:
        ranges.setdefault((r["prefix"], r["year"], r["code"]), []).append(r["counter"])
    made: dict[tuple[str, int, str, int], Certificate] = {}
    for (prefix, year, code), numbers in ranges.items():  # each code's counters are consecutive, unique
        for cert in session.scalars(select(Certificate).where(
                Certificate.prefix == prefix, Certificate.year == year, Certificate.code == code,
                Certificate.counter.between(min(numbers), max(numbers)))):
            made[(prefix, year, code, cert.counter)] = cert
    for (i, _row), r in zip(pending, rows, strict=True):
        out[i] = (out[i][0], made[(r["prefix"], r["year"], r["code"], r["counter"])], True)
    serials = [r["serial"] for r in rows]
    audit.log(session, "insert", "certificates", new={"count": len(serials), "serials": serials},
              note=f"新发证书 {len(serials)} 张：{serials[0]}" + (f" 至 {serials[-1]}" if len(serials) > 1 else ""))


# -- the batch: serials and PDF together ------------------------------------------------------


def _assign_retrying(session: Session, records: Sequence[dict[str, Any]], key: str | Sequence[str],
                     settings: dict[str, Any],
                     attempts: int = 3, ring: Any = None) -> list[tuple[dict[str, Any], Certificate, bool]]:
    """``assign``, again when another seat took the same serials first (a PostgreSQL office)."""
    for attempt in range(attempts):
        try:
            return assign(session, records, key, settings, ring=ring)
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
    from desktop.accounts.roles import WRITE
    from reports import atomic_output
    from reports.certificates.render import render_certificates

    app.require(WRITE, "发放证书")
    key, tpl = resolve_template(template)
    each = dict(zip(map(id, records), plan((key, tpl), records, templates()), strict=True))  # a unit's own kind
    settings = app.settings
    seal_image = seal_file(app)
    fonts = print_fonts(app)  # the families chosen in Settings (font.*), else what this seat has
    result = Issued(path=out)
    placed = False
    scratch: tempfile.TemporaryDirectory[str] | None = None
    try:
        # committed when the block ends (after the PDF is in place), rolled back and translated on failure
        with app.db.session() as session:
            progress(0, max(len(records), 1), "正在登记证书编号")
            assigned = _assign_retrying(session, records, [each[id(r)][0] for r in records], settings,
                                        ring=app.keys)
            if not assigned:
                raise ValidationError("no_records", "没有可以生成证书的记录")
            # the printed code and QR come from each row's signature (none while the ring is locked)
            on = any(verification_on(settings, t) for _k, t in each.values())
            codes = sign_rows(session, app.keys, [c for _r, c, _n in assigned], printing=on)
            result.unsigned = on and not codes
            printed = []
            for r, c, _new in assigned:
                text, qr = codes.get(id(c), (None, None))
                printed.append(for_print(r, settings, c.serial, text, qr=qr))
            if cancelled():
                raise Cancelled
            if out is None:
                scratch = tempfile.TemporaryDirectory(prefix="uniondesk-print-")
                target = Path(scratch.name) / "certificates.pdf"
            else:
                target = out
            total = len(printed)
            with atomic_output(target) as tmp:
                pages = render_certificates(tpl, printed, tmp, offset=offset, seal_image=seal_image, fonts=fonts,
                                            progress=lambda d, t: progress(d, t or total, "正在生成证书"),
                                            cancelled=cancelled, each=[each[id(r)][1] for r, _c, _n in assigned])
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

    key, tpl = resolve_template(template)
    each = [t for _k, t in plan((key, tpl), list(records)[:limit], templates())]
    sample = preview_records(records, app.settings, limit)
    for r, t in zip(sample, each, strict=True):
        if verification_on(app.settings, t):
            r["verify"] = f"{r['serial']}.{'X' * FINGERPRINT_LENGTH}"
    return int(render_certificates(tpl, sample, out, offset=offset, cancelled=cancelled,
                                   seal_image=seal_file(app), fonts=print_fonts(app), each=each))
