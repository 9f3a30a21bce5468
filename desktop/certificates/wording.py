"""Grammatical certificate wording from data: the event as a noun phrase, a team prize, a list's title.

A certificate says 「在二〇二六年宁海县职工职业技能竞赛数控铣工项目中荣获一等奖」, never
「在电工中荣获二等奖」: :func:`event_phrase` joins the competition's title and the trade (with
:data:`reports.linebreak.SOFT` between them, where a line may break) and adds 项目 unless the
trade already names an event. :func:`list_title` reads a competition's name from a list's
title row (二〇二六年……竞赛获奖人员名单 → 二〇二六年……竞赛). Plain text in, plain text out:
every certificate source and the spreadsheet reader use it. No Qt, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from reports.linebreak import SOFT

__all__ = ["TEAM", "event_phrase", "list_title", "plain", "team_award", "title_row", "trade_phrase"]

TEAM = "团体"
#: endings of a trade that already name an event (no 项目 added): 个人赛, 技能比武, 赛项 …
EVENT_ENDINGS = ("项目", "赛", "比武", "赛项", "竞赛", "比赛", "大赛", "活动", "考核", "评比", "展演", "运动会")
#: endings of a list's title that are not part of the competition's name, stripped repeatedly
LIST_ENDINGS = ("获奖人员名单", "获奖选手名单", "获奖者名单", "获奖名单", "获奖人员", "获奖选手", "获奖者", "获奖",
                "获奖情况", "表彰名单", "表彰人员", "拟表彰", "人员名单", "名单", "名册", "名录", "公示", "公告",
                "一览表", "汇总表", "统计表", "登记表", "情况表", "结果", "情况", "成绩")
_WRAPPER = re.compile(r"^关于(?:公布|公示|表彰|印发|通报)?|的(?:通知|决定|通报|公示|公告)$")
_TRAILING_NOTE = re.compile(r"[（(【\[][^（）()【】\[\]]*[）)】\]]$")


def plain(text: object) -> str:
    """Text without the soft breaks (what the register stores and compares)."""
    return str(text or "").replace(SOFT, "")


def trade_phrase(trade: str) -> str:
    """数控铣工 → 数控铣工项目; 个人赛, 技能比武, 焊接项目 stay as they are."""
    name = " ".join(str(trade or "").split())
    if not name:
        return ""
    return name if name.endswith(EVENT_ENDINGS) else f"{name}项目"


def event_phrase(title: str, trade: str) -> str:
    """The event as a certificate names it, a grammatical noun phrase.

    ``二〇二六年宁海县职工职业技能竞赛`` + ``数控铣工`` → ``二〇二六年宁海县职工职业技能竞赛​数控铣工项目``
    (SOFT between them); no title: ``数控铣工项目``; no trade, or a trade the title already
    names (a one-event contest), or a trade that already starts with the title: the title or
    the trade alone.
    """
    head = " ".join(plain(title).split())
    name = " ".join(plain(trade).split())
    if not name:
        return head
    if not head:
        return trade_phrase(name)
    if name.startswith(head):  # the whole phrase written in the event column
        rest = name[len(head):]
        return f"{head}{SOFT}{trade_phrase(rest)}" if rest else head
    if name in head:
        return head
    return f"{head}{SOFT}{trade_phrase(name)}"


def team_award(award: str) -> str:
    """A team's prize as printed: 一等奖 → 团体一等奖 (团体一等奖 stays)."""
    text = str(award or "").strip()
    if not text or text.startswith(TEAM):
        return text
    return TEAM + text


def list_title(text: object) -> str:
    """A competition's name from a list's title: ``二〇二六年……竞赛获奖人员名单`` → ``二〇二六年……竞赛``.

    Strips 关于公布……的通知, a trailing note in brackets and the endings of :data:`LIST_ENDINGS`
    (repeatedly: 获奖人员名单公示); '' when nothing that names a competition is left.
    """
    name = "".join(str(text or "").split())
    for _ in range(8):
        before = name
        name = _WRAPPER.sub("", name)
        name = _TRAILING_NOTE.sub("", name)
        for ending in sorted(LIST_ENDINGS, key=len, reverse=True):
            if name.endswith(ending) and len(name) > len(ending):
                name = name[: -len(ending)]
                break
        name = name.rstrip("：:　 -—")
        if name == before:
            break
    return name if len(name) >= 4 else ""


def _texts(values: Iterable[object]) -> list[str]:
    out: list[str] = []
    for v in values:
        text = " ".join(str(v).split()) if v is not None else ""
        if text and text not in out:
            out.append(text)
    return out


def title_row(rows: Sequence[Sequence[object]]) -> str:
    """The competition named by the title row above a list's header: the first row holding one
    text (a merged title), not a ``填报单位：`` or ``日期：`` line; '' when there is none."""
    for values in rows:
        texts = _texts(values)
        if len(texts) != 1:
            continue
        text = texts[0]
        if "：" in text or ":" in text:
            continue
        found = list_title(text)
        if found:
            return found
    return ""
