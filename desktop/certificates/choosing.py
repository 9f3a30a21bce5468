"""Choosing who gets a certificate in the certificate centre: ticks, the event and prize filters,
and the Chinese names of templates. No Qt (the centre's widgets show what this decides).

A :class:`Choice` holds a selection's records, a tick per record (all ticked at first) and the
two filters; :meth:`Choice.chosen` is what is previewed, printed and issued: the ticked records
the filters let through, in the source's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.certificates.issuing import issuer
from desktop.certificates.recipients import is_collective, plan
from desktop.certificates.sources import identity
from reports.linebreak import SOFT

__all__ = ["Choice", "display", "kind_note", "missing_issuer", "short_events", "template_labels"]

UNTITLED = "未命名模板"


def display(value: object) -> str:
    """A record value as the screen shows it (the allowed-break marks removed)."""
    return str(value or "").replace(SOFT, "").strip()


def _key(record: Mapping[str, Any]) -> tuple[object, ...]:
    return (*identity(dict(record)), record.get("source_ref") or "")


@dataclass
class Choice:
    records: list[dict[str, Any]] = field(default_factory=list)
    ticked: list[bool] = field(default_factory=list)
    event: str | None = None  # None: every event
    award: str | None = None  # None: every prize

    @classmethod
    def of(cls, records: Iterable[dict[str, Any]], before: Choice | None = None) -> Choice:
        """Every record ticked, except those the clerk unticked in ``before`` (the same selection
        read again); ``before``'s filters are kept where they still apply."""
        rows = list(records)
        off = {_key(r) for r, on in zip(before.records, before.ticked, strict=True) if not on} if before else set()
        choice = cls(rows, [_key(r) not in off for r in rows])
        if before is not None:
            choice.event = before.event if before.event in choice.events() else None
            choice.award = before.award if before.award in choice.awards() else None
        return choice

    # -- what there is to filter by

    def events(self) -> list[str]:
        """The events in the order the source lists them."""
        return list(dict.fromkeys(str(r.get("event") or "") for r in self.records))

    def awards(self) -> list[str]:
        """The prizes (as printed) within the event filter, in the source's order."""
        return list(dict.fromkeys(str(r.get("award") or "") for r in self.records
                                  if self.event is None or str(r.get("event") or "") == self.event))

    # -- filters and ticks

    def set_event(self, event: str | None) -> None:
        self.event = event if event is None or event in self.events() else None
        if self.award is not None and self.award not in self.awards():
            self.award = None

    def set_award(self, award: str | None) -> None:
        self.award = award if award is None or award in self.awards() else None

    def passes(self, index: int) -> bool:
        r = self.records[index]
        return ((self.event is None or str(r.get("event") or "") == self.event)
                and (self.award is None or str(r.get("award") or "") == self.award))

    def visible(self) -> list[int]:
        """Indices of the records the filters let through."""
        return [i for i in range(len(self.records)) if self.passes(i)]

    def tick(self, index: int, on: bool) -> None:
        self.ticked[index] = bool(on)

    def tick_visible(self, on: bool) -> None:
        for i in self.visible():
            self.ticked[i] = bool(on)

    def chosen(self) -> list[dict[str, Any]]:
        """The records to preview, print and issue: ticked and let through by the filters."""
        return [self.records[i] for i in self.visible() if self.ticked[i]]

    def counts(self) -> tuple[int, int, int]:
        """(chosen, shown by the filters, all)."""
        shown = self.visible()
        return sum(1 for i in shown if self.ticked[i]), len(shown), len(self.records)

    def focus(self, match: Mapping[str, Any]) -> bool:
        """Filter to the event of the records whose values equal ``match`` (the centre opened from
        one event of a competition: ``{"event_id": 2}``); False when no record matches."""
        if not match:
            return False
        for r in self.records:
            if all(r.get(k) == v for k, v in match.items()):
                self.set_event(str(r.get("event") or ""))
                return True
        return False


def short_events(events: Sequence[str]) -> dict[str, str]:
    """A short label per event for the filter and the table: with more than one event, the part
    after the competition's name (``…竞赛`` + SOFT + ``电工项目`` → 电工项目) when the parts
    stay distinct; otherwise the whole event."""
    full = {e: display(e) for e in events}
    if len(events) < 2:
        return full
    tails = {e: display(e.rsplit(SOFT, 1)[-1]) if SOFT in e else _after_common(full[e], full.values())
             for e in events}
    if len(set(tails.values())) == len(tails) and all(tails.values()):
        return tails
    return full


def _after_common(text: str, texts: Iterable[str]) -> str:
    """``text`` without the prefix every one of ``texts`` shares, cut after a 赛/武/会/动 that ends a
    competition's name (``…竞赛`` ``…比武大赛``), so a trade is never cut in two."""
    items = list(texts)
    n = 0
    for chars in zip(*items, strict=False):
        if len(set(chars)) != 1:
            break
        n += 1
    cut = max((i + 1 for i in range(n) if text[i] in "赛武会动"), default=0)
    return text[cut:] or text


def template_labels(templates: Mapping[str, Any]) -> dict[str, str]:
    """Each template's name for the screen, in Chinese only: its title; a second template of the
    same title (a clerk's saved copy) is 荣誉证书（自定义 2）, never its file key."""
    titles = {str(getattr(t, "title", "") or "").strip() for t in templates.values()}
    out: dict[str, str] = {}
    for key, tpl in templates.items():
        title = str(getattr(tpl, "title", "") or "").strip() or UNTITLED
        label, n = title, 1
        while label in out.values() or (n > 1 and label in titles):
            n += 1
            label = f"{title}（自定义 {n}）"
        out[key] = label
    return out


def missing_issuer(settings: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> bool:
    """True when a certificate would print without an issuer: none set in Settings and not every
    record brings its own (a competition's organiser)."""
    if issuer(dict(settings)):
        return False
    return not records or any(not str(r.get("issuer") or "").strip() for r in records)


def kind_note(records: Sequence[Mapping[str, Any]], chosen: tuple[str, Any], templates: Mapping[str, Any]) -> str:
    """What the centre says under the chosen template when some records print on another one of
    their kind (a batch of people and units: desktop.certificates.recipients), else ''."""
    if not records:
        return ""
    labels = template_labels(templates)
    counts: dict[tuple[str, bool], int] = {}
    for r, (key, t) in zip(records, plan(chosen, records, templates), strict=True):
        if t is not chosen[1]:
            counts[(key, is_collective(r))] = counts.get((key, is_collective(r)), 0) + 1
    parts = [f"{n} {'个单位' if unit else '人'}用“{labels.get(key, key)}”" for (key, unit), n in counts.items()]
    return f"其中 {'，'.join(parts)}（按受表彰对象自动选用）" if parts else ""
