"""Issue 12: certificates read back from the PDF (pymupdf lines) as a county official reads them.

Every built-in template, with a 12-character name, a 40-character unit, a team prize, the demo
competition's wording and the red-craftsman deed: no name split across lines, no line starting
with closing punctuation or ending with opening punctuation, the unit once, the team prize said
团体, no word of the template split, no last line under three characters.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pymupdf
import pytest

from reports.certificates import Template, builtin_templates
from reports.certificates.render import render_certificates
from reports.fonts import FontSet
from reports.linebreak import NO_END, NO_START, SOFT

PT_PER_MM = 72 / 25.4
PUNCT = NO_START | NO_END | {"\u3000", " "}
UNIT_40 = "宁海县跃龙街道城东社区股份经济合作社附属精密机械零部件加工制造有限责任公司二分厂"
TITLE = "二〇二六年宁海县职工职业技能竞赛"
BASE = {"issuer": "宁海县总工会", "date": date(2026, 5, 1), "serial": "UD-2026-JS-00011"}
RECORDS = [
    {**BASE, "name": "阿卜杜·热合曼·买买提依", "unit": UNIT_40, "award": "二等奖",
     "event": TITLE + SOFT + "电工（高级工）项目"},
    {**BASE, "name": "张云俊", "unit": "宁波恒拓五金工具有限公司", "team": "宁波恒拓五金工具有限公司工会",
     "award": "团体一等奖", "event": TITLE + SOFT + "数控铣工项目", "verify": "UD-2026-JS-00011.A1B2C3"},
    {**BASE, "name": "王素兰", "unit": "宁波舜威精密模具有限公司", "award": "三等奖",
     "event": TITLE + SOFT + "数控铣工项目"},
    {**BASE, "name": "张三", "unit": "宁海县第一医院", "deed": "被确定为二〇二六年度“红色工匠”培育对象"},
]
WORDS = ("数控铣工项目", "电工（高级工）项目", "特发此证", "特发此状", "以资鼓励", "“红色工匠”", "培育对象",
         "团体一等奖", "二等奖", "三等奖", "修完全部课程", "准予结业", "证书编号", "校验码")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, fontset: FontSet) -> dict[str, tuple[Template, Path]]:
    assert len(RECORDS[0]["name"]) == 12 and len(UNIT_40) == 40  # type: ignore[arg-type]
    out = {}
    folder = tmp_path_factory.mktemp("typeset")
    for key, t in builtin_templates().items():
        if t.collective:  # addressed to units: tests/certificates/test_collective.py
            continue
        path = folder / f"{key}.pdf"
        render_certificates(t, RECORDS, path, fonts=fontset)
        out[key] = (t, path)
    return out


def visual_lines(page: pymupdf.Page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The page's lines as a reader sees them: pymupdf's lines on one baseline joined when the
    gap between them is under two ems (a spaced name 张　三 is one line), whitespace dropped."""
    raw = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(s["text"] for s in line["spans"])
            size = max(s["size"] for s in line["spans"])
            raw.append((round(line["spans"][0]["origin"][1], 1), line["bbox"], text, size))
    raw.sort(key=lambda r: (r[0], r[1][0]))
    out: list[tuple[str, list[float], float]] = []
    for base, bbox, text, size in raw:
        if out and abs(out[-1][2] - base) < 0.5 and bbox[0] - out[-1][1][2] < 2 * size:
            prev = out[-1]
            out[-1] = (prev[0] + text, [prev[1][0], min(prev[1][1], bbox[1]), bbox[2], max(prev[1][3], bbox[3])],
                       base)
        else:
            out.append((text, list(bbox), base))
    return [("".join(t.split()), (b[0], b[1], b[2], b[3])) for t, b, _ in out if t.strip()]


def _pages(rendered: dict[str, tuple[Template, Path]]):  # type: ignore[no-untyped-def]
    for key, (t, path) in rendered.items():
        with pymupdf.open(path) as doc:
            for i, page in enumerate(doc):
                yield key, t, RECORDS[i], visual_lines(page), "".join(page.get_text().split())


def test_names_are_never_split_and_stand_on_their_own_line(rendered: dict[str, tuple[Template, Path]]) -> None:
    for key, _t, record, lines, _ in _pages(rendered):
        name = str(record["name"])
        holders = [text for text, _ in lines if name in text]
        assert holders == [f"{name}同志："], (key, name, [t for t, _ in lines])


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(
        rendered: dict[str, tuple[Template, Path]]) -> None:
    for key, _t, _record, lines, _ in _pages(rendered):
        for text, _ in lines:
            assert text[0] not in NO_START and text[-1] not in NO_END, (key, text)


def test_the_unit_once_and_the_team_prize_said_team(rendered: dict[str, tuple[Template, Path]]) -> None:
    for key, _t, record, lines, text in _pages(rendered):
        unit = str(record["unit"])
        assert text.count(unit) == 1, (key, unit, text)
        if record.get("team"):
            assert text.count(str(record["team"])) == 1
            assert [line for line, _ in lines if line.startswith(str(record["team"]))] == [str(record["team"])]
            if key != "completion":
                assert "荣获团体一等奖" in text, (key, text)
        assert "competitions" not in text and "red_craftsman" not in text


def test_template_words_and_values_are_not_split(rendered: dict[str, tuple[Template, Path]]) -> None:
    for key, _t, _record, lines, text in _pages(rendered):
        for word in WORDS:
            if word in text:
                assert any(word in line for line, _ in lines), (key, word, [t for t, _ in lines])


def test_wording_of_competition_and_red_craftsman(rendered: dict[str, tuple[Template, Path]]) -> None:
    texts = {(key, record["name"]): text for key, _t, record, _lines, text in _pages(rendered)}
    assert f"在{TITLE}数控铣工项目中荣获三等奖，特发此证，以资鼓励。" in texts[("honour", "王素兰")]
    assert f"在{TITLE}数控铣工项目中荣获三等奖，特发此状，以资鼓励。" in texts[("merit", "王素兰")]
    assert "被确定为二〇二六年度“红色工匠”培育对象，特发此证，以资鼓励。" in texts[("award", "张三")]
    assert f"参加{TITLE}数控铣工项目，修完全部课程，成绩合格，准予结业。" in texts[("completion", "王素兰")]
    assert "修完全部课程" in texts[("completion", "张三")] and "参加，" not in texts[("completion", "张三")]
    assert "校验码：UD-2026-JS-00011.A1B2C3" in texts[("honour", "张云俊")]
    assert "校验码" not in texts[("honour", "王素兰")]  # no code: the bracketed part vanishes


def test_last_lines_of_paragraphs_hold_three_characters(rendered: dict[str, tuple[Template, Path]]) -> None:
    for key, t, _record, lines, _ in _pages(rendered):
        body = t.get_field("body")
        assert body is not None
        top, bottom = body.y * PT_PER_MM - 1, (body.y + body.h) * PT_PER_MM + 1
        inside = [text for text, bbox in lines if top <= bbox[1] and bbox[3] <= bottom]
        assert len(inside) >= 2
        for text in inside:
            assert sum(ch not in PUNCT for ch in text) >= 3, (key, inside)


def test_name_field_is_larger_than_the_body_and_unit_smaller(rendered: dict[str, tuple[Template, Path]]) -> None:
    t, path = rendered["honour"]
    with pymupdf.open(path) as doc:
        sizes = {}
        for block in doc[0].get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    sizes["".join(span["text"].split())[:3]] = span["size"]
    name, unit, body = t.get_field("name"), t.get_field("unit"), t.get_field("body")
    assert name is not None and unit is not None and body is not None
    assert name.role == "name" and not name.wrap and name.size > body.size > unit.size
    assert sizes["阿卜杜"] == pytest.approx(name.size)  # 12 characters at full size


def test_two_character_name_spaced_but_extracts_as_one_word(rendered: dict[str, tuple[Template, Path]]) -> None:
    _t, path = rendered["honour"]
    with pymupdf.open(path) as doc:
        page = doc[3]
        spans = [s for b in page.get_text("dict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]]
        zhang = next(s for s in spans if s["text"].startswith("张"))
        san = next(s for s in spans if "三同志" in s["text"])
        gap = san["bbox"][0] - zhang["bbox"][0] - zhang["size"]
        assert gap == pytest.approx(zhang["size"], abs=1.0)  # a full-width gap: 张　三
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext not found: sudo apt install poppler-utils")
    raw = subprocess.run([pdftotext, "-raw", "-f", "4", "-l", "4", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    assert "张三同志：" in raw.split()  # /ActualText: one word, no space
