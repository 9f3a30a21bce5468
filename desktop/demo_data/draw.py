"""The random draws of the demo registers: the vocabulary as weighted tables, and the names,
phones, dates and organisation codes drawn from them (one ``random.Random`` per build)."""

from __future__ import annotations

import json
import random
from bisect import bisect
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any, Generic, TypeVar

from db import validators
from desktop.pinyin import initials

T = TypeVar("T")

# Characters a unified social credit code may use (GB 32100: no I, O, Z, S, V).
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714 organisation code: weights of the first eight characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@lru_cache(maxsize=1)
def load_vocabulary() -> dict[str, Any]:
    """The demo vocabulary from ``resources/demo/places.json`` (parsed once)."""
    text = (resources.files("resources") / "demo" / "places.json").read_text(encoding="utf-8")
    return json.loads(text)


class Table(Generic[T]):
    """A weighted choice table: ``table.items[bisect(table.cum, random())]``."""

    __slots__ = ("cum", "items")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = [(item, float(w)) for item, w in pairs if w > 0]
        if not pairs:
            raise ValueError("empty weight table")
        total = sum(w for _, w in pairs)
        self.items: list[T] = [item for item, _ in pairs]
        cum = [c / total for c in accumulate(w for _, w in pairs)]
        cum[-1] = 1.0  # random() < 1.0, so bisect never runs off the end
        self.cum: list[float] = cum

    @classmethod
    def of(cls, weights: Mapping[T, float]) -> Table[T]:
        return cls(weights.items())

    def pick(self, rand: random.Random) -> T:
        return self.items[bisect(self.cum, rand.random())]


def _org_code_check(body8: str) -> str:
    """GB 11714 check character of an eight-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


class Draw:
    """The draws of one build: the vocabulary turned into tables, the random stream, the uniqueness sets."""

    def __init__(self, seed: int, today: date) -> None:
        self.voc = load_vocabulary()
        self.rng = random.Random(seed)
        self.today = today
        self.today_ord = today.toordinal()
        self.home = self.voc["home"]
        self.area = self.home["area_code"]
        self.county = self.home["county"]
        self.phones: set[str] = set()
        self.credit_codes: set[str] = set()
        self.org_names: set[str] = set()
        self._dates: dict[int, date] = {}
        self._prepare_people()
        self._prepare_places()

    # -- tables ---------------------------------------------------------------------------

    def _prepare_people(self) -> None:
        voc = self.voc
        surnames = voc["surnames"]
        self.surname_tables = {
            "national": Table.of(surnames["national"]),
            "local": Table.of(surnames["local"]),
        }
        self.compound_surnames = Table.of(surnames["compound"])
        self.compound_share: float = surnames["compound_share"]
        given = voc["given"]
        self.given: dict[tuple[bool, bool], tuple[str, str]] = {}  # (female, young) -> (first, second)
        for female in (False, True):
            for young in (False, True):
                pool = given[f"{'female' if female else 'male'}_{'young' if young else 'old'}"]
                self.given[(female, young)] = (pool["first"], pool["second"])
        self.single_share: dict[bool, float] = {
            False: given["single_given_share"]["old"],
            True: given["single_given_share"]["young"],
        }
        self.young_from: int = given["young_from_year"]
        self.rare_chars = Table.of(voc["rare_chars"])
        self.rare_share: float = voc["rare_share"]
        self.minority = voc["minority_names"]
        self.stray_ethnicities = Table.of(voc["stray_ethnicities"])
        self.mobile_prefixes = Table.of(voc["mobile_prefixes"])

        # Origins (the ID's area code), in three pools: home county, rest of the province, migrants.
        pools: dict[str, list[tuple[tuple[str, Table[str], Table[str] | None, str], float]]] = {}
        for o in voc["origins"]:
            eth = Table.of(o["ethnicity"]) if "ethnicity" in o else None
            entry = (o["code"], self.surname_tables[o["surnames"]], eth, o.get("style", "han"))
            pools.setdefault(o["pool"], []).append((entry, o["weight"]))
        self.origin_pools = {name: Table(entries) for name, entries in pools.items()}

        self.grade_tables = {k: Table.of(v) for k, v in voc["grade_profiles"].items()}
        self.edu_tables = {k: Table.of(v) for k, v in voc["education_profiles"].items()}
        self.party_share: dict[str, float] = voc["party_share"]
        # trade -> (female share, grade table, education profile, new-form?)
        self.trades: dict[str, tuple[float, Table[str], str, bool]] = {
            name: (t["female"], self.grade_tables[t["grades"]], t["edu"], bool(t.get("new_form")))
            for name, t in voc["trades"].items()
        }
        notes = voc["worker_notes"]
        self.note_share: float = notes["share"]
        self.notes = {k: notes[k] for k in ("skilled", "any", "new_form")}

        # Pinyin initials per character, through the app's own convention (desktop.pinyin).
        chars: set[str] = set()
        for table in (self.surname_tables["national"], self.surname_tables["local"], self.compound_surnames,
                      self.rare_chars):
            for item in table.items:
                chars.update(item)
        for first, second in self.given.values():
            chars.update(first)
            chars.update(second)
        for part in self.minority.values():
            for v in part.values():
                if isinstance(v, list):
                    for word in v:
                        chars.update(word)
        chars.add("·")
        self.initial_of: dict[str, str] = {ch: initials(ch) for ch in chars}

    def _prepare_places(self) -> None:
        voc = self.voc
        self.towns: list[dict[str, Any]] = self.home["towns"]
        self.town_table = Table((i, t["weight"]) for i, t in enumerate(self.towns))
        industries: dict[str, dict[str, Any]] = voc["industries"]
        self.industries = industries
        self.industry_by_town: list[Table[str]] = []
        for town in self.towns:
            boost = town.get("industries", {})
            self.industry_by_town.append(
                Table((name, ind["weight"] * (1 + boost.get(name, 0))) for name, ind in industries.items())
            )
        b = voc["brand"]
        self.brand_first: str = b["first"]
        self.brand_second: str = b["second"]

    # -- small helpers --------------------------------------------------------------------

    def day(self, ordinal: int) -> date:
        d = self._dates.get(ordinal)
        if d is None:
            d = self._dates[ordinal] = date.fromordinal(ordinal)
        return d

    def phone(self) -> str:
        rng = self.rng
        while True:
            number = f"{self.mobile_prefixes.pick(rng)}{rng.randrange(100_000_000):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def han_name(self, female: bool, young: bool, surnames: Table[str]) -> str:
        rng = self.rng
        rnd = rng.random
        surname = (self.compound_surnames if rnd() < self.compound_share else surnames).pick(rng)
        first, second = self.given[(female, young)]
        if rnd() < self.single_share[young]:
            given = second[int(rnd() * len(second))]
        else:
            given = first[int(rnd() * len(first))] + second[int(rnd() * len(second))]
        if rnd() < self.rare_share:
            given = given[:-1] + self.rare_chars.pick(rng)
        return surname + given

    def minority_name(self, style: str, female: bool) -> str | None:
        rng = self.rng
        if style == "uyghur":
            names = self.minority["uyghur"]
            own = rng.choice(names["female" if female else "male"])
            return f"{own}·{rng.choice(names['father'])}"
        if style == "yi":
            names = self.minority["yi"]
            if rng.random() < names["share"]:
                return rng.choice(names["clan"]) + rng.choice(names["female" if female else "male"])
        return None

    def person(self, female: bool | None = None) -> tuple[str, bool]:
        """A local adult's name (for chairs and contacts) and whether she is a woman."""
        if female is None:
            female = self.rng.random() < 0.4
        young = self.rng.random() < 0.45
        return self.han_name(female, young, self.surname_tables["local"]), female

    def credit_code(self, prefix: str, founded_year: int, style: str) -> str:
        """A unified social credit code: prefix (91, 52...) + area + organisation code + check."""
        rng = self.rng
        while True:
            if style == "new":  # issued after the 2015 三证合一 reform
                body = "MA2" + "".join(rng.choice(_CODE_CHARS) for _ in range(5))
            elif style == "civil":  # 民政 codes
                body = "MJ" + "".join(rng.choice("0123456789") for _ in range(6))
            elif style == "organ":
                body = "00" + f"{rng.randrange(1_000_000):06d}"
            elif style == "institution":
                body = "4" + f"{rng.randrange(10_000_000):07d}"
            elif founded_year < 1998:
                body = "14" + f"{rng.randrange(1_000_000):06d}"
            elif founded_year < 2009:
                body = "7" + f"{rng.randrange(10_000_000):07d}"
            else:
                body = rng.choice("56") + f"{rng.randrange(10_000_000):07d}"
            body17 = f"{prefix}{self.area}{body}{_org_code_check(body)}"
            code = body17 + validators.credit_check_char(body17)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def unique_name(self, make: Callable[[], str], attempts: int = 40) -> str | None:
        for _ in range(attempts):
            name = make()
            if name not in self.org_names:
                self.org_names.add(name)
                return name
        return None

    def brand(self) -> str:
        """Two characters for a trade name (拓锋, 捷尔...), never the same one twice."""
        rng = self.rng
        first = rng.choice(self.brand_first)
        second = rng.choice(self.brand_second)
        while second == first:
            second = rng.choice(self.brand_second)
        return first + second

    def address(self, town: dict[str, Any]) -> str:
        rng = self.rng
        number = 1 + int(rng.random() ** 2 * 600)
        return f"{town['name']}{rng.choice(town['roads'])}{number}号"
