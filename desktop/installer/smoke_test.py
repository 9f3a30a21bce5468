"""Run the frozen program (dist/UnionDesk) the way a clerk and the county's scripts would.

    python desktop/installer/smoke_test.py [dist/UnionDesk]

Uses a fresh per-user data folder (on Linux through XDG_DATA_HOME, so the default path that
platformdirs computes is the one exercised; on Windows the runner's own %LOCALAPPDATA%),
and checks, each step timed and printed:
- a database of the first release, migrated by the frozen program after a backup;
- ``--version`` from both programs (the console one and the windowed one);
- ``demo`` on the default database, created and migrated from nothing inside the bundle;
- ``check``, ``competitions --json``, ``certificates --competition 1`` (a real PDF whose
  text pdftotext can read when poppler is installed), a report in PDF and Excel;
- ``screenshot`` offscreen, and the windowed program's start-up under the probe;
- the data, the logs and the backups are in the data folder; nothing was written into the
  program folder. Exit 0 when every step passed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXE = ".exe" if sys.platform == "win32" else ""


class Failed(Exception):
    pass


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


class Smoke:
    def __init__(self, folder: Path, work: Path) -> None:
        self.folder = folder
        self.work = work
        self.cli = folder / f"UnionDesk-cli{EXE}"
        self.gui = folder / f"UnionDesk{EXE}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("UNIONDESK_")}
        self.env.update(UNIONDESK_NO_QSETTINGS="1", QT_QPA_PLATFORM="offscreen")
        if sys.platform == "win32":
            self.data = Path(os.environ["LOCALAPPDATA"]) / "UnionDesk" / "UnionDesk"
        else:
            self.env["XDG_DATA_HOME"] = str(work / "xdg")
            self.data = work / "xdg" / "UnionDesk"
        if self.data.exists():
            raise Failed(f"the data folder {self.data} already exists: this test wants a fresh one")
        self.steps: list[tuple[str, float]] = []

    def run(self, name: str, args: list[str], *, exe: Path | None = None, code: int = 0,
            extra_env: dict[str, str] | None = None) -> str:
        started = time.perf_counter()
        proc = subprocess.run([str(exe or self.cli), *args], env={**self.env, **(extra_env or {})},
                              capture_output=True, timeout=300, cwd=self.work)
        seconds = time.perf_counter() - started
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != code:
            raise Failed(f"{name}: exit {proc.returncode} (wanted {code})\nstdout:\n{out}\nstderr:\n{err}")
        for bad in ("Traceback", "ModuleNotFoundError", "ImportError", "FileNotFoundError"):
            if bad in out or bad in err:
                raise Failed(f"{name}: {bad} in the output\n{out}\n{err}")
        self.steps.append((name, seconds))
        print(f"SMOKE {name} ok {seconds:.2f}s", flush=True)
        return out

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise Failed(what)

    def all(self) -> None:
        from desktop import __version__

        before = snapshot(self.folder)
        out = self.run("version", ["--version"])
        self.check(out.strip() == f"UnionDesk {__version__}", f"--version printed {out!r}")
        gui_out = self.run("version_gui", ["--version"], exe=self.gui)
        if sys.platform != "win32":  # the windowed .exe has no console to print into
            self.check(gui_out.strip() == out.strip(), "GUI --version")

        self.run("demo", ["demo"])
        database = self.data / "uniondesk.sqlite3"
        self.check(database.is_file(), f"demo did not create the default database {database}")
        self.run("check", ["check"])
        competitions = json.loads(self.run("competitions", ["competitions", "--json"]))
        self.check(bool(competitions), "the demo data has no competition")

        pdf = self.work / "certificates.pdf"
        result = json.loads(self.run("certificates", ["certificates", "--competition", str(competitions[0]["id"]),
                                                      "--out", str(pdf), "--json"]))
        self.check(result["pages"] > 0 and pdf.read_bytes().startswith(b"%PDF"), f"certificates: {result}")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
            self.check("证" in text and "总工会" in text, f"the certificate text does not read back: {text[:200]!r}")

        # Certificates addressed to units (牌匾) from a programme's source, on last year's ratings.
        plaques = self.work / "plaques.pdf"
        last_year = str(datetime.date.today().year - 1)
        result = json.loads(self.run("plaques", ["certificates", "--source", "star_unions", "--year", last_year,
                                                 "--out", str(plaques), "--json"]))
        self.check(result["pages"] > 0 and plaques.read_bytes().startswith(b"%PDF"), f"plaques: {result}")

        # A 派工单 (the case core, a document of its own) and the dispute ledger as a workbook.
        demands = json.loads(self.run("help_desk", ["help-desk", "--json"]))
        self.check(bool(demands) and all(d["number"].count("-BB-") == 1 for d in demands), "no help-desk demands")
        slip = self.work / "slip.pdf"
        self.run("dispatch_slip", ["report", "help_desk.slip", "--param", f"demand={demands[0]['id']}",
                                   "--out", str(slip)])
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(slip), "-"], capture_output=True, check=True).stdout.decode()
            self.check("派工单" in text and demands[0]["number"] in text, f"the slip does not read back: {text[:200]!r}")
        self.check(bool(json.loads(self.run("disputes", ["disputes", "--json"]))), "no disputes in the demo data")
        self.run("dispute_ledger", ["report", "disputes.ledger", "--out", str(self.work / "ledger.xlsx")])

        self.run("report_pdf", ["report", "workers.roster", "--out", str(self.work / "roster.pdf")])
        self.run("report_xlsx", ["report", "workers.roster", "--out", str(self.work / "roster.xlsx")])
        with zipfile.ZipFile(self.work / "roster.xlsx") as book:
            self.check("xl/workbook.xml" in book.namelist(), "the roster workbook is not a workbook")

        # Accounts and keys inside the bundle (argon2-cffi, cryptography), on a database of their own
        # so the window below still starts without a sign-in.
        guarded = str(self.work / "accounts.sqlite3")
        self.run("accounts_demo", ["demo", "--size", "30", "--db", guarded])
        secrets = {"UNIONDESK_NEW_PASSWORD": "smoke-test-42", "UNIONDESK_PASSWORD": "smoke-test-42",
                   "UNIONDESK_BACKUP_PASSWORD": "stick-password-7"}
        self.run("accounts_add", ["accounts", "add", "boss", "--role", "admin", "--db", guarded], extra_env=secrets)
        self.run("accounts_no_user", ["export", "workers", str(self.work / "w.xlsx"), "--db", guarded], code=2)
        sheet = self.work / "recovery.pdf"
        self.run("recovery_sheet", ["--user", "boss", "recovery-sheet", "--out", str(sheet), "--db", guarded],
                 extra_env=secrets)
        self.check(sheet.read_bytes().startswith(b"%PDF"), "the recovery sheet is not a PDF")
        stick = self.work / "stick"
        stick.mkdir()
        self.run("backup_password", ["--user", "boss", "backup", str(stick), "--password", "--db", guarded],
                 extra_env=secrets)
        self.check(any(p.suffix == ".encrypted" for p in stick.iterdir()), "no encrypted backup on the stick")
        self.run("accounts_check", ["check", "--db", guarded])

        # A database left by the first release: the frozen program backs it up and migrates it
        # with the Alembic scripts inside the bundle.
        old = self.work / "old.sqlite3"
        from sqlalchemy import create_engine

        from db import migrate

        engine = create_engine(f"sqlite:///{old}")
        migrate.upgrade(engine, "0001")
        engine.dispose()
        self.run("upgrade", ["--db", str(old), "competitions", "--json"])
        with sqlite3.connect(old) as conn:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        self.check(revision == migrate.HEAD, f"the old database is at {revision}, not {migrate.HEAD}")
        self.check(any("upgrade" in p.name for p in (self.data / "backups").iterdir()), "no backup before the upgrade")

        shot = self.work / "window.png"
        self.run("screenshot", ["screenshot", str(shot), "--tab", "competitions"])
        self.check(shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000, "screenshot")
        shot = self.work / "honours.png"  # its tool buttons draw icons with QtSvg
        self.run("screenshot_honours", ["screenshot", str(shot), "--tab", "honours"])
        self.check(shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000, "honours screenshot")

        probe = self.run("gui_start", [], exe=self.gui, extra_env={"UNIONDESK_PROBE": "1"})
        if sys.platform != "win32":
            self.check("PROBE painted" in probe and "PROBE rows" in probe,
                       f"the window did not report its start-up: {probe!r}")
            self.check("PROBE qt_chinese 1.000000" in probe, f"Qt's Chinese translations were not found: {probe!r}")

        self.check((self.data / "logs").is_dir() and any((self.data / "logs").iterdir()), "no log in the data folder")
        self.check((self.data / "backups").is_dir(), "no backups folder in the data folder")
        after = snapshot(self.folder)
        self.check(after == before, f"files written into the program folder: {sorted(set(after) ^ set(before))[:10]}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else ROOT / "dist" / "UnionDesk"
    if not (folder / f"UnionDesk-cli{EXE}").is_file():
        print(f"no frozen program in {folder}: run desktop/installer/build_installer.py first", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="uniondesk-smoke-") as tmp:
        try:
            Smoke(folder.resolve(), Path(tmp)).all()
        except Failed as exc:
            print(f"SMOKE FAILED {exc}", file=sys.stderr)
            return 1
    print(f"SMOKE all ok {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
