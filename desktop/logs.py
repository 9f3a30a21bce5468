"""Logging to a rotating file in the data folder.

Two safeguards sit on the root handler, whoever logs:

* :class:`MaskingFilter` masks ID-shaped and mobile-shaped numbers in every record (its
  message, its arguments, its traceback and stack), and a database error's traceback is
  written without its SQL and bound parameters. It is the last line of defence: the code
  that logs should not pass whole numbers in the first place.
* The handlers' ``handleError`` stays silent on an ``OSError`` (a full or read-only disk):
  the clerk's console never gets a ``--- Logging error ---`` traceback, and the command's
  own Chinese message is what they see.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import traceback
from types import TracebackType
from typing import Any

from db.privacy import mask_numbers
from desktop.paths import log_file

_configured = False
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SQL_HIDDEN = "[SQL 语句和参数不记入日志]"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


_SQL_BLOCKS = (
    # SQLAlchemy's own text of a statement error, when someone formatted one into a message
    re.compile(r"\n?\[SQL: .*?\](?=\n\[(?:parameters|SQL parameters)|\n\(Background|\s*$)", re.S),
    re.compile(r"\n?\[(?:SQL )?parameters[: ].*?\](?=\n\(Background|\s*$)", re.S),
    re.compile(r"\n?\(Background on this error at: [^)]*\)"),
)


def strip_sql(text: str) -> str:
    """``text`` without the SQL, parameters and link SQLAlchemy writes into an error's text."""
    if "[SQL" not in text and "Background on this error" not in text and "parameters" not in text:
        return text
    for pattern in _SQL_BLOCKS:
        text = pattern.sub(f" {SQL_HIDDEN}" if pattern is _SQL_BLOCKS[0] else "", text)
    return text


def _exception_line(exc: BaseException) -> str:
    """The last line of a traceback: the type and the message, a database error without SQL."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__"):
        name = f"{module}.{name}"
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError):
        orig = exc.orig
        first = (str(orig).strip().splitlines() or [""])[0] if orig is not None else ""
        inner = f"({type(orig).__module__}.{type(orig).__qualname__}) {first}" if orig is not None else ""
        return f"{name}: {inner} {SQL_HIDDEN}".replace(":  ", ": ")
    try:
        text = str(exc)
    except Exception:
        text = "<无法显示>"
    return f"{name}: {text}" if text else name


def safe_traceback(exc: BaseException, _seen: set[int] | None = None) -> str:
    """The whole chained traceback, as ``traceback.format_exception`` writes it, except that a
    database error shows no SQL or parameters; ID and phone numbers are masked."""
    seen = _seen if _seen is not None else set()
    seen.add(id(exc))
    parts: list[str] = []
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        parts.append(safe_traceback(cause, seen))
        parts.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        parts.append(safe_traceback(context, seen))
        parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.__traceback__ is not None:
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
    parts.append(_exception_line(exc) + "\n")
    return mask_numbers("".join(parts))


class MaskingFilter(logging.Filter):
    """Rewrites each record: message formatted and masked, traceback made safe and masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._mask(record)
        except Exception:
            record.msg, record.args = "（日志内容无法安全显示，已略去）", ()
            record.exc_info, record.exc_text = None, None
        return True

    @staticmethod
    def _mask(record: logging.LogRecord) -> None:
        args: Any = record.args
        if isinstance(args, tuple):
            args = tuple(_safe_arg(a) for a in args)
        elif isinstance(args, dict):
            args = {k: _safe_arg(v) for k, v in args.items()}
        record.args = args
        message = record.getMessage() if args else str(record.msg)
        record.msg, record.args = mask_numbers(strip_sql(message)), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1]).rstrip("\n")
        elif record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)


def _safe_arg(value: Any) -> Any:
    if isinstance(value, BaseException):
        return _exception_line(value)
    if isinstance(value, str):
        return mask_numbers(strip_sql(value))
    return value


class MaskingFormatter(logging.Formatter):
    """Formats as usual, then masks what came out (the filter did the record's parts)."""

    def formatException(self, ei: Any) -> str:
        if ei and ei[1] is not None:
            return safe_traceback(ei[1]).rstrip("\n")
        return mask_numbers(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        return mask_numbers(strip_sql(super().format(record)))


class _QuietOnDiskErrors:
    """``handleError`` without the ``--- Logging error ---`` traceback for an OSError."""

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return  # a full or read-only disk: the record is lost, the program goes on
        super().handleError(record)  # type: ignore[misc]


class SafeFileHandler(_QuietOnDiskErrors, logging.handlers.RotatingFileHandler):
    pass


class SafeStreamHandler(_QuietOnDiskErrors, logging.StreamHandler):  # type: ignore[type-arg]
    pass


def make_handler(handler: logging.Handler) -> logging.Handler:
    """``handler`` with the masking filter and formatter."""
    handler.setFormatter(MaskingFormatter(FORMAT))
    handler.addFilter(MaskingFilter())
    return handler


def setup(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        handler: logging.Handler = SafeFileHandler(log_file(), maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:  # a read-only data folder must not stop the program
        handler = SafeStreamHandler(sys.stderr)
    root.addHandler(make_handler(handler))
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
