"""The attacker of issue 10: how many ID numbers fit what one output shows about one person.

A candidate is an 18-character resident ID number (GB 11643) whose first six digits are a county
code of ``resources/gbt2260_counties.txt``, whose birth date is real, 16-100 years before the
output's date and consistent with what the output shows (a whole date, or a year and month),
which matches every visible character of the masked number and the sex if shown, and whose
check character is right. The rule: at least 10,000 candidates for everyone in every output.

Counted, not enumerated: the check character depends only on the weighted digit sum modulo 11,
so the county codes, the birth dates and the three sequence digits are each reduced to how many
of them give each residue, and the three tallies are combined (11 x 11 x 11 steps).

Deliberately independent of the code under test (no import from ``db``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTIES_FILE = ROOT / "resources" / "gbt2260_counties.txt"
THRESHOLD = 10_000

WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK = "10X98765432"  # the check character for a weighted sum of 0, 1, 2... modulo 11

Birth = date | tuple[int, int] | None  # a whole date, a (year, month), or nothing shown


def check_char(body17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


@cache
def counties() -> tuple[str, ...]:
    codes = []
    for line in COUNTIES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code = line.split("\t", 1)[0].strip()
            if len(code) == 6 and code.isdigit():
                codes.append(code)
    return tuple(sorted(set(codes)))


@dataclass(frozen=True)
class Shown:
    """What one output shows about one person."""

    visible: tuple[str | None, ...]  # 18 entries: the character shown at each position, or None
    on: date  # the output's date
    sex: str | None = None  # "male" / "female" when shown
    birth: Birth = None

    @classmethod
    def of(cls, masked: str, on: date, sex: str | None = None, birth: Birth = None) -> Shown:
        """From a masked number as printed (``*`` hides a character); 18 characters."""
        if len(masked) != 18:
            raise ValueError(f"not an 18-character masked ID: {masked!r}")
        return cls(tuple(None if c == "*" else c for c in masked.upper()), on, sex, birth)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _residue(digits: str, start: int) -> int:
    return sum(int(c) * WEIGHTS[start + i] for i, c in enumerate(digits)) % 11


def _fits(text: str, visible: tuple[str | None, ...]) -> bool:
    return all(v is None or v == c for c, v in zip(text, visible, strict=True))


@cache
def _county_tally(visible: tuple[str | None, ...]) -> tuple[int, ...]:
    tally = Counter(_residue(c, 0) for c in counties() if _fits(c, visible))
    return tuple(tally.get(r, 0) for r in range(11))


def _birth_dates(on: date, birth: Birth) -> list[date]:
    lo, hi = _years_before(on, 100), _years_before(on, 16)
    if isinstance(birth, date):
        days = [birth]
    elif birth is not None:
        year, month = birth
        first = date(year, month, 1)
        nxt = date(year + month // 12, month % 12 + 1, 1)
        days = [first + timedelta(n) for n in range((nxt - first).days)]
    else:
        days = [lo + timedelta(n) for n in range((hi - lo).days + 1)]
    return [d for d in days if lo <= d <= hi]


@cache
def _date_tally(on: date, birth: Birth, visible: tuple[str | None, ...]) -> tuple[int, ...]:
    tally: Counter[int] = Counter()
    for d in _birth_dates(on, birth):
        text = f"{d.year:04d}{d.month:02d}{d.day:02d}"
        if _fits(text, visible):
            tally[_residue(text, 6)] += 1
    return tuple(tally.get(r, 0) for r in range(11))


@cache
def _sequence_tally(sex: str | None, visible: tuple[str | None, ...]) -> tuple[int, ...]:
    tally: Counter[int] = Counter()
    for a, b, c in product("0123456789", repeat=3):
        if sex is not None and (int(c) % 2 == 1) != (sex == "male"):
            continue
        text = a + b + c
        if _fits(text, visible):
            tally[_residue(text, 14)] += 1
    return tuple(tally.get(r, 0) for r in range(11))


def candidates(shown: Shown) -> int:
    """How many ID numbers fit ``shown`` (see the module's docstring)."""
    v = shown.visible
    tc, td, ts = _county_tally(v[0:6]), _date_tally(shown.on, shown.birth, v[6:14]), _sequence_tally(shown.sex, v[14:17])
    total = 0
    for a, b, c in product(range(11), repeat=3):
        n = tc[a] * td[b] * ts[c]
        if n and (v[17] is None or CHECK[(a + b + c) % 11] == v[17]):
            total += n
    return total


def consistent(number: str, shown: Shown, *, any_county: bool = False) -> bool:
    """True when ``number`` is one of the candidates of ``shown`` (a parse of an output is right).

    ``any_county``: do not require the county code to be in the list (numbers issued under a
    county code since retired, like 330283 奉化市, keep it for life; the shipped list is current
    codes only, which makes the count pessimistic, not the parse wrong).
    """
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number) or not (any_county or number[:6] in counties()):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    sex_ok = shown.sex is None or (int(number[16]) % 2 == 1) == (shown.sex == "male")
    return (born in _birth_dates(shown.on, shown.birth) and _fits(number, shown.visible) and sex_ok
            and check_char(number[:17]) == number[17])


# -- reading an output: one line (a table row, a message) is one person ---------------------------------

#: A masked or whole ID number as outputs print it.
ID_TOKEN = re.compile(r"(?<![0-9X*])[0-9*]{17}[0-9X*](?![0-9X*])")
_SEX = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=显示为))([男女])(?![\u4e00-\u9fff])")
_DAY = re.compile(r"(?<![0-9])([0-9]{4})(?:-|年|/|\.)([0-9]{1,2})(?:-|月|/|\.)([0-9]{1,2})日?(?![0-9])")
_MONTH = re.compile(r"(?<![0-9])([0-9]{4})(?:-|年|/|\.)([0-9]{1,2})(?![0-9]|-[0-9]|月[0-9]|/[0-9]|\.[0-9])月?")


def birth_readings(text: str, on: date) -> list[Birth]:
    """Every way a line could show a birth date: each whole date or year-month in the 16-100 year
    window (the attacker may take any of them; other dates, like an admission date, cannot be)."""
    lo, hi = _years_before(on, 100), _years_before(on, 16)
    found: list[Birth] = []
    for m in _DAY.finditer(text):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        if lo <= d <= hi:
            found.append(d)
    for m in _MONTH.finditer(text):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12 and _birth_dates(on, (y, mo)):
            found.append((y, mo))
    return found


def sex_reading(text: str) -> str | None:
    signs = {m[1] for m in _SEX.finditer(text)}
    if len(signs) != 1:  # none, or both (a sex_mismatch message): the ID's own digit says it anyway
        return None
    return "male" if signs == {"男"} else "female"


@dataclass(frozen=True)
class Finding:
    output: str
    line: str
    token: str
    shown: Shown
    count: int


def read_line(output: str, line: str, on: date) -> list[Finding]:
    """What ``line`` shows about each person whose ID number (masked or not) it prints.

    With several readings of the birth date the smallest count is kept: the test is pessimistic.
    """
    out = []
    sex = sex_reading(line)
    births = birth_readings(line, on) or [None]
    for m in ID_TOKEN.finditer(line):
        token = m[0]
        readings = [Shown.of(token, on, sex, b) for b in births]
        best = min(readings, key=candidates)
        out.append(Finding(output, line, token, best, candidates(best)))
    return out


def read_text(output: str, text: str, on: date) -> list[Finding]:
    return [f for line in text.splitlines() for f in read_line(output, line, on)]


__all__ = ["THRESHOLD", "Finding", "Shown", "birth_readings", "candidates", "check_char", "consistent", "counties",
           "read_line", "read_text", "sex_reading"]
