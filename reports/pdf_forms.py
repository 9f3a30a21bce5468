"""One-page forms flowed with platypus (推荐表, 派工单): each record's story on a page of its own,
written atomically, with progress and cancelling like every long job."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate

from . import Cancelled, atomic_output
from .linebreak import patch_reportlab

T = TypeVar("T")


def write_forms_pdf(items: Sequence[T], story_of: Callable[[T], list[object]], path: str | os.PathLike[str], *,
                    title: str, author: str, top: float = 16 * mm, bottom: float = 14 * mm,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> int:
    """``story_of(item)`` for each item, a page break between them, into ``path``; the item count."""
    patch_reportlab()
    story: list[object] = []
    for i, item in enumerate(items):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if i:
            story.append(PageBreak())
        story += story_of(item)
        if progress is not None:
            progress(i + 1, len(items))
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=top,
                                bottomMargin=bottom, title=title, author=author or "工会工作台")
        doc.build(story)  # type: ignore[arg-type]
    return len(items)
