"""Certificates: templates as data (:mod:`.template`) and the PDF renderer (:mod:`.render`).

No Qt, no database: callers hand in a :class:`~.model.Template` and plain records holding the
placeholders' values (:mod:`.variables`: ``name``, ``unit``, ``award``, ``event``, ``team``,
``issuer``, ``date``, ``serial``, ``verify`` and any extra ones). Importing this package is
cheap; ReportLab loads with :mod:`.render`.
"""

from __future__ import annotations

from .template import (
    Background,
    QrBox,
    Template,
    TemplateError,
    TextField,
    all_templates,
    builtin_templates,
    load_template,
    save_template,
)
from .variables import PLACEHOLDERS, SAMPLE_RECORD, VARIABLES, Variable, sample_record

__all__ = [
    "PLACEHOLDERS",
    "SAMPLE_RECORD",
    "VARIABLES",
    "Background",
    "QrBox",
    "Template",
    "TemplateError",
    "TextField",
    "Variable",
    "all_templates",
    "builtin_templates",
    "load_template",
    "sample_record",
    "save_template",
]
