"""Certificates, fast: the whole ``certificates --from list.xlsx`` process against raw ReportLab
and LibreOffice, and the renderer in-process.

``certificates_vs_libreoffice``: 1,000 certificates from a spreadsheet with serials, default
settings (verification off, default template), each run on a FRESH database (``--db`` a new
file; the data folder, holding the parsed-font cache, persists as on a clerk's computer), timed
as a subprocess, best of ``RUNS`` interleaved with the baselines:

* raw ReportLab: a plain script (a subprocess too) reading the same sheet with openpyxl and
  drawing the same page texts in the same fonts, the border as one form XObject;
* LibreOffice (when ``soffice`` is installed): one landscape A4 page per certificate from a flat
  ODF text document (``.fodt``) converted headless to PDF with its own profile folder, after a
  warm-up run.

Prints ``BENCH certificates_vs_libreoffice <ratio> <ours>s <libreoffice>s`` (ratio ≤ 0.5 is the
target), ``BENCH certificates_vs_reportlab <ratio> <ours>s <raw>s``, ``# peak MB`` of each, and the
old in-process line ``BENCH certificates_1000 <ratio> <renderer>s <baseline>s``.

``python tests/bench/bench_certificates.py --raw-reportlab LIST.xlsx OUT.pdf`` is the raw baseline.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import bench_line, env_for, run_measured, timed

N = 1000
RUNS = 3
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志新海波宁晓东雪飞鹏辉"
UNITS = ("宁波拓锋精密机械有限公司", "宁海县跃龙模具有限公司", "宁海县第一职业中学", "浙江海宁电器股份有限公司",
         "宁海县桃源街道社区卫生服务中心")
EVENTS = ("二〇二六年宁海县职工职业技能竞赛数控铣工项目", "二〇二六年宁海县职工职业技能竞赛电工项目",
          "二〇二六年宁海县职工职业技能竞赛焊工项目")
ISSUER = "宁海县跃龙街道总工会"
WHEN = date(2026, 5, 1)
AWARDS = ("一等奖", "二等奖", "三等奖", "优秀奖")


def records(n: int = N) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(n):
        serial = f"UD-2026-MD-{i + 1:05d}"
        code = hashlib.sha256(serial.encode()).hexdigest()[:6].upper()
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % 40] + ("" if i % 3 == 0 else GIVEN[(i // 7) % 40])
        out.append({"name": name, "unit": UNITS[i % len(UNITS)], "award": AWARDS[i % 4],
                    "event": EVENTS[(i // 50) % len(EVENTS)], "issuer": ISSUER,
                    "date": WHEN, "serial": serial, "verify": f"{serial}.{code}"})
    return out


def baseline(path: Path, recs: list[dict[str, object]]) -> int:
    """Raw ReportLab: the honour page drawn by hand."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from reports.certificates.borders import draw_border
    from reports.cn_dates import date_cn
    from reports.fonts import find_fonts

    fs = find_fonts()  # where the fonts are; registered the plain ReportLab way
    title_f, name_f, body_f = "RawTitle", "RawName", "RawBody"
    for n, face in ((title_f, fs.title), (name_f, fs.name), (body_f, fs.body)):
        registerFont(TTFont(n, face.path, subfontIndex=face.index))
    w, h = 297 * mm, 210 * mm
    c = Canvas(str(path), pagesize=(w, h), initialFontName=body_f, pageCompression=1)
    c.setViewerPreference("PrintScaling", "None")
    c.beginForm("border")
    draw_border(c, "red_classic", w, h)
    c.setFillColor(HexColor("#B5121B"))
    t = c.beginText(0, 0)
    t.setFont(title_f, 52)
    t.setCharSpace(26)
    t.setTextOrigin(w / 2 - (4 * 52 + 3 * 26) / 2, h - 52 * mm)
    t.textOut("荣誉证书")
    c.drawText(t)
    c.endForm()
    ink, grey = HexColor("#1A1A1A"), HexColor("#555555")
    box_x, box_w = 42 * mm, 213 * mm
    for r in recs:
        c.doForm("border")
        c.setFillColor(ink)
        c.setFont(name_f, 26)
        c.drawString(box_x, h - 79 * mm, f"{r['unit']}{r['name']}同志：")
        body = f"　　在{r['event']}中荣获{r['award']}，特发此证，以资鼓励。"
        c.setFont(body_f, 22)
        y, line, used = h - 86 * mm - 19.4, "", 0.0
        for ch in body:
            cw = stringWidth(ch, body_f, 22)
            if used + cw > box_w:
                c.drawString(box_x, y, line)
                y, line, used = y - 22 * 1.8, "", 0.0
            line, used = line + ch, used + cw
        c.drawString(box_x, y, line)
        c.setFont(body_f, 20)
        c.drawCentredString(215 * mm, h - 148 * mm, str(r["issuer"]))
        c.setFont(body_f, 18)
        d = r["date"]
        assert isinstance(d, date)
        c.drawCentredString(215 * mm, h - 160.5 * mm, date_cn(d))
        c.setFillColor(grey)
        c.setFont(body_f, 9)
        c.drawString(30 * mm, h - 182.5 * mm, f"证书编号：{r['serial']}")
        if not r.get("verify"):
            c.showPage()
            continue
        import segno

        qr = segno.make(str(r["verify"]), error="m", mask=0, micro=False, boost_error=False)
        matrix = qr.matrix
        n = len(matrix)
        module = 26 * mm / (n + 4)
        parts = []
        for row_i, row in enumerate(matrix):
            start = -1
            for col, v in enumerate(row):
                if v & 1:
                    if start < 0:
                        start = col
                elif start >= 0:
                    parts.append(f"{start} {n - 1 - row_i} {col - start} 1 re")
                    start = -1
            if start >= 0:
                parts.append(f"{start} {n - 1 - row_i} {n - start} 1 re")
        ox, oy = 30 * mm + 2 * module, h - 176 * mm + 2 * module
        c._code.append(f"q 0 g {module:.4f} 0 0 {module:.4f} {ox:.3f} {oy:.3f} cm {' '.join(parts)} f Q")
        c.showPage()
    c.save()
    return len(recs)


def renderer(path: Path, recs: list[dict[str, object]]) -> int:
    from reports.certificates.render import render_certificates
    from reports.certificates.template import builtin_templates

    template = builtin_templates()["honour"]
    pages = [0]

    def progress(done: int, total: int) -> None:
        pages[0] = done

    return render_certificates(template, recs, path, progress=progress, cancelled=lambda: False)


def write_list(path: Path, recs: list[dict[str, object]]) -> None:
    """The winners list a clerk gets: a title row, then 序号 姓名 工作单位 竞赛项目 获奖等次."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "获奖名单"
    ws.append(["二〇二六年宁海县职工职业技能竞赛获奖人员名单"])
    ws.append(["序号", "姓名", "工作单位", "竞赛项目", "获奖等次"])
    for i, r in enumerate(recs):  # the trade only: the wording adds the competition from the title row
        trade = str(r["event"]).removeprefix("二〇二六年宁海县职工职业技能竞赛").removesuffix("项目")
        ws.append([i + 1, r["name"], r["unit"], trade, r["award"]])
    wb.save(path)


def raw_reportlab(sheet: Path, out: Path) -> None:
    """The raw baseline as a whole process: read the sheet (openpyxl), draw every page."""
    from openpyxl import load_workbook

    wb = load_workbook(sheet, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(min_row=3, values_only=True))
    wb.close()
    recs: list[dict[str, object]] = [
        {"name": name, "unit": unit, "event": f"二〇二六年宁海县职工职业技能竞赛{event}项目", "award": award,
         "issuer": ISSUER, "date": WHEN,
         "serial": f"UD-2026-MD-{int(no):05d}"} for no, name, unit, event, award in rows]
    baseline(out, recs)


_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="CJK" svg:font-family="&apos;{family}&apos;"/>
</office:font-face-decls>
<office:styles><style:style style:name="Standard" style:family="paragraph"/></office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="297mm" fo:page-height="210mm"
  style:print-orientation="landscape" fo:margin-top="28mm" fo:margin-bottom="18mm" fo:margin-left="38mm"
  fo:margin-right="38mm" fo:border="1.4mm double #b5121b" fo:padding="6mm"/></style:page-layout>
{styles}
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
"""
# name, size pt, alignment, extra paragraph and text properties
_FODT_STYLES = (
    ("T", 52, "center", 'fo:margin-bottom="10mm"', 'fo:letter-spacing="9mm" fo:color="#b5121b"'),
    ("TB", 52, "center", 'fo:margin-bottom="10mm" fo:break-before="page"', 'fo:letter-spacing="9mm" fo:color="#b5121b"'),
    ("U", 16, "start", "", ""),
    ("N", 26, "start", 'fo:margin-bottom="3mm"', ""),
    ("B", 22, "justify", 'fo:line-height="180%"', ""),
    ("I", 20, "end", 'fo:margin-top="14mm"', ""),
    ("D", 18, "end", "", ""),
    ("S", 9, "start", 'fo:margin-top="8mm"', 'fo:color="#555555"'),
)


def write_fodt(path: Path, recs: list[dict[str, object]], family: str) -> None:
    """The same certificates as one flat ODF text document: one landscape A4 page each."""
    from reports.cn_dates import date_cn

    styles = "\n".join(
        f' <style:style style:name="{n}" style:family="paragraph"><style:paragraph-properties '
        f'fo:text-align="{align}" {para}/><style:text-properties style:font-name="CJK" style:font-name-asian="CJK" '
        f'fo:font-size="{size}pt" style:font-size-asian="{size}pt" {text}/></style:style>'
        for n, size, align, para, text in _FODT_STYLES)
    parts = [_FODT_HEAD.format(family=escape(family), styles=styles)]
    for i, r in enumerate(recs):
        d = r["date"]
        assert isinstance(d, date)
        paras = (("TB" if i else "T", "荣誉证书"), ("U", r["unit"]), ("N", f"{r['name']}同志："),
                 ("B", f"　　在{r['event']}中荣获{r['award']}，特发此证，以资鼓励。"), ("I", r["issuer"]),
                 ("D", date_cn(d)), ("S", f"证书编号：{r['serial']}"))
        parts += [f'<text:p text:style-name="{s}">{escape(str(t))}</text:p>' for s, t in paras]
    parts.append("</office:text></office:body></office:document>\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def in_process(folder: Path, recs: list[dict[str, object]]) -> None:
    """The old line: the renderer in-process against the same page drawn by hand (QR on)."""
    from reports.fonts import find_fonts, register_fonts

    register_fonts(find_fonts())  # the font scan is the app's start-up, not the job's
    base_times, ours = [], []
    for i in range(RUNS):  # interleaved, so both see the same machine state
        base_times.append(timed(lambda i=i: baseline(folder / f"base{i}.pdf", recs)))
        ours.append(timed(lambda i=i: renderer(folder / f"ours{i}.pdf", recs)))
    sizes = (folder / "base0.pdf").stat().st_size, (folder / "ours0.pdf").stat().st_size
    print(f"# in-process, pages {N}, file sizes: baseline {sizes[0] // 1024} KB, renderer {sizes[1] // 1024} KB",
          flush=True)
    bench_line("certificates_1000", min(ours), min(base_times), "s")


def whole_process(folder: Path, recs: list[dict[str, object]]) -> None:
    sheet = folder / "list.xlsx"
    write_list(sheet, recs)
    home = folder / "home"  # the data folder: kept across runs, as on a clerk's computer
    env = env_for(home)
    py = sys.executable
    soffice = shutil.which("soffice") or shutil.which("libreoffice")

    def ours(i: int) -> tuple[float, float]:
        return run_measured([py, "-m", "desktop", "certificates", "--from", str(sheet),
                             "--out", str(folder / f"cli{i}.pdf"), "--db", str(folder / f"fresh{i}.sqlite3")], env)

    def raw(i: int) -> tuple[float, float]:
        return run_measured([py, __file__, "--raw-reportlab", str(sheet), str(folder / f"raw{i}.pdf")], env)

    lo_profile = (folder / "lo-profile").as_uri()

    def office(i: int) -> tuple[float, float]:
        out = folder / f"lo{i}"
        out.mkdir(exist_ok=True)
        assert soffice is not None
        return run_measured([soffice, f"-env:UserInstallation={lo_profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(out), str(fodt)], env)

    fodt = folder / "certificates.fodt"
    if soffice:
        write_fodt(fodt, recs, _body_family())
    ours(-1)  # warm-up: the font cache in the data folder, the OS file cache
    raw(-1)
    if soffice:
        office(-1)  # warm-up: LibreOffice's first start builds its profile
    results: dict[str, list[tuple[float, float]]] = {"ours": [], "raw": [], "lo": []}
    for i in range(RUNS):
        results["ours"].append(ours(i))
        results["raw"].append(raw(i))
        if soffice:
            results["lo"].append(office(i))
    best = {k: min(v) for k, v in results.items() if v}
    peak = {k: max(p for _t, p in v) for k, v in results.items() if v}
    pages = _pages(folder / "cli0.pdf")
    print(f"# whole process, {N} certificates from a spreadsheet, fresh database each run; pages {pages}; "
          f"peak MB: ours {peak['ours']:.0f}, raw ReportLab {peak['raw']:.0f}"
          + (f", LibreOffice {peak['lo']:.0f}" if "lo" in peak else ", LibreOffice not installed"), flush=True)
    if "lo" in best:
        bench_line("certificates_vs_libreoffice", best["ours"][0], best["lo"][0], "s")
        lo_pdf = next((folder / "lo0").glob("*.pdf"))
        print(f"# LibreOffice pages {_pages(lo_pdf)}", flush=True)
    else:
        print("# soffice not found: LibreOffice baseline skipped", flush=True)
    bench_line("certificates_vs_reportlab", best["ours"][0], best["raw"][0], "s")
    print(f"BENCH certificates_peak_mb {peak['ours']:.0f}", flush=True)


def _body_family() -> str:
    """The family name of the body font ours prints with, for LibreOffice to use the same."""
    from reports.fonts import find_fonts

    face = find_fonts().body
    try:
        from reports.fonts.tables import read_faces
    except ImportError:  # an older tree (the bench run on the code before issue 12)
        return "LXGW WenKai" if "WenKai" in face.path else "SimSun"
    info = [f for f in read_faces(face.path) if f.index == face.index]
    return info[0].family if info else "SimSun"


def _pages(pdf: Path) -> int:
    import pymupdf as fitz  # a dev dependency

    with fitz.open(pdf) as doc:
        return int(doc.page_count)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--raw-reportlab":
        raw_reportlab(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        whole_process(folder, [{k: v for k, v in r.items() if k != "verify"} for r in recs])
        if "--quick" not in sys.argv:
            in_process(folder, recs)


if __name__ == "__main__":
    main()
