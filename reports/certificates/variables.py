"""The certificate placeholders, each declared once: its key, Chinese label, sample value and
how its text is computed from a plain record.

The shape is pretix's ``base/pdf.py`` ``DEFAULT_VARIABLES`` (ANCHORS.md): the template editor's
placeholder list, the sample preview and the fill step (:mod:`.fill`) all read :data:`VARIABLES`.
A record is a plain dict: a certificate source or a spreadsheet row supplies the ``record``
variables, the issuing step the ``issue`` ones (issuer, date, serial, verification code) when
the record has none, and the ``derived`` ones are computed from the others. A key no variable
declares is still filled from the record as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ..cn_dates import date_cn
from ..linebreak import SOFT

__all__ = [
    "AWARD_OBJECTS",
    "DERIVED",
    "ISSUE",
    "PLACEHOLDERS",
    "RECORD",
    "SAMPLE_RECORD",
    "VARIABLES",
    "Variable",
    "as_date",
    "by_key",
    "keys",
    "reads",
    "sample_record",
    "text_of",
    "value_of",
]

RECORD = "record"  # supplied by a certificate source or a spreadsheet row
ISSUE = "issue"  # filled when the certificate is issued unless the record has one
DERIVED = "derived"  # computed from the other values

Evaluate = Callable[[Mapping[str, object], bool], str]  # (record, arabic_date) -> text
#: endings of an award that is an object handed over, not a title: 授予五一劳动奖状 (no 称号)
AWARD_OBJECTS = ("奖状", "奖章", "奖牌", "奖杯", "锦旗", "奖")


def as_date(value: object) -> date | None:
    """A date from a date, a datetime or an ISO text (``2026-05-01...``); None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def text_of(value: object, arabic: bool = False) -> str:
    """A record value as printed: a date in Chinese (二〇二六年五月一日), 3.0 as 3, text trimmed; a
    flag (``collective``) prints nothing (no English word on paper)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, date):
        return date_cn(as_date(value) or value, arabic=arabic)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_cn(record: Mapping[str, object], arabic: bool) -> str:
    d = as_date(record.get("date"))
    if d is not None:
        return date_cn(d, arabic=arabic)
    return text_of(record.get("date_cn"), arabic)


def _year(record: Mapping[str, object], arabic: bool) -> str:
    if record.get("year"):
        return text_of(record.get("year"), arabic)
    d = as_date(record.get("date"))
    return str(d.year) if d is not None else ""


def _conferred(record: Mapping[str, object], arabic: bool) -> str:
    """What a unit is given, as a noun phrase after 授予: a title in quotes with 称号
    (“工人先锋号”称号, “四星级规范活力工会”称号), an award object as it is (五一劳动奖状)."""
    award = text_of(record.get("award"), arabic)
    if not award or award.endswith(AWARD_OBJECTS) or award.endswith("称号"):
        return award
    if award.startswith("“") and award.endswith("”"):
        return f"{award}称号"
    return f"“{award}”称号"


def _deed(record: Mapping[str, object], arabic: bool) -> str:
    """What the certificate is for, as a clause: the source's own ``deed`` when it gives one
    (红色工匠: 被确定为二〇二六年度“红色工匠”培育对象), else 在{event}中荣获{award}, with an
    allowed break (:data:`~reports.linebreak.SOFT`) after 中 for a deed wider than a line; a unit
    without an event 被授予 what it was given (:func:`_conferred`)."""
    given = text_of(record.get("deed"), arabic)
    if given:
        return given
    event, award = text_of(record.get("event"), arabic), text_of(record.get("award"), arabic)
    if event and award:
        return f"在{event}中{SOFT}荣获{award}"
    if award and record.get("collective"):
        return f"被授予{_conferred(record, arabic)}"
    if award:
        return f"荣获{award}"
    return f"在{event}中表现突出" if event else ""


def _affiliation(record: Mapping[str, object], arabic: bool) -> str:
    """The unit line: the unit, or the team for a team prize (once, never the unit twice)."""
    unit, team = text_of(record.get("unit"), arabic), text_of(record.get("team"), arabic)
    if not team or team == unit:
        return unit
    if not unit or unit in team:
        return team
    return f"{unit}　{team}"


def _salutation(record: Mapping[str, object], arabic: bool) -> str:
    given = record.get("salutation")
    if given:
        return text_of(given, arabic)
    name = text_of(record.get("name"), arabic)
    if not name:
        return ""
    return f"{name}：" if record.get("collective") else f"{name}同志："  # a unit is no 同志


@dataclass(frozen=True)
class Variable:
    """One placeholder, ``{key}`` in a template's text.

    ``label`` names it in the template editor; ``heading`` is the short column name a list of
    records uses (a spreadsheet's header, a table's); ``sample`` is the value the editor's
    sample record holds (None: not in the sample); ``evaluate(record, arabic_date)`` computes
    its text (None: the record's own value as text, :func:`text_of`) from the record's values
    named in ``reads`` (its own key when empty).
    """

    key: str
    label: str
    origin: str = RECORD
    sample: object = None
    evaluate: Evaluate | None = None
    heading: str = ""
    reads: tuple[str, ...] = ()

    @property
    def column(self) -> str:
        """The short name for a column of records (``heading``, else the label)."""
        return self.heading or self.label

    def text(self, record: Mapping[str, object], arabic_date: bool = False) -> str:
        if self.evaluate is not None:
            return self.evaluate(record, arabic_date)
        return text_of(record.get(self.key), arabic_date)


#: Every placeholder, in the order the template editor lists them.
VARIABLES: tuple[Variable, ...] = (
    Variable("name", "姓名", sample="周国全"),
    Variable("unit", "单位", sample="宁波拓锋精密机械有限公司"),
    Variable("team", "团队名称", sample="", heading="团队"),
    Variable("award", "奖项", sample="一等奖"),
    Variable("title", "竞赛名称", sample="2026年宁海县职工职业技能竞赛", heading="竞赛"),
    Variable("event", "项目", sample="2026年宁海县职工职业技能竞赛数控铣工项目"),
    Variable("deed", "获奖事由（在……中荣获……）", DERIVED, evaluate=_deed,
             reads=("deed", "event", "award", "collective")),
    Variable("conferred", "授予事项（“工人先锋号”称号）", DERIVED, evaluate=_conferred, reads=("award",)),
    Variable("affiliation", "单位（团体奖为团队）", DERIVED, evaluate=_affiliation, reads=("unit", "team")),
    Variable("issuer", "发证单位", ISSUE, sample="宁海县跃龙街道总工会"),
    Variable("date_cn", "发证日期（二〇二六年五月一日）", DERIVED, evaluate=_date_cn, reads=("date", "date_cn")),
    Variable("date", "发证日期（2026-05-01）", ISSUE, sample=date(2026, 5, 1), heading="日期"),
    Variable("year", "年度", DERIVED, evaluate=_year, reads=("year", "date")),
    Variable("serial", "证书编号", ISSUE, sample="UD-2026-MD-00001"),
    Variable("verify", "校验码", ISSUE),
    Variable("salutation", "称呼（某某同志：）", DERIVED, evaluate=_salutation,
             reads=("salutation", "name", "collective")),
)

_BY_KEY: dict[str, Variable] = {v.key: v for v in VARIABLES}

#: placeholder -> Chinese label, for the template editor
PLACEHOLDERS: dict[str, str] = {v.key: v.label for v in VARIABLES}

#: a realistic record for previews, the editor and the screenshots
SAMPLE_RECORD: dict[str, object] = {v.key: v.sample for v in VARIABLES if v.sample is not None}


def by_key(key: str) -> Variable | None:
    return _BY_KEY.get(key)


def keys(origin: str) -> tuple[str, ...]:
    """The keys of the variables of one origin (:data:`RECORD`, :data:`ISSUE`, :data:`DERIVED`)."""
    return tuple(v.key for v in VARIABLES if v.origin == origin)


def sample_record(*origins: str) -> dict[str, object]:
    """A copy of :data:`SAMPLE_RECORD` (the caller may change it); only the given origins' values
    when any are named (``sample_record(RECORD)``: what a source would supply)."""
    if not origins:
        return dict(SAMPLE_RECORD)
    return {k: v for k, v in SAMPLE_RECORD.items() if _BY_KEY[k].origin in origins}


def reads(keys: Iterable[str]) -> tuple[str, ...]:
    """The record values the placeholders ``keys`` are computed from (sorted, no repeats): equal
    values give equal texts, so a renderer may key a cache on them."""
    out: set[str] = set()
    for key in keys:
        variable = _BY_KEY.get(key)
        out.update(variable.reads or (key,) if variable is not None else (key,))
    return tuple(sorted(out))


def value_of(key: str, record: Mapping[str, object], arabic_date: bool = False) -> str:
    """The text for one placeholder; a missing or empty value is ``""``."""
    variable = _BY_KEY.get(key)
    if variable is not None:
        return variable.text(record, arabic_date)
    return text_of(record.get(key), arabic_date)
