"""Serials carry the programme's short code, never its key: UD-2026-JS-00001, previews
UD-2026-JS-（预览）, MD for a spreadsheet list (issue 12, item 3)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from desktop import registry
from desktop.certificates import issuing as certs
from desktop.certificates import serials
from desktop.context import App


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_codes_come_from_the_registry() -> None:
    assert serials.code_of("competitions") == "JS" == registry.serial_code("competitions")
    assert serials.code_of("red_craftsman") == "HS" and serials.code_of("mentoring") == "ST"
    assert serials.code_of(serials.GENERAL) == "MD" and serials.code_of(None) == "MD"
    assert serials.code_of("JS") == "JS"  # a code is a code
    assert serials.code_of("no_such_programme") == "QT"
    assert certs.format_serial("UD", 2026, "competitions", 11) == "UD-2026-JS-00011"
    assert certs.format_serial("NH", 2026, "general", 123456) == "NH-2026-MD-123456"
    assert certs.preview_serial("UD", 2026, "competitions") == "UD-2026-JS-（预览）"


def test_previews_and_printed_records_carry_no_programme_key() -> None:
    records = [{"name": "张三", "award": "一等奖", "event": "焊工项目", "programme": key, "date": date(2026, 5, 1),
                "source_ref": f"{key}:entry:1"} for key in ("competitions", "red_craftsman", "general")]
    previews = certs.preview_records(records, {"serial_prefix": "UD"})
    assert [p["serial"] for p in previews] == ["UD-2026-JS-（预览）", "UD-2026-HS-（预览）", "UD-2026-MD-（预览）"]
    for p in previews:
        assert not any(key in str(v) for v in p.values() for key in ("competitions", "red_craftsman", "general"))


def test_a_batch_prints_only_codes(app_ctx: App, tmp_path: Path) -> None:
    records = [{"name": n, "unit": "跃龙模具", "award": "一等奖", "event": "焊工项目", "programme": key,
                "date": date(2026, 5, 1), "source_ref": f"{key}:x:{i}"}
               for i, (n, key) in enumerate((("张三", "competitions"), ("李四", "red_craftsman"), ("王五", "general")))]
    done = certs.issue_and_render(app_ctx, "honour", records, tmp_path / "a.pdf")
    assert done.serials == ["UD-2026-JS-00001", "UD-2026-HS-00001", "UD-2026-MD-00001"]
    text = pdf_text(tmp_path / "a.pdf")
    assert all(s in text for s in done.serials)
    assert not any(key in text for key in ("competitions", "red_craftsman", "general"))
    preview = tmp_path / "p.pdf"
    certs.render_preview(app_ctx, "honour", records, preview)
    text = pdf_text(preview)
    assert "UD-2026-JS-（预览）" in "".join(text.split()) and "competitions" not in text
