"""Errors the data layer raises with a Chinese message a clerk can act on."""

from __future__ import annotations


class ValidationError(ValueError):
    """A value a clerk typed or imported is not acceptable.

    ``code`` is stable (CLI.md: ``id_checksum``, ``name_length``...); ``message`` is Chinese.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DatabaseProblem(RuntimeError):
    """The database cannot be used as asked (locked, read-only, corrupt, newer, full disk...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

