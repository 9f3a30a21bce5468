"""The certificate renderer and its templates (reports/certificates). No Qt, no database.

The PDFs are read back with poppler: ``pdffonts`` (every font an embedded TrueType subset,
no base-14 font), ``pdftotext`` (names, awards, 〇 dates and rare characters extract as the
same characters), ``pdftotext -bbox-layout`` (text stays inside its box; 套打 text sits at
the template's millimetres plus the printer offset), ``pdfinfo`` and ``pdftoppm``.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from reports import Cancelled
from reports.certificates import (
    PLACEHOLDERS,
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
from reports.certificates.layout import FLOOR_SIZE, NAME_GAP
from reports.certificates.qr import QUIET, qr_runs
from reports.certificates.render import Job, fill, render_calibration, render_certificates
from reports.fonts import FontMissing, FontSet, covers, fallback_names, find_fonts, register_fonts

RARE_HINT = "no font with the rare characters: sudo apt install fonts-hanazono"
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
PT_PER_MM = 72 / 25.4
RARE = ("𪚥", "𠮷", "䶮", "堃", "喆")  # U+2A6A5 (LXGW lacks it), U+20BB7, U+4DAE, U+5803, U+5586


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: sudo apt install poppler-utils")
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def _text(path: Path, *opts: str) -> str:
    return _run(_tool("pdftotext"), *opts, str(path), "-")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(path: Path) -> int:
    m = re.search(r"Pages:\s+(\d+)", _run(_tool("pdfinfo"), str(path)))
    assert m
    return int(m.group(1))


def _words(path: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in points from the page's top-left."""
    out = _run(_tool("pdftotext"), "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-")
    pat = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pat, out)]


def _page_streams(path: Path) -> list[bytes]:
    """The decompressed content streams of the pages (not of form XObjects, images or fonts)."""
    raw = path.read_bytes()
    out = []
    for obj in re.split(rb"\bendobj\b", raw):
        m = re.search(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", obj, re.S)
        if m is None or b"/Subtype" in m.group(1) or b"/Length1" in m.group(1):
            continue
        data = obj[m.end():obj.index(b"endstream", m.end())]
        data = zlib.decompress(data) if b"FlateDecode" in m.group(1) else data
        if b"begincmap" not in data:  # a font's ToUnicode map
            out.append(data)
    return out


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    return builtin_templates()


def record(**kw: object) -> dict[str, object]:
    r = sample_record()
    r.update(kw)
    return r


RECORDS = [
    record(name="张三", award="一等奖", serial="UD-2026-competitions-00001", verify="UD-2026-competitions-00001.A1B2C3"),
    record(name="欧阳明远", unit="宁海县跃龙模具有限公司", award="二等奖", serial="UD-2026-competitions-00002"),
    record(name="李小燕", award="优秀奖", date=date(2024, 10, 20), serial="UD-2026-competitions-00003"),
]


@pytest.fixture(scope="module")
def honour_pdf(tmp_path_factory: pytest.TempPathFactory, fontset: FontSet, templates: dict[str, Template]) -> Path:
    path = tmp_path_factory.mktemp("cert") / "honour.pdf"
    assert render_certificates(templates["honour"], RECORDS, path, fonts=fontset) == len(RECORDS)
    return path


# ---------------------------------------------------------------------- the PDF itself


def _check_fonts(path: Path) -> list[str]:
    rows = _run(_tool("pdffonts"), str(path)).splitlines()[2:]
    assert rows, "no fonts listed"
    for line in rows:
        assert not any(b in line for b in BASE14), f"base-14 font in the PDF: {line}"
        assert "TrueType" in line, line
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), f"font not embedded as a subset: {line}"
    return rows


def test_every_template_embeds_truetype_subsets_only(tmp_path: Path, fontset: FontSet,
                                                     templates: dict[str, Template]) -> None:
    for key, t in templates.items():
        path = tmp_path / f"{key}.pdf"
        render_certificates(t, RECORDS, path, fonts=fontset)
        _check_fonts(path)
        assert _pages(path) == len(RECORDS), key
        text = _squash(_text(path))
        assert "证书编号：UD-2026-competitions-00002" in text, key  # the serial on every built-in
        assert "宁海县跃龙街道总工会" in text and "二〇二六年五月一日" in text, key


def test_names_awards_and_dates_extract(honour_pdf: Path) -> None:
    assert _pages(honour_pdf) == 3
    for page, r in enumerate(RECORDS, start=1):
        text = _squash(_text(honour_pdf, "-f", str(page), "-l", str(page)))
        assert f"{r['name']}同志：" in text
        assert str(r["award"]) in text and str(r["event"]) in text
        assert "荣誉证书" in text
    text = _squash(_text(honour_pdf, "-f", "3", "-l", "3"))
    assert "二〇二四年十月二十日" in text  # 〇 is U+3007
    assert "\u3007" in text and "零" not in text


def test_pdf_marked_to_print_at_100_percent(honour_pdf: Path) -> None:
    raw = honour_pdf.read_bytes()
    assert b"/ViewerPreferences" in raw and re.search(rb"/PrintScaling\s*/None", raw)


def test_spaced_two_character_name(honour_pdf: Path, fontset: FontSet, templates: dict[str, Template]) -> None:
    # poppler breaks words at gaps over about 0.1 em; the spaced line carries its
    # /ActualText, so both modes give 张三 as one word (and whitespace-free in any case)
    assert "张三同志：" in _text(honour_pdf, "-f", "1", "-l", "1")
    assert any("张三同志：" in w for w in _text(honour_pdf, "-raw", "-f", "1", "-l", "1").split())
    assert "荣誉证书" in _text(honour_pdf, "-raw", "-f", "1", "-l", "1")  # the tracked title too
    job = Job(templates["honour"], fontset)
    fitter = next(f for f in job.fitters if f.field.key == "name")
    placed = job.place(fitter, RECORDS[0])
    spaced = [r for r in placed.runs if r.text.endswith("张")]
    # issue 12: a full-width gap (张　三), not ⅓ em
    assert spaced and spaced[0].char_space == pytest.approx(NAME_GAP * placed.size) == pytest.approx(placed.size)
    # three characters: no spacing
    placed = job.place(fitter, record(name="李小燕"))
    assert all(r.char_space == 0 for r in placed.runs)


def test_qr_drawn_only_with_a_verification_code(tmp_path: Path, honour_pdf: Path) -> None:
    streams = _page_streams(honour_pdf)
    assert len(streams) == 3
    with_qr = [s.count(b" re") for s in streams]
    assert with_qr[0] > 100, with_qr
    assert with_qr[1] == 0 and with_qr[2] == 0, "no verify value: no QR"
    assert streams[0].count(b" f Q") == 1  # the whole symbol is one filled path


def test_qr_modules_drawn_right(tmp_path: Path, fontset: FontSet) -> None:
    """Rasterise the QR and read the modules back: the symbol is segno's, not mirrored."""
    from PIL import Image

    code = "UD-2026-competitions-00001.A1B2C3"
    t = Template(key="qr", title="二维码", page=(100, 100), qr=QrBox(10, 10, 66))
    path = tmp_path / "qr.pdf"
    render_certificates(t, [{"verify": code}], path, fonts=fontset)
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "200", "-singlefile", "-gray", str(path), str(tmp_path / "qr")],
                   check=True)
    img = Image.open(tmp_path / "qr.png").convert("L")
    px = 200 / 25.4
    n, runs = qr_runs(code)
    module = 66 / (n + 2 * QUIET)
    dark = {(r, c + k) for r, c, length in runs for k in range(length)}
    for r in range(n):
        for c in range(n):
            x = (10 + (QUIET + c + 0.5) * module) * px
            y = (10 + (QUIET + r + 0.5) * module) * px
            assert (img.getpixel((int(x), int(y))) < 128) == ((r, c) in dark), (r, c)


def test_rare_characters_come_from_a_font_that_has_them(tmp_path: Path, fontset: FontSet,
                                                        templates: dict[str, Template]) -> None:
    names = register_fonts(fontset)
    chain = fallback_names(fontset)
    missing = [ch for ch in RARE if not any(covers(f, ch) for f in chain)]
    if missing:
        pytest.skip(f"{RARE_HINT} (missing {''.join(missing)})")
    recs = [record(name=f"王{ch}", serial=f"S{i}") for i, ch in enumerate(RARE)]
    path = tmp_path / "rare.pdf"
    render_certificates(templates["honour"], recs, path, fonts=fontset)
    rows = _check_fonts(path)
    for i, ch in enumerate(RARE):
        text = _squash(_text(path, "-f", str(i + 1), "-l", str(i + 1)))
        assert f"王{ch}同志" in text, (ch, text)  # the same character, outside the BMP too
    # 𪚥 is not in the name font: a fallback font that has it is embedded
    if not covers(names["name"], "𪚥"):
        holder = next(f for f in chain if covers(f, "𪚥"))
        face = {f.font_name: f for f in (fontset.title, fontset.name, fontset.body, *fontset.rare)}[holder]
        stem = Path(face.path).stem.lower()[:6]
        assert any(stem in row.lower() for row in rows), rows


def test_no_cjk_font_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        templates: dict[str, Template]) -> None:
    empty = tmp_path / "nofonts"
    empty.mkdir()
    with pytest.raises(FontMissing) as err:
        find_fonts(search_dirs=[empty])
    assert "字体" in str(err.value)
    import reports.certificates.render as render_module

    monkeypatch.setattr(render_module, "find_fonts", lambda: find_fonts(search_dirs=[empty]))
    out = tmp_path / "out.pdf"
    with pytest.raises(FontMissing):
        render_certificates(templates["honour"], RECORDS, out)
    assert not out.exists()


# ----------------------------------------------------------------- fitting the boxes


def _inside(word: tuple[str, float, float, float, float], f: TextField, tol: float = 0.3) -> bool:
    _, x0, y0, x1, y1 = word
    bx, by = f.x * PT_PER_MM, f.y * PT_PER_MM
    return (bx - tol <= x0 and x1 <= bx + f.w * PT_PER_MM + tol and by - tol <= y0
            and y1 <= by + f.h * PT_PER_MM + tol)


LONG_NAME = "阿卜杜热合曼·买买提依明·艾则孜"
LONG_UNIT = "宁海县跃龙街道城东社区经济合作社附属精密机械零部件加工制造有限责任公司第二分厂"


@pytest.mark.parametrize(("w", "h", "wrap"), [(120, 14, True), (60, 14, True), (40, 30, True), (100, 12, False),
                                               (15, 3, True)])
def test_long_text_shrinks_then_wraps_inside_its_box(tmp_path: Path, fontset: FontSet, w: float, h: float,
                                                     wrap: bool) -> None:
    field = TextField("salutation", "{unit}{name}同志：", 20, 30, w, h, role="name", size=26, min_size=14,
                      align="left", wrap=wrap)
    t = Template(key="t", title="测试", page=(200, 120), fields=[field])
    path = tmp_path / "long.pdf"
    render_certificates(t, [record(name=LONG_NAME, unit=LONG_UNIT)], path, fonts=fontset)
    words = _words(path)
    assert words
    for word in words:
        assert _inside(word, field), (word, field)
    placed = Job(t, fontset).place(Job(t, fontset).fitters[0], record(name=LONG_NAME, unit=LONG_UNIT))
    assert placed.size < field.size
    if (w, h) == (60, 14):  # too long for one line at min_size: wrapped below it, in two lines or more
        assert placed.lines >= 2
    if (w, h) == (15, 3):  # hopeless: cut short with an ellipsis, still inside
        assert placed.cut and placed.size == FLOOR_SIZE and _squash(_text(path)).endswith("…")
    else:
        assert _squash(_text(path)) == _squash(LONG_UNIT + LONG_NAME + "同志：")


def _lines(placed: object) -> list[str]:
    out: dict[int, str] = {}
    for r in placed.runs:  # type: ignore[attr-defined]
        out[r.line] = out.get(r.line, "") + r.text
    return [out[k] for k in sorted(out)]


def test_short_text_keeps_its_size_and_paragraphs_wrap(fontset: FontSet, templates: dict[str, Template]) -> None:
    t = templates["honour"]
    job = Job(t, fontset)
    fitters = {f.field.key: f for f in job.fitters}
    body = job.place(fitters["body"], sample_record())
    assert body.size == t.get_field("body").size and body.lines == 2  # type: ignore[union-attr]
    lines = _lines(body)
    assert lines[0].startswith("\u3000\u3000在") and any("一等奖" in line for line in lines)  # never 一 / 等奖
    title = job.place(fitters["title"], sample_record())
    assert title.size == t.get_field("title").size and title.lines == 1  # type: ignore[union-attr]


def test_line_breaking_rules(fontset: FontSet) -> None:
    em = 10 / PT_PER_MM  # 10 pt in mm
    field = TextField("p", "{text}", 0, 0, 5 * em + 0.01, 40, size=10, min_size=10, align="left", valign="top")
    job = Job(Template(key="t", title="t", page=(100, 100), fields=[field]), fontset)
    fit = job.fitters[0].fit
    # closing punctuation never starts a line: 五 goes down with its comma
    assert _lines(fit("一二三四五，六七八")) == ["一二三四", "五，六七八"]
    # opening punctuation never ends a line
    assert _lines(fit("一二三四《五六》")) == ["一二三四", "《五六》"]
    # a Latin word stays whole, unless it alone is wider than the box
    assert _lines(fit("一二三UD-01")) == ["一二三", "UD-01"]
    long_word = fit("UD-2026-competitions-00001")
    assert "".join(_lines(long_word)) == "UD-2026-competitions-00001" and long_word.lines >= 2
    assert long_word.bbox[2] - long_word.bbox[0] <= 5 * 10 + 0.1
    # explicit newlines are paragraphs
    assert _lines(fit("一二\n三四")) == ["一二", "三四"]
    # a placeholder value (an award, a name) is never split where it fits
    glued = Job(Template(key="t", title="t", page=(100, 100), fields=[replace(field, text="一二三四{award}")]),
                fontset)
    assert _lines(glued.place(glued.fitters[0], {"award": "一等奖"})) == ["一二三四", "一等奖"]


def test_issuer_bottom_right_with_the_date_under_it(honour_pdf: Path, templates: dict[str, Template]) -> None:
    words = {w[0]: w for w in _words(honour_pdf)}
    issuer, day = words["宁海县跃龙街道总工会"], words["二〇二六年五月一日"]
    w_pt, h_pt = (v * PT_PER_MM for v in templates["honour"].size_mm())
    assert issuer[1] > w_pt / 2 and issuer[2] > h_pt / 2  # right half, lower half
    assert day[2] > issuer[4]  # under it
    assert abs((day[1] + day[3]) / 2 - (issuer[1] + issuer[3]) / 2) < 1  # centred under it
    seal = templates["honour"].seal
    assert seal is not None  # the seal area covers issuer and date
    sx, sy, ss = (v * PT_PER_MM for v in seal)
    assert sx < (issuer[1] + issuer[3]) / 2 < sx + ss and sy < issuer[2] and day[4] < sy + ss


# ------------------------------------------------------------------------ 套打


@pytest.mark.parametrize("offset", [(0.0, 0.0), (3.0, -2.0), (-1.5, 4.5)])
def test_overlay_text_at_template_positions_plus_offset(tmp_path: Path, fontset: FontSet,
                                                        templates: dict[str, Template],
                                                        offset: tuple[float, float]) -> None:
    t = templates["overlay"]
    path = tmp_path / "overlay.pdf"
    render_certificates(t, [record(name="周国全")], path, fonts=fontset, offset=offset)
    assert re.search(rb"/PrintScaling\s*/None", path.read_bytes())
    ox, oy = offset
    words = _words(path)
    mm = PT_PER_MM

    def find(prefix: str) -> tuple[str, float, float, float, float]:
        return next(w for w in words if w[0].lstrip("\u3000").startswith(prefix))

    sal = t.get_field("unit")  # issue 12: the unit on its own line, above the name
    assert sal is not None and sal.align == "left" and sal.valign == "bottom"
    w = find("宁波拓锋")
    assert abs(w[1] / mm - (sal.x + ox)) < 1.0  # left edge at the box's x
    assert abs(w[4] / mm - (sal.y + sal.h + oy)) < 1.0  # at the bottom of its box
    body = t.get_field("body")
    assert body is not None and body.valign == "top"
    first = find("在")
    assert abs(first[2] / mm - (body.y + oy)) < 1.0  # the paragraph starts at the box's top
    assert abs(first[3] / mm - (body.x + body.w + ox)) < 1.0  # justified to the box's right edge
    serial = t.get_field("serial")
    assert serial is not None
    s = find("证书编号")
    assert abs(s[1] / mm - (serial.x + ox)) < 1.0
    issuer = t.get_field("issuer")
    assert issuer is not None and issuer.align == "center"
    i = find("宁海县跃龙街道总工会")
    assert abs((i[1] + i[3]) / 2 / mm - (issuer.x + issuer.w / 2 + ox)) < 1.0


def test_overlay_is_text_only(tmp_path: Path, fontset: FontSet, templates: dict[str, Template]) -> None:
    from PIL import Image

    t = replace(templates["overlay"], background=Background("border", "red_classic"))  # ignored: overlay
    path = tmp_path / "overlay.pdf"
    render_certificates(t, [record(verify=None)], path, fonts=fontset)
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "30", "-singlefile", str(path), str(tmp_path / "o")], check=True)
    img = Image.open(tmp_path / "o.png").convert("RGB")
    colours = {img.getpixel((x, y)) for x in range(img.width) for y in range(img.height)}
    colours = {px for px in colours if isinstance(px, tuple) and not px[0] == px[1] == px[2]}
    assert not colours, "no border, no colour on a 套打 page"
    assert b"/Subtype /Image" not in path.read_bytes()


def test_calibration_page(tmp_path: Path, fontset: FontSet, templates: dict[str, Template]) -> None:
    path = tmp_path / "calibration.pdf"
    render_calibration(path, templates["overlay"], offset=(1.5, -1.0), fonts=fontset)
    assert _pages(path) == 1
    _check_fonts(path)
    text = _text(path)
    assert "打印机校准页" in text and "50" in text and "姓名" in text  # the name field, by its label
    assert re.search(rb"/PrintScaling\s*/None", path.read_bytes())


# ------------------------------------------------------------- seal, background, jobs


def _seal_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((6, 6, 194, 194), outline=(200, 20, 20, 220), width=10)
    img.save(path)
    return path


def test_seal_image_over_issuer_and_date(tmp_path: Path, fontset: FontSet, templates: dict[str, Template]) -> None:
    seal = _seal_png(tmp_path / "seal.png")
    path = tmp_path / "sealed.pdf"
    render_certificates(templates["honour"], RECORDS, path, fonts=fontset, seal_image=str(seal))
    rows = [line.split() for line in _run(_tool("pdfimages"), "-list", str(path)).splitlines()[2:]]
    assert {r[0] for r in rows} == {"1", "2", "3"}  # on every page
    assert {r[2] for r in rows} == {"image", "smask"}  # the transparency is kept
    assert len({r[10] for r in rows if r[2] == "image"}) == 1  # one image object, drawn once
    plain = tmp_path / "plain.pdf"
    render_certificates(templates["honour"], RECORDS[:1], plain, fonts=fontset)
    assert "image" not in _run(_tool("pdfimages"), "-list", str(plain))


def test_background_image(tmp_path: Path, fontset: FontSet) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), (250, 240, 220)).save(tmp_path / "paper.jpg")
    t = Template(key="img", title="图片", page=(200, 150), background=Background("image", image=str(tmp_path / "paper.jpg")),
                 fields=[TextField("name", "{name}", 10, 10, 100, 20)])
    render_certificates(t, [record()], tmp_path / "img.pdf", fonts=fontset)
    assert "image" in _run(_tool("pdfimages"), "-list", str(tmp_path / "img.pdf"))
    t.background.image = str(tmp_path / "missing.png")
    with pytest.raises(FileNotFoundError, match="背景图片"):
        render_certificates(t, [record()], tmp_path / "img2.pdf", fonts=fontset)
    assert not (tmp_path / "img2.pdf").exists()


def test_progress_per_page_and_cancel_leaves_no_file(tmp_path: Path, fontset: FontSet,
                                                      templates: dict[str, Template]) -> None:
    calls: list[tuple[int, int]] = []
    path = tmp_path / "ok.pdf"
    render_certificates(templates["award"], RECORDS * 3, path, fonts=fontset, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 9) for i in range(1, 10)]
    polls = iter(range(100))
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        render_certificates(templates["award"], RECORDS * 3, out, fonts=fontset, cancelled=lambda: next(polls) >= 4)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]  # no temporary file left
    old = tmp_path / "ok.pdf"
    before = old.read_bytes()
    with pytest.raises(Cancelled):
        render_certificates(templates["award"], RECORDS, old, fonts=fontset, cancelled=lambda: True)
    assert old.read_bytes() == before  # an older file is not destroyed
    with pytest.raises(ValueError, match="没有"):
        render_certificates(templates["award"], [], tmp_path / "none.pdf", fonts=fontset)


# ----------------------------------------------------------------------- fill


def test_fill_placeholders() -> None:
    t = Template(key="t", title="t")
    r = {"name": "张三", "unit": "某公司", "date": date(2024, 10, 20), "count": 3.0}
    assert fill("{unit}{name}同志：", r, t) == "某公司张三同志："
    assert fill("{missing}{team}|{salutation}", r, t) == "|张三同志："
    assert fill("{date_cn}", r, t) == "二〇二四年十月二十日"
    assert fill("{date_cn}", r, replace(t, arabic_date=True)) == "2024年10月20日"
    assert fill("{date_cn}", {"date": date(2021, 12, 31)}, t) == "二〇二一年十二月三十一日"
    assert fill("{year}年度 {count}人 {{name}}", r, t) == "2024年度 3人 {name}"
    assert fill("{name}[（{team}）]同志", r, t) == "张三同志"
    assert fill("{name}[（{team}）]同志", {**r, "team": "数控一队"}, t) == "张三（数控一队）同志"
    assert fill("[注]{name}", r, t) == "[注]张三"
    assert fill("{date_cn}", {}, t) == "" and fill("{salutation}", {}, t) == ""
    assert set(PLACEHOLDERS) >= {"name", "unit", "award", "event", "issuer", "date_cn", "serial", "salutation"}


# ------------------------------------------------------------------- templates


def test_builtin_templates(templates: dict[str, Template]) -> None:
    assert list(templates) == ["honour", "award", "merit", "completion", "overlay", "citation", "plaque"]
    assert templates["honour"].landscape and templates["honour"].background.style == "red_classic"
    assert not templates["award"].landscape
    assert templates["overlay"].overlay and templates["overlay"].background.kind == "none"
    titles = {k: t.title for k, t in templates.items()}
    assert titles["honour"] == "荣誉证书" and titles["award"] == "获奖证书" and titles["merit"] == "奖状"
    assert titles["completion"] == "结业证书" and titles["overlay"] == "套打"
    assert "准予结业" in templates["completion"].get_field("body").text  # type: ignore[union-attr]
    for t in templates.values():
        assert any("证书编号：{serial}" in f.text for f in t.fields)
        assert t.get_field("issuer") and t.get_field("date")
    assert templates["honour"].size_mm() == (297.0, 210.0) and templates["award"].size_mm() == (210.0, 297.0)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_builtin_layouts_keep_apart(templates: dict[str, Template]) -> None:
    """No two boxes overlap; the seal area holds only the issuer and the date."""
    for key, t in templates.items():
        boxes = {f.key: (f.x, f.y, f.w, f.h) for f in t.fields}
        if t.qr is not None:
            boxes["qr"] = (t.qr.x, t.qr.y, t.qr.size, t.qr.size)
        names = list(boxes)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not _overlap(boxes[a], boxes[b]), (key, a, b)
        if t.seal is not None:
            sx, sy, ss = t.seal
            under = {k for k, box in boxes.items() if _overlap(box, (sx, sy, ss, ss))}
            assert under == {"issuer", "date"}, (key, under)


def test_template_round_trip(tmp_path: Path, templates: dict[str, Template]) -> None:
    for key, t in templates.items():
        path = tmp_path / f"{key}.json"
        save_template(t, path)
        assert load_template(path) == t
    custom = Template(key="booklet", title="证书内页", page=(185.0, 260.0), landscape=True,
                      background=Background("border", "blue_simple"),
                      fields=[TextField("name", "{name}", 30, 40, 100, 20, role="name", size=30, colour="#B5121B",
                                        spaced_name=True, tracking=0.2)],
                      qr=QrBox(10, 10, 20), seal=(100, 100, 40), arabic_date=True)
    save_template(custom, tmp_path / "booklet.json")
    assert load_template(tmp_path / "booklet.json") == custom
    assert custom.size_mm() == (260.0, 185.0)


def _bad(tmp_path: Path, data: object, raw: str | None = None) -> str:
    path = tmp_path / "bad.json"
    path.write_text(raw if raw is not None else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        load_template(path)
    return str(err.value)


def test_template_validation_errors_are_chinese_and_name_the_field(tmp_path: Path) -> None:
    field = {"key": "name", "text": "{name}", "x": 10, "y": 10, "w": 50, "h": 10}
    base = {"key": "t", "title": "测试", "fields": [field]}
    msg = _bad(tmp_path, {**base, "fields": [{**field, "size": "大"}]})
    assert "bad.json" in msg and "fields[0]（name）.size" in msg and "应为数字" in msg
    assert "应为 #RRGGBB" in _bad(tmp_path, {**base, "fields": [{**field, "colour": "red"}]})
    assert "超出页面" in _bad(tmp_path, {**base, "fields": [{**field, "x": 190}]})
    assert "缺少 text" in _bad(tmp_path, {**base, "fields": [{k: v for k, v in field.items() if k != "text"}]})
    assert "花括号" in _bad(tmp_path, {**base, "fields": [{**field, "text": "{name"}]})
    assert "无法识别" in _bad(tmp_path, {**base, "fields": [{**field, "colr": "#000000"}]})
    assert "重复" in _bad(tmp_path, {**base, "fields": [field, field]})
    assert "background.style" in _bad(tmp_path, {**base, "background": {"kind": "border", "style": "fancy"}})
    assert "min_size" in _bad(tmp_path, {**base, "fields": [{**field, "size": 10, "min_size": 12}]})
    assert "第 1 行" in _bad(tmp_path, None, raw='{"key": "t",')
    with pytest.raises(TemplateError, match="超出页面"):
        save_template(Template(key="x", title="x", fields=[TextField("a", "a", 200, 0, 50, 10)]), tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_user_templates_and_a_bad_file_skipped(tmp_path: Path, templates: dict[str, Template],
                                                caplog: pytest.LogCaptureFixture) -> None:
    mine = replace(templates["honour"], key="mine", title="我的荣誉证书")
    save_template(mine, tmp_path / "mine.json")
    (tmp_path / "broken.json").write_text("{ not json", encoding="utf-8")
    (tmp_path / "wrong.json").write_text(json.dumps({"key": "wrong", "title": "x", "page": [1, 1]}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        found = all_templates(tmp_path)
    assert list(found)[:5] == ["honour", "award", "merit", "completion", "overlay"]
    assert found["mine"].title == "我的荣誉证书"
    assert "broken" not in found and "wrong" not in found
    assert "broken.json" in caplog.text and "wrong.json" in caplog.text
    assert list(all_templates(None)) == list(templates)
    assert list(all_templates(tmp_path / "absent")) == list(templates)


def test_repeated_fields_reuse_their_operators(fontset: FontSet, templates: dict[str, Template],
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The issuer, date and body of a batch are laid out once, not once per page."""
    from reports.certificates import layout

    calls: list[str] = []
    real: Callable[..., object] = layout.FieldFitter.fit

    def counting(self: layout.FieldFitter, text: str, name: str = "") -> object:
        calls.append(self.field.key)
        return real(self, text, name)

    monkeypatch.setattr(layout.FieldFitter, "fit", counting)
    recs = [record(name=f"张{i}", serial=f"S{i}") for i in range(20)]
    render_certificates(templates["honour"], recs, tmp_path / "batch.pdf", fonts=fontset)
    assert calls.count("issuer") == 1 and calls.count("date") == 1 and calls.count("body") == 1
    assert calls.count("name") == 20 and calls.count("title") == 1 and calls.count("unit") == 1


# ------------------------------------------------------------- never overflow (property)

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    given = None

if given is not None:
    _ALPHABET = "国家职工技能竞赛一等奖张三，。：（）《》“”ABCxyz0123-   \n𠮷"

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=120),
           w=st.floats(min_value=8, max_value=200), h=st.floats(min_value=3, max_value=60),
           size=st.floats(min_value=6, max_value=48), wrap=st.booleans(),
           align=st.sampled_from(["left", "center", "right", "justify"]),
           valign=st.sampled_from(["top", "middle", "bottom"]))
    def test_text_never_leaves_its_box(fontset: FontSet, text: str, w: float, h: float, size: float, wrap: bool,
                                       align: str, valign: str) -> None:
        field = TextField("f", "{t}", 5, 5, w, h, size=size, min_size=min(size, 8), wrap=wrap, align=align,
                          valign=valign, spaced_name=True, tracking=0.1)
        job = Job(Template(key="t", title="t", page=(220, 80), fields=[field]), fontset)
        placed = job.place(job.fitters[0], {"t": text, "name": "张三"})
        bx, top, bw, bh = job.fitters[0].box
        x0, y0, x1, y1 = placed.bbox
        eps = 0.01
        assert bx - eps <= x0 and x1 <= bx + bw + eps and top - bh - eps <= y0 and y1 <= top + eps
        for r in placed.runs:
            assert bx - eps <= r.x <= bx + bw + eps
        drawn = _squash("".join(r.text for r in placed.runs))
        if placed.cut:
            assert drawn.endswith("…") and _squash(text).startswith(drawn[:-1])
        else:
            assert drawn == _squash(text)
