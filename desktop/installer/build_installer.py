"""Build the one-folder program (build.spec) and the installer (uniondesk.nsi), on Windows or Linux.

    python desktop/installer/build_installer.py            # dist/UnionDesk/ and dist/UnionDesk-X.Y.Z-setup.exe
    python desktop/installer/build_installer.py --no-nsis  # the folder only

Needs the ``build`` extra (PyInstaller) and NSIS's ``makensis`` (on PATH, in the usual
Windows folders, or named by ``MAKENSIS``). On Linux the installer packs the Linux folder:
it proves the script compiles and stands in for the Windows installer's size. Prints the
build times and sizes as ``BUILD name value`` lines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
FOLDER = DIST / "UnionDesk"
SCRIPT = ROOT / "desktop" / "installer" / "uniondesk.nsi"
ICON = ROOT / "build" / "uniondesk.ico"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from desktop import __version__

    return __version__


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def find_makensis() -> str | None:
    candidates = [os.environ.get("MAKENSIS"), shutil.which("makensis")]
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base:
            candidates.append(str(Path(base) / "NSIS" / "makensis.exe"))
    return next((c for c in candidates if c and Path(c).is_file()), None)


def run(cmd: list[str]) -> float:
    print("+", " ".join(cmd), flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-nsis", action="store_true", help="build the folder only")
    args = parser.parse_args(argv)

    seconds = run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                   str(ROOT / "build.spec")])
    exe = FOLDER / ("UnionDesk.exe" if sys.platform == "win32" else "UnionDesk")
    if not exe.is_file():
        print(f"PyInstaller did not produce {exe}", file=sys.stderr)
        return 1
    print(f"BUILD pyinstaller_seconds {seconds:.1f}")
    print(f"BUILD folder_mb {folder_size(FOLDER) / 2**20:.1f}")
    if args.no_nsis:
        return 0

    makensis = find_makensis()
    if makensis is None:
        print("makensis not found: install NSIS (Windows: https://nsis.sourceforge.io, Debian: apt install nsis) "
              "or set MAKENSIS", file=sys.stderr)
        return 1
    ver = version()
    out = DIST / f"UnionDesk-{ver}-setup.exe"
    # makensis takes -D options as "/D" on Windows too; the dash form works on both.
    cmd = [makensis, "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={ver}", f"-DSOURCE_DIR={FOLDER}",
           f"-DOUT_FILE={out}"]
    if ICON.is_file():
        cmd.append(f"-DICON={ICON}")
    seconds = run([*cmd, str(SCRIPT)])
    print(f"BUILD makensis_seconds {seconds:.1f}")
    print(f"BUILD installer_mb {out.stat().st_size / 2**20:.1f} {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
