"""Fonts registered lazily and their parsed tables cached in the data folder (issue 12, item 9).

The cache must survive a damaged file (ignored and rebuilt), follow the font file (its size and
modification time are in the key), and a PDF written from cached tables must embed the right
subset; a rare-character font is read only when a character needs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.fonts import FontMissing, FontSet, cache, find_fonts, register_fonts, split_runs
from reports.fonts.faces import FontFile

INSTALL_HINT = "no CJK TrueType font on this machine: sudo apt install fonts-lxgw-wenkai"


@pytest.fixture
def fontset() -> FontSet:
    try:
        return find_fonts()
    except FontMissing:
        pytest.skip(INSTALL_HINT)


@pytest.fixture
def cache_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    before = cache.cache_dir()
    cache.set_cache_dir(folder)
    cache.forget()
    yield folder
    cache.set_cache_dir(before)
    cache.forget()


def test_tables_are_kept_and_reused(fontset: FontSet, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    face = fontset.body
    first = cache.load_face(face)
    files = list(cache_folder.glob("*.ttf-tables"))
    assert len(files) == 1
    cache.forget()

    def no_parse(_face: FontFile) -> None:
        raise AssertionError("parsed again although the cache holds the tables")

    monkeypatch.setattr(cache, "_parse", no_parse)
    again = cache.load_face(face)
    assert again.charToGlyph == first.charToGlyph and again.charWidths == first.charWidths
    assert again.name == first.name and again.name.ustr == first.name.ustr
    assert again.ascent == first.ascent and again.bbox == first.bbox


def test_a_damaged_cache_file_is_ignored_and_rebuilt(fontset: FontSet, cache_folder: Path) -> None:
    face = fontset.body
    good = cache.load_face(face)
    (target,) = cache_folder.glob("*.ttf-tables")
    valid = target.read_bytes()
    for junk in (b"", b"\x00garbage", valid[: len(valid) // 2]):
        target.write_bytes(junk)
        cache.forget()
        loaded = cache.load_face(face)
        assert loaded.charToGlyph == good.charToGlyph
        assert target.read_bytes() == valid  # written again whole


def test_the_key_follows_the_font_file(fontset: FontSet, cache_folder: Path, tmp_path: Path) -> None:
    """A font file replaced (another modification time) is parsed again, not read from a stale entry."""
    import shutil

    copy = tmp_path / ("copy" + Path(fontset.body.path).suffix)
    shutil.copyfile(fontset.body.path, copy)
    face = FontFile(str(copy), fontset.body.index)
    cache.load_face(face)
    cache.forget()
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    cache.load_face(face)
    assert len(list(cache_folder.glob("*.ttf-tables"))) == 2


def test_pdf_from_cached_tables_embeds_a_subset(fontset: FontSet, cache_folder: Path, tmp_path: Path) -> None:
    import pymupdf as fitz

    from reports.certificates.render import render_certificates
    from reports.certificates.template import builtin_templates

    cache.load_face(fontset.body)
    cache.load_face(fontset.name)
    cache.load_face(fontset.title)
    cache.forget()  # the next loads come from the files in the cache folder, the fonts memory-mapped
    out = tmp_path / "c.pdf"
    render_certificates(builtin_templates()["honour"], [{"name": "王建国", "unit": "宁海县第一职业中学",
                                                         "award": "一等奖", "event": "电工项目"}], out,
                        fonts=fontset)
    with fitz.open(out) as doc:
        text = doc[0].get_text()
        fonts = doc[0].get_fonts()
    assert "王" in text and "建" in text and "一等奖" in text
    assert fonts and all("+" in f[3] for f in fonts)  # subset names: ABCDEF+UD-...


def test_rare_fonts_are_read_only_when_a_character_needs_them(fontset: FontSet, cache_folder: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import getFont

    from reports.fonts import fallback_names

    if not fontset.rare:
        pytest.skip("no rare-character font (sudo apt install fonts-hanazono)")
    names = register_fonts(fontset)
    chain = fallback_names(fontset, "name")
    rare = [n for n in chain if n not in (names["title"], names["name"], names["body"])]
    for n in rare:
        getFont(n).__dict__.pop("_ud_face", None)  # as freshly registered
    assert split_runs("王建国", names["name"], chain) == [(names["name"], "王建国")]
    assert not any(cache.is_loaded(getFont(n)) for n in rare)
    runs = split_runs("王𠮷", names["name"], chain)
    if len(runs) == 2:  # the name font lacks 𠮷: a fallback was read for it
        assert any(cache.is_loaded(getFont(n)) for n in rare)
