"""Working days: weekdays are worked, weekends are not, except the days the calendar table
(``calendar_days``, edited in Settings → 节假日) lists as a public holiday (放假) or as a weekend
worked in exchange (调休上班). Publicity periods (公示期) and other time limits in working days are
counted over it. No Qt.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.system import CalendarDay

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
    session.add_all(CalendarDay(day=d, working=w, name=n) for d, w, n in default_days())
    session.flush()


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
