"""Working days: weekdays are worked, weekends are not, except the days the calendar table
(``calendar_days``, edited in Settings → 节假日) lists as a public holiday (放假) or as a weekend
worked in exchange (调休上班). Publicity periods (公示期) and other time limits in working days are
counted over it. No Qt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db import validators
from db.errors import ValidationError
from db.fields import describe
from db.models.system import CalendarDay
from desktop.changes import Changes

App = Any  # desktop.context.App (the context imports the registry, which imports this module)

#: The State Council's published holiday schedules (国务院办公厅关于…部分节假日安排的通知) for the years
#: we ship: (first day, last day, name) off and the weekends worked. A clerk adds the next year's
#: in Settings when the notice comes out (each November).
HOLIDAYS: tuple[tuple[str, str, str], ...] = (
    ("2025-01-01", "2025-01-01", "元旦"), ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"), ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"), ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"), ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"), ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
)
WORKED: tuple[tuple[str, str], ...] = (
    ("2025-01-26", "春节调休"), ("2025-02-08", "春节调休"), ("2025-04-27", "劳动节调休"),
    ("2025-09-28", "国庆节调休"), ("2025-10-11", "国庆节调休"),
    ("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"),
    ("2026-05-09", "劳动节调休"), ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休"),
)
MAX_DAYS = 366  # no period counted here is longer than a year of working days
#: how a listed day is shown and chosen in Settings → 节假日, by its ``working`` flag
KINDS: dict[bool, str] = {False: "放假", True: "调休上班"}
MAX_RANGE = 31  # days one holiday added at once may span (国庆节 is 7 or 8)
NAME_MAX = 40
_DIGITS = re.compile(r"\d+")


def default_days() -> list[tuple[date, bool, str]]:
    """The shipped calendar: (day, worked, name)."""
    out: list[tuple[date, bool, str]] = []
    for first, last, name in HOLIDAYS:
        d, end = date.fromisoformat(first), date.fromisoformat(last)
        while d <= end:
            out.append((d, False, name))
            d += timedelta(days=1)
    out += [(date.fromisoformat(d), True, name) for d, name in WORKED]
    return sorted(out)


def seed(session: Session) -> None:
    """The shipped calendar into an empty table (a new or upgraded database)."""
    if session.scalar(select(CalendarDay.day).limit(1)) is not None:
        return
    # Shipped data, not a clerk's edit: written without audit rows.
    session.execute(insert(CalendarDay), [{"day": d, "working": w, "name": n} for d, w, n in default_days()])


def calendar(session: Session) -> dict[date, bool]:
    """Every listed day: True for a weekend worked, False for a holiday."""
    return {d: bool(w) for d, w in session.execute(select(CalendarDay.day, CalendarDay.working))}


def is_working(day: date, cal: dict[date, bool]) -> bool:
    return cal.get(day, day.weekday() < 5)


def add_working_days(start: date, days: int, cal: dict[date, bool]) -> date:
    """The last day of a period of ``days`` working days beginning on ``start`` (counted when it
    is a working day itself): 5 working days from Monday 2026-04-20 end on Friday 04-24."""
    if days < 1:
        raise ValidationError("days_invalid", "工作日天数应不少于 1 天")
    d, counted, steps = start, 0, 0
    while True:
        if is_working(d, cal):
            counted += 1
            if counted == days:
                return d
        d += timedelta(days=1)
        steps += 1
        if steps > MAX_DAYS * 2:  # a calendar marking every day a holiday
            raise ValidationError("calendar_invalid", "节假日表中连续的休息日过多，无法计算工作日，请检查设置中的节假日")


def working_days_between(first: date, last: date, cal: dict[date, bool]) -> int:
    """Working days from ``first`` to ``last``, both included (0 when last is before first)."""
    n, d = 0, first
    while d <= last:
        n += is_working(d, cal)
        d += timedelta(days=1)
    return n


def save_days(session: Session, days: list[tuple[date, bool, str]]) -> None:
    """Replace the calendar with ``days`` (Settings → 节假日): one day listed once."""
    seen: set[date] = set()
    for d, _w, _n in days:
        if d in seen:
            raise ValidationError("duplicate", f"{d:%Y-%m-%d} 重复列出")
        seen.add(d)
    existing = {c.day: c for c in session.scalars(select(CalendarDay))}
    for d, w, n in days:
        row = existing.pop(d, None)
        if row is None:
            session.add(CalendarDay(day=d, working=w, name=(n or "").strip()[:40]))
        elif (row.working, row.name) != (w, (n or "").strip()[:40]):
            row.working, row.name = w, (n or "").strip()[:40]
    for row in existing.values():
        session.delete(row)
    session.flush()


# -- Settings → 节假日: what the page reads and saves -------------------------------------------------

Row = tuple[date, bool, str]


def labels() -> dict[str, str]:
    """The page's column headings, from the model's description (day, working, name)."""
    return {c.name: c.label for c in describe(CalendarDay)}


def calendar_rows(app: App) -> list[Row]:
    """Every listed day, in date order: (day, worked, name)."""
    with app.db.session() as s:
        return [(d, bool(w), n or "") for d, w, n in
                s.execute(select(CalendarDay.day, CalendarDay.working, CalendarDay.name).order_by(CalendarDay.day))]


def _day(raw: object, where: str) -> date:
    """A whole date (2027-01-01, 2027/1/1, 2027年1月1日); a month alone or anything else is refused."""
    text = "" if raw is None else str(raw).strip()
    head = labels()["day"]
    if not text and not isinstance(raw, date):
        raise ValidationError("day_missing", f"{where}：缺少{head}")
    unreadable = ValidationError("day_invalid", f"{where}：“{text}”不是有效的日期，请写成 2027-01-01")
    try:
        day = validators.date_value(raw)
    except ValidationError as exc:
        raise unreadable from exc
    digits = _DIGITS.findall(text)
    if day is None or (not isinstance(raw, date) and len(digits) < 3 and not (digits and len(digits[0]) == 8)):
        raise unreadable
    return day


def check_rows(rows: Sequence[tuple[object, object, object]]) -> list[Row]:
    """The page's rows (date as typed, worked flag or its label, name) checked and sorted; a
    ValidationError naming the row (counted from 1 as the page shows them) for an unreadable date,
    a date listed twice, a name too long."""
    out: list[Row] = []
    first: dict[date, int] = {}
    by_label = {v: k for k, v in KINDS.items()}
    for number, (raw_day, raw_kind, raw_name) in enumerate(rows, 1):
        where = f"第 {number} 行"
        day = _day(raw_day, where)
        if day in first:
            raise ValidationError("duplicate", f"{where}：{day:%Y-%m-%d} 与第 {first[day]} 行重复")
        first[day] = number
        worked = by_label[raw_kind] if isinstance(raw_kind, str) and raw_kind in by_label else bool(raw_kind)
        name = " ".join(str(raw_name or "").split())
        if len(name) > NAME_MAX:
            raise ValidationError("too_long", f"{where}：{labels()['name']}超过 {NAME_MAX} 个字")
        out.append((day, worked, name))
    return sorted(out)


def holiday_range(first: date, last: date, name: str) -> list[Row]:
    """The days of one holiday, off (添加某年节假日…): 2027-10-01 to 2027-10-07 国庆节."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("name_missing", f"请填写{labels()['name']}（如 春节、国庆节）")
    if len(name) > NAME_MAX:
        raise ValidationError("too_long", f"{labels()['name']}超过 {NAME_MAX} 个字")
    if last < first:
        raise ValidationError("range_invalid", "结束日期不能早于开始日期")
    if (last - first).days >= MAX_RANGE:
        raise ValidationError("range_invalid", f"一次最多添加 {MAX_RANGE} 天的假期")
    return [(first + timedelta(days=i), False, name) for i in range((last - first).days + 1)]


def save_calendar(app: App, rows: Sequence[tuple[object, object, object]]) -> Changes:
    """Replace the calendar with the page's rows, checked (nothing is written when a row is bad),
    in one transaction; needs the permission to change settings."""
    from desktop.accounts.roles import SETTINGS

    app.require(SETTINGS, "修改节假日")
    days = check_rows(rows)
    with app.db.session() as s:
        save_days(s, days)
    return Changes.of(CalendarDay.__tablename__, message=f"已保存节假日（{len(days)} 天）")
