"""Text tables (.csv/.txt): encoding and delimiter guessed, other formats told apart by content."""

from __future__ import annotations

import codecs
import csv
import io
import re
from itertools import compress

from desktop.importing.readers.guards import brief
from desktop.importing.readers.rows import Rows, is_blank, trim
from desktop.importing.readers.sheet import DENSE_LIMIT, ReadError, SheetData

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_HINT = re.compile(r"^\"?sep=(.)\"?\s*$", re.IGNORECASE)


def _decode(data: bytes, label: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass  # a BOM and then something else: fall through to the guesses
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # Excel's "Unicode text" export
        except UnicodeDecodeError:
            raise ReadError("not_spreadsheet", f"文件“{label}”的文字编码无法识别") from None
    if b"\x00" in data:
        raise ReadError("not_spreadsheet", f"文件“{label}”不是表格文件（含有二进制内容）")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:4 * 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise ReadError("not_spreadsheet", f"文件“{label}”的文字编码无法识别，请另存为 UTF-8 编码的 CSV 再导入")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError("not_spreadsheet",
                        f"文件“{label}”的文字编码无法识别，请另存为 UTF-8 编码的 CSV 再导入") from None


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter among , ; TAB that splits the first lines most consistently."""
    sample = "".join(lines)
    best, best_score = ",", (0, 0, 0)
    for order, delim in enumerate((",", "\t", ";")):
        if delim not in sample:
            continue
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        widths = [c for c in counts if c > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = (widths.count(mode), mode, -order)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_text(data: bytes, name: str, label: str, max_rows: int) -> SheetData:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReadError("not_spreadsheet", f"文件“{label}”是{what}，不是表格文件")
    text = _decode(data, label)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ReadError("empty_file", f"文件“{label}”没有内容")
    head = text[:4096].lstrip().lower()
    if head.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:20_000]:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”是 XML 表格（Excel 2003），请在 Excel 中另存为 .xlsx 后再导入")
        if "<html" in head or "<table" in head or "<!doctype html" in head:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”实际是网页（HTML）格式，请在 Excel 中打开后另存为 .xlsx 再导入")
    controls = len(_CONTROL.findall(text[:200_000]))
    if controls > max(2, len(text[:200_000]) // 200):
        raise ReadError("not_spreadsheet", f"文件“{label}”不是表格文件（含有大量控制字符）")

    stream = io.StringIO(text, newline="")
    first_lines: list[str] = []
    for line in stream:
        first_lines.append(line)
        if len(first_lines) >= 50:
            break
    skip_first = False
    hint = _SEP_HINT.match(first_lines[0].rstrip("\r\n")) if first_lines else None
    if hint and hint.group(1) in ",;\t|":
        delimiter = hint.group(1)
        skip_first = True
    else:
        delimiter = _sniff_delimiter(first_lines)
    stream.seek(0)
    if skip_first:
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    collected = Rows(label, "", max_rows)
    offset = 1 if skip_first else 0
    while True:
        start = reader.line_num + offset + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReadError("corrupt", f"文件“{label}”第 {start} 行格式错误（引号不成对或单元格过长）",
                            brief(exc)) from None
        if is_blank(record):
            continue
        if len(record) > DENSE_LIMIT:  # a long run of separators: keep only the cells with text
            kept = list(compress(range(len(record)), record))  # the non-empty ones, at C speed
            collected.add_cells(start, dict(zip(kept, map(record.__getitem__, kept), strict=True)))
        else:
            collected.add(start, trim(tuple(v if v != "" else None for v in record)))
    columns = collected.finish()
    return SheetData(name, collected.rows, [name], columns)
