"""Issue 12: a template the clerk saved under the old field layout (unit, team and name in one
field, version 1) is upgraded when loaded: an affiliation line over the name, in the same area,
with the clerk's size and colour; a version 2 file is read as written."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pymupdf
import pytest

from reports.certificates import load_template, save_template
from reports.certificates.render import render_certificates
from reports.fonts import FontMissing, find_fonts

OLD_FIELD = {"key": "salutation", "text": "{unit}[（{team}）]{name}同志：", "x": 42, "y": 69, "w": 213, "h": 16,
             "role": "name", "size": 26, "min_size": 16, "colour": "#123456", "align": "left", "spaced_name": True}
BODY = {"key": "body", "text": "　　在{event}中荣获{award}，特发此证，以资鼓励。", "x": 42, "y": 86, "w": 213, "h": 46,
        "size": 22, "min_size": 12, "align": "justify", "valign": "top", "leading": 1.8}


def _write(path: Path, **top: object) -> Path:
    data = {"key": "mine", "title": "我的荣誉证书", "landscape": True, "fields": [OLD_FIELD, BODY], **top}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_old_salutation_field_is_split_into_unit_and_name(tmp_path: Path) -> None:
    t = load_template(_write(tmp_path / "mine.json", version=1))
    assert [f.key for f in t.fields] == ["unit", "salutation", "body"]
    unit, name = t.fields[0], t.fields[1]
    assert unit.text == "{affiliation}" and name.text == "{name}同志："
    assert (unit.x, unit.w, name.x, name.w) == (42, 213, 42, 213)
    assert unit.y == 69 and unit.y + unit.h == pytest.approx(name.y) and name.y + name.h == pytest.approx(85)
    assert name.size == 26 and name.min_size == 16 and name.colour == unit.colour == "#123456"
    assert name.role == "name" and name.spaced_name and not name.wrap
    assert unit.role == "body" and unit.size < name.size
    # saved again: version 2, read back as saved (not split twice)
    save_template(t, tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["version"] == 2
    assert load_template(tmp_path / "again.json") == t
    # no version at all is an old file too
    assert [f.key for f in load_template(_write(tmp_path / "nov.json")).fields] == ["unit", "salutation", "body"]


def test_version_two_keeps_a_deliberate_combined_field(tmp_path: Path) -> None:
    t = load_template(_write(tmp_path / "v2.json", version=2))
    assert [f.key for f in t.fields] == ["salutation", "body"]


def test_upgraded_old_template_prints_a_team_prize_well(tmp_path: Path) -> None:
    try:
        fonts = find_fonts()
    except FontMissing:
        pytest.skip("no CJK TrueType font on this machine: sudo apt install fonts-lxgw-wenkai")
    t = load_template(_write(tmp_path / "mine.json", version=1))
    record = {"name": "张云俊", "unit": "宁波恒拓五金工具有限公司", "team": "宁波恒拓五金工具有限公司工会",
              "award": "团体一等奖", "event": "二〇二六年宁海县职工职业技能竞赛\u200b数控铣工项目",
              "issuer": "宁海县总工会", "date": date(2026, 5, 1)}
    path = tmp_path / "team.pdf"
    render_certificates(t, [record], path, fonts=fonts)
    with pymupdf.open(path) as doc:
        lines = ["".join(ln.split()) for ln in doc[0].get_text().splitlines() if ln.strip()]
    assert lines[0] == "宁波恒拓五金工具有限公司工会" and lines[1] == "张云俊同志："
    text = "".join(lines)
    assert text.count("宁波恒拓五金工具有限公司") == 1 and "荣获团体一等奖" in text
