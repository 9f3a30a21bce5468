"""Helpers shared by the data-layer, import and CLI tests (no Qt)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent


def valid_id(area: str = "330226", birth: str = "19900101", seq: int = 1, male: bool = True) -> str:
    from db.validators import id_check_digit

    s3 = seq * 2 + (1 if male else 0)
    body = f"{area}{birth}{s3 % 1000:03d}"
    return body + id_check_digit(body)


def write_workbook(path: Path, rows: list[list[Any]], *, title: str | None = None, merge_title: bool = True) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    if title:
        ws.append([title])
        if merge_title and rows:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def cli(*args: str, home: Path, db: Path | str | None = None, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``python -m desktop`` in a subprocess, as a clerk's script would."""
    full_env = dict(os.environ)
    full_env.update({"UNIONDESK_HOME": str(home), "UNIONDESK_NO_QSETTINGS": "1", "QT_QPA_PLATFORM": "offscreen"})
    full_env.pop("UNIONDESK_DATABASE_URL", None)
    if env:
        full_env.update(env)
    cmd = [sys.executable, "-m", "desktop", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout, check=False)


def closed_demo_database(path: Path, size: int) -> Path:
    """A database file at ``path`` holding ``size`` demo workers, closed again (no lock held)."""
    from desktop import demo
    from desktop.context import open_app

    app = open_app(str(path), daily_backup=False)
    demo.create(app.db, size=size)
    app.close()
    return path


def add_workers(session: Any, employer: Any, *people: str | dict[str, Any], **common: Any) -> dict[str, int]:
    """Workers of ``employer`` with valid ID numbers (seq 1, 2, … in order): each a name, or a dict of
    its own fields (``name`` among them); ``common`` fields go to all. Their ids by name."""
    from db.models.core.registers import Worker

    ids = {}
    for i, person in enumerate(people):
        own = {"name": person} if isinstance(person, str) else person
        w = Worker(id_number=valid_id(seq=i + 1), employer=employer, **common, **own)
        session.add(w)
        session.flush()
        ids[w.name] = w.id
    return ids


def quiet(widget: Any, warnings: list[str] | None = None) -> Any:
    """A tab or page that asks nothing: its warnings are dropped (or kept in ``warnings``), its
    confirmations answered yes."""
    widget.warn = (lambda title, text: None) if warnings is None else (lambda title, text: warnings.append(text))
    widget.confirm = lambda title, text: True
    return widget


def submit(dlg: Any, **values: Any) -> Any:
    """Fill a form dialog's fields as the clerk would and click 确定; the dialog comes back to look at."""
    assert dlg is not None
    for key, value in values.items():
        dlg.set(key, value)
    dlg.accept()
    return dlg


def race(app: Any, first: Any, second: Any) -> list[object]:
    """Two clerks at once: ``first(session)`` holds its transaction open a moment after its write
    while ``second(session)`` starts. Returns what each gave back, or the ValidationError raised."""
    import threading
    import time

    from db.errors import ValidationError

    out: list[object] = [None, None]
    started = threading.Event()

    def one() -> None:
        with app.db.session() as s:
            out[0] = first(s)
            started.set()
            time.sleep(0.6)  # still uncommitted while the other clerk writes

    def two() -> None:
        started.wait(10)
        try:
            with app.db.session() as s:
                out[1] = second(s)
        except ValidationError as exc:
            out[1] = exc

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out
