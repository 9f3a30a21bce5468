"""The family per role stored in the database (font.<role>) and used when certificates are
issued; the settings page lists the families with a preview drawn in each (issue 12, item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db.errors import ValidationError
from desktop import fonts as desktop_fonts
from reports.fonts import FontMissing, find_fonts, list_families


@pytest.fixture
def wenkai_mono() -> str:
    try:
        find_fonts()
    except FontMissing:
        pytest.skip("no CJK TrueType font on this machine")
    if not any(f.name == "LXGW WenKai Mono" for f in list_families()):
        pytest.skip("needs LXGW WenKai Mono (fonts-lxgw-wenkai)")
    return "LXGW WenKai Mono"


def test_choice_round_trip_and_used_for_printing(app_ctx: Any, wenkai_mono: str) -> None:
    assert desktop_fonts.load(app_ctx) == {}
    desktop_fonts.save(app_ctx, {"name": wenkai_mono, "body": ""})
    assert desktop_fonts.load(app_ctx) == {"name": wenkai_mono}
    fs = desktop_fonts.fontset(app_ctx)
    assert Path(fs.name.path).name == "LXGWWenKaiMono-Regular.ttf"
    desktop_fonts.save(app_ctx, {"name": ""})
    assert desktop_fonts.load(app_ctx) == {}
    with pytest.raises(ValidationError):
        desktop_fonts.save(app_ctx, {"colour": "x"})


def test_issuing_prints_in_the_chosen_family(app_ctx: Any, wenkai_mono: str, tmp_path: Path) -> None:
    import pymupdf

    from desktop.certificates.issuing import issue_and_render

    desktop_fonts.save(app_ctx, {"name": wenkai_mono, "body": wenkai_mono, "title": wenkai_mono})
    out = tmp_path / "c.pdf"
    issue_and_render(app_ctx, "honour", [{"name": "王建国", "unit": "宁海县第一职业中学", "award": "一等奖",
                                          "event": "电工项目", "programme": "general"}], out)
    with pymupdf.open(out) as doc:
        fonts = {f[3].split("+")[-1] for f in doc[0].get_fonts()}
    assert fonts and all("LXGWWenKaiMono" in f for f in fonts), fonts


def test_settings_page_lists_families_with_previews(app_ctx: Any, wenkai_mono: str, qtbot: Any) -> None:
    from ui.dialogs.font_settings import FontPage

    page = FontPage(app_ctx)
    qtbot.addWidget(page)
    combo = page.combos["name"]
    index = combo.findData(wenkai_mono)
    assert index > 0 and "霞鹜文楷等宽" in combo.itemText(index)
    combo.setCurrentIndex(index)
    preview = page.previews["name"]
    assert preview.text() == desktop_fonts.PREVIEW
    assert "WenKai" in preview.font().family()
    assert page.to_save() == {"name": wenkai_mono}
    page.save()
    assert desktop_fonts.load(app_ctx) == {"name": wenkai_mono}
