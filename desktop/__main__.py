"""``python -m desktop``: the GUI; ``python -m desktop COMMAND``: a job without widgets."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from desktop.cli import COMMANDS, run

    wants_cli = any(a in COMMANDS or a in ("--version", "-h", "--help") for a in args)
    if wants_cli:
        return run(args)
    from ui.app import run_gui  # the one place the GUI is wired in (lazily)

    db = None
    if "--db" in args:
        i = args.index("--db")
        db = args[i + 1] if i + 1 < len(args) else None
    elif any(a.startswith("--db=") for a in args):
        db = next(a.split("=", 1)[1] for a in args if a.startswith("--db="))
    return run_gui(db)


if __name__ == "__main__":
    sys.exit(main())
