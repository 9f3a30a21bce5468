"""``python -m desktop``: the GUI; ``python -m desktop COMMAND``: a job without widgets."""

from __future__ import annotations

import gc
import os
import sys


def split_db(args: list[str]) -> tuple[str | None, list[str]]:
    """The ``--db`` value (anywhere) and the other arguments."""
    db, rest = None, []
    it = iter(args)
    for a in it:
        if a == "--db":
            db = next(it, None)
        elif a.startswith("--db="):
            db = a.split("=", 1)[1]
        else:
            rest.append(a)
    return db, rest


def main(argv: list[str] | None = None) -> int:
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:  # the windowed UnionDesk.exe started without a console
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    args = sys.argv[1:] if argv is None else argv
    db, rest = split_db(args)
    if rest:  # a command, --version, --help or a bad word: the CLI answers (exit 2 for bad usage)
        if argv is None:  # this process runs the one command: its start-up is not collected over and over
            gc.disable()
        try:
            from desktop.cli.main import run
        finally:
            if argv is None:
                # the modules just loaded live as long as the process: the collector skips them from
                # now on (a few hundred thousand objects it would otherwise scan again and again)
                gc.freeze()
                # and collects the young objects less often: a job's rows and pages are kept to its
                # end anyway, and the cycles it drops are few (the oldest generation: rarely)
                gc.set_threshold(10_000, 10, 100)
                gc.enable()
        return run(args)
    from ui.app import run_gui  # the one place the GUI is wired in (lazily)

    return run_gui(db)


if __name__ == "__main__":
    sys.exit(main())
