"""The installer script compiles with makensis, and the frozen program's entry survives a
windowed start (no console: ``sys.stdout`` is None). The full frozen build is `.ci/frozen`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "desktop" / "installer" / "uniondesk.nsi"


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        pytest.skip("makensis (Debian: nsis) is not installed; .ci/run installs it")
    return found


def compile_script(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([makensis(), "-V2", "-INPUTCHARSET", "UTF8", *defines, str(SCRIPT)],
                          capture_output=True, text=True, cwd=tmp_path)


def test_the_installer_script_compiles_over_a_program_folder(tmp_path: Path) -> None:
    folder = tmp_path / "UnionDesk"
    (folder / "_internal" / "resources").mkdir(parents=True)
    for name in ("UnionDesk.exe", "UnionDesk-cli.exe", "_internal/resources/style.qss"):
        (folder / name).write_text("x", encoding="utf-8")
    out = tmp_path / f"UnionDesk-{__version__}-setup.exe"
    done = compile_script(tmp_path, f"-DVERSION={__version__}", f"-DSOURCE_DIR={folder}", f"-DOUT_FILE={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000
    assert "warning" not in done.stdout.lower(), done.stdout


def test_the_installer_script_refuses_to_build_without_a_version(tmp_path: Path) -> None:
    done = compile_script(tmp_path, f"-DSOURCE_DIR={tmp_path}")
    assert done.returncode != 0 and "-DVERSION" in done.stdout + done.stderr


def test_installer_facts_match_the_program() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in text and '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\UnionDesk"' in text
    # the data folder the uninstaller offers to remove is the one the program uses on Windows:
    # platformdirs puts user_data_dir(appname, appauthor) at %LOCALAPPDATA%\\appauthor\\appname
    assert 'user_data_dir("UnionDesk", "UnionDesk", roaming=False)' in (ROOT / "desktop" / "paths.py").read_text()
    assert '!define DATA_DIR "$LOCALAPPDATA\\UnionDesk\\UnionDesk"' in text


def test_a_windowed_start_without_a_console_still_answers(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.__main__ import main

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["--version"]) == 0
    assert sys.stdout is not None and sys.stderr is not None
