"""Logging to a rotating file in the data folder."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from desktop.paths import log_file

_configured = False


def setup(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:  # a read-only data folder must not stop the program
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
