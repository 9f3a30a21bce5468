"""Certificates: templates as data (:mod:`.template`) and the PDF renderer (:mod:`.render`).

No Qt, no database: callers hand in a :class:`~.template.Template` and plain records
(``name``, ``unit``, ``award``, ``event``, ``team``, ``issuer``, ``date``, ``serial``,
``verify`` and any extra placeholders). Importing this package is cheap; ReportLab loads
with :mod:`.render`.
"""

from __future__ import annotations

from .template import (
    PLACEHOLDERS,
    SAMPLE_RECORD,
    Background,
    QrBox,
    Template,
    TemplateError,
    TextField,
    all_templates,
    builtin_templates,
    load_template,
    sample_record,
    save_template,
)

__all__ = [
    "PLACEHOLDERS",
    "SAMPLE_RECORD",
    "Background",
    "QrBox",
    "Template",
    "TemplateError",
    "TextField",
    "all_templates",
    "builtin_templates",
    "load_template",
    "sample_record",
    "save_template",
]
