"""Checks against hostile or mislabelled files, run before any parser touches them.

Zip bombs and oversized central directories, password-protected archives, XML parts that declare
a DTD (entity bombs), encrypted OLE2 workbooks; and the wrapper that turns any stray exception a
parser raises into a ``ReadError``.
"""

from __future__ import annotations

import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, NoReturn

from desktop.importing.readers.sheet import (
    ENCRYPTED_MESSAGE,
    MAX_CENTRAL_DIRECTORY,
    MAX_MEMBER_RATIO,
    MAX_UNCOMPRESSED_TOTAL,
    MAX_ZIP_MEMBERS,
    PROLOG_SCAN_BYTES,
    RATIO_CHECK_MIN_SIZE,
    ReadError,
    SheetData,
)

_ROOT_START = re.compile(rb"<[A-Za-z_]")


def guard(label: str, read: Callable[[], SheetData]) -> SheetData:
    """Run a reader; map any stray exception to a ReadError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("too_many_rows", f"文件“{label}”过大，内存不足，请拆分后再导入") from None
    except RecursionError:
        raise ReadError("corrupt", f"文件“{label}”已损坏，无法读取") from None
    except Exception as exc:
        if is_entity_attack(exc):
            raise ReadError("xml_bomb", f"文件“{label}”含有不安全的 XML 实体定义，已拒绝读取",
                            brief(exc)) from exc
        raise ReadError("corrupt", f"文件“{label}”已损坏或格式不完整，无法读取", brief(exc)) from exc


def is_entity_attack(exc: BaseException) -> bool:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return False
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, DefusedXmlException):
            return True
        text = str(cur).lower()
        if "entity" in text and ("limit" in text or "amplification" in text or "forbidden" in text):
            return True  # expat's own billion-laughs protection
        cur = cur.__cause__ or cur.__context__
    return False


def brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def check_zip_directory(f: IO[bytes], size: int, label: str) -> None:
    """Refuse archives whose central directory alone would be huge, before zipfile reads it."""
    tail_len = min(size, 65_536 + 22)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    f.seek(0)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        raise ReadError("corrupt", f"文件“{label}”不完整或已损坏（压缩包缺少目录，可能未完整复制）")
    entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
    if entries != 0xFFFF and entries > MAX_ZIP_MEMBERS:
        raise ReadError("zip_bomb", f"文件“{label}”包含的内部文件过多（{entries} 个），已拒绝读取")
    if cd_size != 0xFFFFFFFF and cd_size > MAX_CENTRAL_DIRECTORY:
        raise ReadError("zip_bomb", f"文件“{label}”的压缩目录异常庞大，已拒绝读取")


def check_zip_sizes(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError("zip_bomb", f"文件“{label}”包含的内部文件过多（{len(infos)} 个），已拒绝读取")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("encrypted", f"{ENCRYPTED_MESSAGE}（{label}：压缩包带有密码）")
        total += info.file_size
        if info.file_size >= RATIO_CHECK_MIN_SIZE and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise ReadError("zip_bomb",
                            f"文件“{label}”的内部文件“{info.filename}”压缩比异常（疑似压缩炸弹），已拒绝读取")
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise ReadError("zip_bomb",
                        f"文件“{label}”解压后超过 {MAX_UNCOMPRESSED_TOTAL // (1024 * 1024)} MB（疑似压缩炸弹），已拒绝读取")


def zip_kind(zf: zipfile.ZipFile, names: set[str], label: str) -> None:
    """Raise unless the archive is an Excel 2007+ workbook."""
    lower = {n.lower() for n in names}
    if "[content_types].xml" in lower and "xl/workbook.xml" in lower:
        return
    if "xl/workbook.bin" in lower:
        raise ReadError("not_spreadsheet", f"文件“{label}”是 .xlsb 二进制工作簿，请在 Excel 中另存为 .xlsx 后再导入")
    if "[content_types].xml" in lower and any(n.startswith("xl/") for n in lower):
        try:
            types = zf.read(next(n for n in names if n.lower() == "[content_types].xml"))[:1_000_000]
        except Exception:
            types = b""
        if b"spreadsheetml" in types or b"ms-excel" in types:
            return  # a workbook part under another name; openpyxl finds it from the content types
    if "word/document.xml" in lower:
        raise ReadError("not_spreadsheet", f"文件“{label}”是 Word 文档，不是 Excel 表格")
    if any(n.startswith("ppt/") for n in lower):
        raise ReadError("not_spreadsheet", f"文件“{label}”是 PowerPoint 文档，不是 Excel 表格")
    if "mimetype" in lower:
        try:
            mime = zf.read("mimetype")[:200]
        except Exception:
            mime = b""
        if b"opendocument.spreadsheet" in mime:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”是 .ods 表格，请在 WPS 或 Excel 中另存为 .xlsx 后再导入")
    raise ReadError("not_spreadsheet", f"文件“{label}”是压缩包，不是 Excel 表格")


def check_prologs(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse any XML part that declares a DTD (entities); no Excel part ever has one.

    Only each part's prolog is read (the DTD must come before the root element), so this
    costs a few kilobytes of decompression per part.
    """
    for info in infos:
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels", ".vml")) or info.is_dir():
            continue
        with zf.open(info) as src:
            head = src.read(PROLOG_SCAN_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", "replace").encode("utf-8", "replace")
        root = _first_root(head)
        prolog = head if root < 0 else head[:root]
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or b"<!doctype" in prolog:
            raise ReadError("xml_bomb",
                            f"文件“{label}”的内部文件“{info.filename}”含有 XML 实体定义（可能是恶意文件），已拒绝读取")


def _first_root(head: bytes) -> int:
    """Offset of the root element's start tag, skipping the declaration, comments and PIs."""
    pos = 0
    while True:
        lt = head.find(b"<", pos)
        if lt < 0 or lt + 1 >= len(head):
            return -1
        nxt = head[lt + 1:lt + 2]
        if nxt == b"?":
            end = head.find(b"?>", lt)
            if end < 0:
                return -1
            pos = end + 2
        elif head.startswith(b"<!--", lt):
            end = head.find(b"-->", lt)
            if end < 0:
                return -1
            pos = end + 3
        elif nxt == b"!":
            return -1  # <!DOCTYPE ...> or similar before any root: the caller checks the prolog
        elif _ROOT_START.match(head, lt):
            return lt
        else:
            pos = lt + 1


_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_MAXREGSECT = 0xFFFFFFFA


class Ole:
    """Just enough of a Compound File Binary reader to list entries and read a stream's head."""

    def __init__(self, data: bytes, label: str) -> None:
        self.data = data
        self.label = label
        if len(data) < 512:
            self._bad("文件头不完整")
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            self._bad("扇区大小无效")
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        (n_fat, first_dir, _tx, self.cutoff, first_minifat, n_minifat, first_difat,
         n_difat) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        self.n_sectors = max(0, (len(data) - self.sector) // self.sector + 1)
        if n_fat > self.n_sectors or n_difat > self.n_sectors:
            self._bad("分配表大小无效")
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAXREGSECT]
        s, seen = first_difat, 0
        per = self.sector // 4 - 1
        while s <= _MAXREGSECT and seen <= n_difat:
            block = self._sector_bytes(s)
            ids = struct.unpack_from(f"<{per + 1}I", block)
            fat_sectors.extend(x for x in ids[:per] if x <= _MAXREGSECT)
            s = ids[per]
            seen += 1
        fat_sectors = fat_sectors[:n_fat]
        fat: list[int] = []
        per_fat = self.sector // 4
        for fs in fat_sectors:
            fat.extend(struct.unpack_from(f"<{per_fat}I", self._sector_bytes(fs)))
        self.fat = fat
        self.entries: list[tuple[str, int, int, int]] = []  # (name, type, start, size)
        for sec in self._chain(first_dir):
            block = self._sector_bytes(sec)
            for off in range(0, self.sector, 128):
                raw = block[off:off + 128]
                if len(raw) < 128:
                    break
                name_len, kind = struct.unpack_from("<HB", raw, 0x40)
                if kind not in (1, 2, 5):
                    continue
                name = raw[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
                start, size_lo = struct.unpack_from("<II", raw, 0x74)
                self.entries.append((name, kind, start, size_lo))
        self.first_minifat = first_minifat
        self.n_minifat = n_minifat

    def _bad(self, why: str) -> NoReturn:
        raise ReadError("corrupt", f"文件“{self.label}”已损坏（复合文档{why}）")

    def _sector_bytes(self, sid: int) -> bytes:
        off = (sid + 1) * self.sector
        if sid > _MAXREGSECT or off >= len(self.data):
            self._bad("扇区越界")
        block = self.data[off:off + self.sector]
        return block + b"\0" * (self.sector - len(block))

    def _chain(self, start: int, limit: int | None = None) -> Iterator[int]:
        s, count = start, 0
        cap = len(self.fat) if limit is None else min(limit, len(self.fat))
        while s <= _MAXREGSECT:
            if s >= len(self.fat) or count > cap:
                self._bad("扇区链无效")
            yield s
            count += 1
            s = self.fat[s]

    def names(self) -> set[str]:
        return {n.lower() for n, _, _, _ in self.entries}

    def stream_head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of the stream called ``name`` (case-insensitive)."""
        entry = next((e for e in self.entries if e[1] == 2 and e[0].lower() == name.lower()), None)
        if entry is None:
            return b""
        _, _, start, size = entry
        n = min(n, size)
        out = bytearray()
        if size >= self.cutoff:
            for sid in self._chain(start, limit=n // self.sector + 2):
                out += self._sector_bytes(sid)
                if len(out) >= n:
                    break
            return bytes(out[:n])
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            return b""
        container = [sid for sid in self._chain(root[2])]
        minifat: list[int] = []
        per = self.sector // 4
        for sid in self._chain(self.first_minifat, limit=self.n_minifat + 1):
            minifat.extend(struct.unpack_from(f"<{per}I", self._sector_bytes(sid)))
        s, count = start, 0
        per_container = self.sector // self.mini_sector
        while s <= _MAXREGSECT and len(out) < n:
            if s >= len(minifat) or count > len(minifat):
                self._bad("短扇区链无效")
            big, small = divmod(s, per_container)
            if big >= len(container):
                self._bad("短扇区越界")
            block = self._sector_bytes(container[big])
            out += block[small * self.mini_sector:(small + 1) * self.mini_sector]
            s = minifat[s]
            count += 1
        return bytes(out[:n])


def biff_filepass(head: bytes) -> bool:
    """True when the workbook globals carry a FILEPASS record (0x002F): the file is encrypted."""
    pos, count = 0, 0
    while pos + 4 <= len(head) and count < 400:
        rtype, rlen = struct.unpack_from("<HH", head, pos)
        if rtype == 0x002F:
            return True
        if rtype in (0x000A, 0x0085, 0x00FC) and count:  # EOF, BOUNDSHEET, SST: past where it lives
            return False
        pos += 4 + rlen
        count += 1
    return False

