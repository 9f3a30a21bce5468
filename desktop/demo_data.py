"""Realistic demo data for the two shared registers: organisations (单位) and workers (职工、会员).

Qt-free and database-free: :func:`build_registers` returns plain dicts keyed by the model
attribute names of :class:`db.models.core.registers.Organisation` and ``Worker``; choice columns hold
the codes of :mod:`db.choices`. The vocabulary (the home county 宁海县 and its towns, the
industries, chains and trades of the seed articles, surnames, given-name characters, the home
places of migrant workers) lives in ``resources/demo/places.json``.

Everything is drawn from one ``random.Random(seed)``, so a seed (and ``today``) always gives the
same registers. Speed matters (100,000 workers in a few seconds): every weighted choice is a
precomputed cumulative table and a ``bisect``; dates and their strings are cached per day.
"""

from __future__ import annotations

import json
import math
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

MAX_ORGANISATIONS = 3000
MIN_ORGANISATIONS = 30
WORKERS_PER_ORGANISATION = 25

# Characters a unified social credit code may use (GB 32100: no I, O, Z, S, V).
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714 organisation code: weights of the first eight characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_TOWN_SUFFIXES = ("街道", "镇", "乡")


@lru_cache(maxsize=1)
def load_vocabulary() -> dict[str, Any]:
    """The demo vocabulary from ``resources/demo/places.json`` (parsed once)."""
    text = (resources.files("resources") / "demo" / "places.json").read_text(encoding="utf-8")
    return json.loads(text)


class _Table(Generic[T]):
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
    def of(cls, weights: Mapping[T, float]) -> _Table[T]:
        return cls(weights.items())

    def pick(self, rand: random.Random) -> T:
        return self.items[bisect(self.cum, rand.random())]


def _org_code_check(body8: str) -> str:
    """GB 11714 check character of an eight-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _short_town(town: str) -> str:
    for suffix in _TOWN_SUFFIXES:
        if town.endswith(suffix):
            return town[: -len(suffix)]
    return town


class _Builder:
    """One build: the vocabulary turned into tables, the random stream and the uniqueness sets."""

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
            "national": _Table.of(surnames["national"]),
            "local": _Table.of(surnames["local"]),
        }
        self.compound_surnames = _Table.of(surnames["compound"])
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
        self.rare_chars = _Table.of(voc["rare_chars"])
        self.rare_share: float = voc["rare_share"]
        self.minority = voc["minority_names"]
        self.stray_ethnicities = _Table.of(voc["stray_ethnicities"])
        self.mobile_prefixes = _Table.of(voc["mobile_prefixes"])

        # Origins (the ID's area code), in three pools: home county, rest of the province, migrants.
        pools: dict[str, list[tuple[tuple[str, _Table[str], _Table[str] | None, str], float]]] = {}
        for o in voc["origins"]:
            eth = _Table.of(o["ethnicity"]) if "ethnicity" in o else None
            entry = (o["code"], self.surname_tables[o["surnames"]], eth, o.get("style", "han"))
            pools.setdefault(o["pool"], []).append((entry, o["weight"]))
        self.origin_pools = {name: _Table(entries) for name, entries in pools.items()}

        self.grade_tables = {k: _Table.of(v) for k, v in voc["grade_profiles"].items()}
        self.edu_tables = {k: _Table.of(v) for k, v in voc["education_profiles"].items()}
        self.party_share: dict[str, float] = voc["party_share"]
        # trade -> (female share, grade table, education profile, new-form?)
        self.trades: dict[str, tuple[float, _Table[str], str, bool]] = {
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
        self.town_table = _Table((i, t["weight"]) for i, t in enumerate(self.towns))
        industries: dict[str, dict[str, Any]] = voc["industries"]
        self.industries = industries
        self.industry_by_town: list[_Table[str]] = []
        for town in self.towns:
            boost = town.get("industries", {})
            self.industry_by_town.append(
                _Table((name, ind["weight"] * (1 + boost.get(name, 0))) for name, ind in industries.items())
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

    def han_name(self, female: bool, young: bool, surnames: _Table[str]) -> str:
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

    # -- organisations --------------------------------------------------------------------

    def enterprise_name(self, town: dict[str, Any], industry: str) -> str:
        rng = self.rng
        ind = self.industries[industry]
        brand = self.brand()
        word = rng.choice(ind["words"])
        r = rng.random()
        place = "宁波" if r < 0.5 else self.home["county_short"] if r < 0.8 else "浙江" if r < 0.93 else self.county
        r = rng.random()
        manufacturing = industry.endswith("制造")
        if manufacturing and place in (self.home["county_short"], self.county) and r < 0.08:
            suffix = "厂"
        elif place in ("浙江", "宁波") and r < 0.06:
            suffix = "集团有限公司"
        elif r < 0.16:
            suffix = "股份有限公司"
        else:
            suffix = "有限公司"
        return f"{place}{brand}{word}{suffix}"

    def organisations(self, n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``n`` organisations and, per organisation, the profile the worker builder needs."""
        voc = self.voc
        rng = self.rng
        shares = voc["kind_shares"]
        n_state = min(len(voc["state_enterprises"]), max(1, round(n * shares["state"])))
        n_social = max(1, round(n * shares["social_org"]))
        n_inst = max(1, round(n * shares["public_institution"]))
        n_village = max(1, round(n * shares["village"]))
        specs: list[dict[str, Any]] = []

        # State enterprises, institutions, communities and social organisations from their lists.
        for s in rng.sample(voc["state_enterprises"], n_state):
            if s["name"] in self.org_names:
                continue
            self.org_names.add(s["name"])
            town = self.towns[0]  # the county seat
            specs.append({"kind": "enterprise", "ownership": "state", "form_profile": "state", "name": s["name"],
                          "industry": s["industry"], "chain": None, "town": town, "median": s["median"],
                          "trades": s["trades"], "migrant": 0.05, "code": ("91", "legacy"), "since": 1985})
        specs.extend(self._institutions(n_inst))
        specs.extend(self._communities(n_village))
        specs.extend(self._social_orgs(n_social))

        # Enterprises: every industry at least once (when there is room), the rest by town and weight.
        n_enterprise = max(0, n - len(specs))
        forced = list(self.industries)[:n_enterprise]
        for i in range(n_enterprise):
            town_index = self.town_table.pick(rng)
            industry = forced[i] if i < len(forced) else self.industry_by_town[town_index].pick(rng)
            town = self.towns[town_index]
            name = self.unique_name(lambda t=town, ind=industry: self.enterprise_name(t, ind))
            if name is None:
                continue
            ind = self.industries[industry]
            specs.append({"kind": "enterprise", "ownership": "non_public", "form_profile": None, "name": name,
                          "industry": industry, "chain": ind["chain"], "town": town, "median": ind["median"],
                          "trades": ind["trades"], "migrant": ind["migrant"], "code": ("91", None),
                          "since": ind.get("since", 1988),
                          "new_form": bool(ind.get("new_form"))})
        rng.shuffle(specs)
        return self._finish_organisations(specs)

    def _institutions(self, count: int) -> list[dict[str, Any]]:
        inst = self.voc["institutions"]
        candidates: list[dict[str, Any]] = [dict(c) for c in inst["county"]]
        for town in self.towns:
            street = town["name"].endswith("街道")
            for t in inst["town"]:
                only = t.get("only")
                if (only == "street" and not street) or (only == "town" and street):
                    continue
                c = dict(t)
                c["name"] = t["pattern"].format(town=town["name"])
                c["town"] = town
                candidates.append(c)
        out = []
        for c in self.rng.sample(candidates, min(count, len(candidates))):
            if c["name"] in self.org_names:
                continue
            self.org_names.add(c["name"])
            organ = c["industry"] == "公共管理"
            out.append({"kind": "public_institution", "ownership": "state", "form_profile": "public_institution",
                        "name": c["name"], "industry": c["industry"], "chain": None,
                        "town": c.get("town", self.towns[0]), "median": c["median"], "trades": c["trades"],
                        "migrant": 0.0, "code": ("11", "organ") if organ else ("12", "institution"),
                        "since": 1960})
        return out

    def _communities(self, count: int) -> list[dict[str, Any]]:
        com = self.voc["communities"]
        rng = self.rng
        candidates: list[tuple[str, dict[str, Any], bool]] = []
        for town in self.towns:
            street = town["name"].endswith("街道")
            for place in town["places"]:
                village = not street and rng.random() < com["town_village_share"]
                if village:
                    candidates.append((f"{town['name']}{place}村村民委员会", town, True))
                else:
                    for word in com["community_words"]:
                        candidates.append((f"{town['name']}{place}{word}社区居民委员会", town, False))
        out = []
        for name, town, village in rng.sample(candidates, min(count, len(candidates))):
            if name in self.org_names:
                continue
            self.org_names.add(name)
            out.append({"kind": "village", "ownership": None, "form_profile": "village", "name": name,
                        "industry": "基层群众自治组织", "chain": None, "town": town, "median": com["median"],
                        "trades": com["trades"], "migrant": 0.0,
                        "code": ("54", "legacy") if village else ("55", "legacy"), "since": 1990})
        return out

    def _social_orgs(self, count: int) -> list[dict[str, Any]]:
        soc = self.voc["social_orgs"]
        rng = self.rng
        out: list[dict[str, Any]] = []
        associations = [f"{self.county}{a}" for a in soc["associations"]]
        rng.shuffle(associations)
        for i in range(count):
            town = self.towns[self.town_table.pick(rng)]
            if i % 3 == 0 and associations:
                name: str | None = associations.pop()
                if name in self.org_names:
                    continue
                self.org_names.add(name)
                out.append({"kind": "social_org", "ownership": "non_public", "form_profile": "social_org",
                            "name": name, "industry": "社会团体", "chain": None, "town": self.towns[0],
                            "median": soc["association_median"], "trades": soc["association_trades"],
                            "migrant": 0.0, "code": ("51", "civil"), "since": 2000})
                continue
            t = rng.choice(soc["templates"])

            def make(t: dict[str, Any] = t, town: dict[str, Any] = town) -> str:
                return t["pattern"].format(brand=self.brand(), place=_short_town(town["name"]))

            name = self.unique_name(make)
            if name is None:
                continue
            out.append({"kind": "social_org", "ownership": "non_public", "form_profile": "social_org",
                        "name": name, "industry": t["industry"], "chain": None, "town": town,
                        "median": t["median"], "trades": t["trades"], "migrant": 0.1, "code": ("52", "civil"),
                        "since": 2005})
        return out

    def _finish_organisations(self, specs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        voc = self.voc
        rng = self.rng
        today = self.today
        forms = {k: _Table.of(v) for k, v in voc["union_forms"].items()}
        feds = voc["federations"]
        fed_dates: dict[str, int] = {}
        org_notes: list[str] = voc["org_notes"]
        orgs: list[dict[str, Any]] = []
        profiles: list[dict[str, Any]] = []
        for i, s in enumerate(specs, start=1):
            size = max(3.0, rng.lognormvariate(math.log(s["median"]), 0.8))
            profile_key = s["form_profile"] or ("large_enterprise" if size >= 25 else "small_enterprise")
            form = forms[profile_key].pick(rng)
            # Founding year, then the code style that goes with it.
            span = max(1, today.year - 1 - s["since"])
            founded_year = today.year - 1 - int(span * rng.random() ** 1.1)
            prefix, style = s["code"]
            if style is None:
                style = "new" if founded_year >= 2016 else "legacy"
            founded_ord = date(founded_year, 1, 1).toordinal() + rng.randrange(365)
            town = s["town"]
            chair: str | None = None
            union_founded: date | None = None
            notes: str | None = None
            if form == "own":
                lo = max(founded_ord + 90, date(1985, 1, 1).toordinal())
                hi = self.today_ord - 30
                lo = min(lo, hi)
                union_founded = self.day(lo + int((hi - lo) * rng.random() ** 1.6))
                chair = self.person(rng.random() < 0.35)[0]
                if rng.random() < voc["org_note_share"]:
                    year = rng.randrange(min(max(2019, union_founded.year), today.year), today.year + 1)
                    notes = rng.choice(org_notes).format(year=year)
            elif form == "federation":
                if s.get("new_form"):
                    fed = feds["new_form"]
                elif s["kind"] == "village":
                    fed = feds["village"].format(town=town["name"])
                elif s["kind"] == "social_org":
                    fed = feds["social_org"]
                elif s["chain"] and rng.random() < 0.4:
                    fed = feds["chain"].format(chain=s["chain"])
                else:
                    fed = feds["town"].format(town=town["name"])
                if fed not in fed_dates:
                    first_year = min(2008, today.year - 1)
                    fed_dates[fed] = date(rng.randrange(first_year, max(first_year, min(2021, today.year - 1)) + 1),
                                          1, 1).toordinal() + rng.randrange(365)
                union_founded = self.day(min(max(fed_dates[fed], founded_ord + 60), self.today_ord - 30))
                notes = f"由{fed}覆盖"
            contact_name, _ = self.person()
            contact = chair if chair and rng.random() < 0.4 else contact_name
            org = {
                "id": i,
                "name": s["name"],
                "credit_code": self.credit_code(prefix, founded_year, style),
                "kind": s["kind"],
                "ownership": s["ownership"],
                "industry": s["industry"],
                "chain": s["chain"],
                "township": town["name"],
                "address": self.address(town),
                "headcount": 0,  # set once the workers are known
                "union_form": form,
                "union_founded": union_founded,
                "union_chair": chair,
                "contact": contact,
                "contact_phone": self.phone(),
                "notes": notes,
            }
            orgs.append(org)
            weight = size * (0.2 if form == "none" else 1.0)
            profiles.append({
                "size": size,
                "weight": weight,
                "form": form,
                "trades": _Table.of(s["trades"]),
                "migrant": s["migrant"],
                "union_founded": union_founded.toordinal() if union_founded else None,
            })
        return orgs, profiles

    # -- workers --------------------------------------------------------------------------

    def workers(self, count: int, orgs: list[dict[str, Any]], profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``count`` workers spread over ``orgs`` by their weights; sets each organisation's headcount.

        The loop is the hot path (100,000 rows in a few seconds): weighted choices are inlined as
        ``items[bisect(cum, random())]``, dates and their strings are cached per day.
        """
        rng = self.rng
        rnd = rng.random
        triangular = rng.triangular
        today_ord = self.today_ord
        year = self.today.year
        employers = rng.choices(range(len(orgs)), weights=[p["weight"] for p in profiles], k=count)
        assigned = [0] * len(orgs)

        # Per organisation: its trade table with each trade's facts resolved once.
        trades = self.trades
        org_rows: list[tuple[list[tuple[Any, ...]], list[float], float, bool, int | None]] = []
        for p in profiles:
            table: _Table[str] = p["trades"]
            items = []
            for trade in table.items:
                female_share, grade_table, edu_key, new_form = trades[trade]
                items.append((trade, female_share, grade_table.items, grade_table.cum, edu_key, new_form))
            member = p["form"] != "none" and p["union_founded"] is not None
            org_rows.append((items, table.cum, p["migrant"], member, p["union_founded"]))

        pools = self.origin_pools
        home_pool = (pools["home"].items, pools["home"].cum)
        province_pool = (pools["province"].items, pools["province"].cum)
        migrant_pool = (pools["migrant"].items, pools["migrant"].cum)
        stray_items, stray_cum = self.stray_ethnicities.items, self.stray_ethnicities.cum
        edu_tables = {k: (t.items, t.cum) for k, t in self.edu_tables.items()}
        party_share = self.party_share
        initial_of = self.initial_of
        minority_name = self.minority_name
        check_digit = validators.id_check_digit
        prefix_items, prefix_cum = self.mobile_prefixes.items, self.mobile_prefixes.cum
        phones = self.phones
        compound_share = self.compound_share
        compound_items, compound_cum = self.compound_surnames.items, self.compound_surnames.cum
        given = self.given
        single_share = self.single_share
        rare_share = self.rare_share
        rare_items, rare_cum = self.rare_chars.items, self.rare_chars.cum
        young_from = self.young_from
        note_share = self.note_share
        notes_skilled, notes_any, notes_new = self.notes["skilled"], self.notes["any"], self.notes["new_form"]
        card_prefix = self.home["card_prefix"]
        card_counters: dict[int, int] = {}
        ids: set[str] = set()
        dates = self._dates
        ymd: dict[int, str] = {}
        adult_days = round(18 * 365.25)
        new_form_start = date(2018, 1, 1).toordinal()
        edu_down = {"high": "mid", "mid": "low", "low": "low", "pro": "high"}
        high_grades = ("senior", "technician", "senior_technician")
        out: list[dict[str, Any]] = []
        append = out.append

        for e in employers:
            assigned[e] += 1
            trade_items, trade_cum, migrant_share, member, uf = org_rows[e]
            trade, female_share, grade_items, grade_cum, edu_key, new_form = trade_items[bisect(trade_cum, rnd())]
            female = rnd() < female_share

            # Category, then where the worker comes from (the ID's area code).
            r = rnd()
            if new_form:
                category = "new_form"
                pool = home_pool if r < 0.55 else province_pool if r < 0.65 else migrant_pool
                lo_age, hi_age, mode_age = 20.0, 50.0, 30.0
            elif rnd() < migrant_share:
                category = "migrant"
                pool = migrant_pool if r < 0.75 else province_pool if r < 0.85 else home_pool
                lo_age, hi_age, mode_age = 20.0, 58.0, 36.0
            else:
                category = "employee"
                pool = home_pool if r < 0.85 else province_pool if r < 0.97 else migrant_pool
                lo_age, hi_age, mode_age = 21.0, 58.0, 40.0
            if female and hi_age > 55.0:
                hi_age = 55.0
            area, surnames, eth_table, style = pool[0][bisect(pool[1], rnd())]

            # Birth date and age.
            birth_ord = today_ord - int(triangular(lo_age, hi_age, mode_age) * 365.2425)
            birth = dates.get(birth_ord)
            if birth is None:
                birth = dates[birth_ord] = date.fromordinal(birth_ord)
            birth_year = birth.year
            age = year - birth_year
            young = birth_year >= young_from

            # Ethnicity and name.
            if eth_table is not None:
                ethnicity = eth_table.items[bisect(eth_table.cum, rnd())]
            else:
                ethnicity = "汉族" if rnd() >= 0.004 else stray_items[bisect(stray_cum, rnd())]
            name = None
            if style != "han" and ethnicity != "汉族":
                name = minority_name(style, female)
            if name is None:
                if rnd() < compound_share:
                    name = compound_items[bisect(compound_cum, rnd())]
                else:
                    name = surnames.items[bisect(surnames.cum, rnd())]
                first, second = given[(female, young)]
                if rnd() < single_share[young]:
                    given_name = second[int(rnd() * len(second))]
                else:
                    given_name = first[int(rnd() * len(first))] + second[int(rnd() * len(second))]
                if rnd() < rare_share:
                    given_name = given_name[:-1] + rare_items[bisect(rare_cum, rnd())]
                name += given_name

            # Resident ID number: area + birth date + sequence (17th digit odd for men) + check.
            ds = ymd.get(birth_ord)
            if ds is None:
                ds = ymd[birth_ord] = f"{birth_year:04d}{birth.month:02d}{birth.day:02d}"
            while True:
                seq = (int(rnd() * 499) + 1) * 2 if female else int(rnd() * 500) * 2 + 1
                body = f"{area}{ds}{seq:03d}"
                if body not in ids:
                    ids.add(body)
                    break

            # Mobile phone, unique in the demo data.
            while True:
                phone = f"{prefix_items[bisect(prefix_cum, rnd())]}{int(rnd() * 100_000_000):08d}"
                if phone not in phones:
                    phones.add(phone)
                    break

            # Skill grade, education, political status.
            grade = grade_items[bisect(grade_cum, rnd())]
            if age < 26 and grade in high_grades:
                grade = "intermediate"
            ek = edu_key if category == "employee" else edu_down[edu_key]
            if birth_year < 1975 and rnd() < 0.3:
                ek = edu_down[ek]
            edu_items, edu_cum = edu_tables[ek]
            education = edu_items[bisect(edu_cum, rnd())]
            if category == "new_form":
                p_party = 0.04
            elif category == "migrant":
                p_party = party_share[edu_key] * 0.6
            else:
                p_party = party_share[edu_key]
            if age < 25:
                p_party *= 0.3
            r = rnd()
            if r < p_party:
                political = "party_member"
            elif r < p_party + 0.008:
                political = "probationary_member"
            elif r < p_party + 0.016:
                political = "development_target"
            elif r < p_party + 0.04:
                political = "activist"
            elif age <= 28 and rnd() < 0.45:
                political = "league_member"
            else:
                political = "masses"

            # Union membership: none where the employer has no union.
            if member:
                lo = birth_ord + adult_days
                if uf > lo:
                    lo = uf
                if new_form and lo < new_form_start:
                    lo = new_form_start
                hi = today_ord - 1
                if lo > hi:
                    lo = hi
                # A third of those who were there joined when the union was founded.
                ms_ord = uf if lo == uf and rnd() < 0.3 else hi - int((hi - lo) * rnd() ** 0.75)
                member_since = dates.get(ms_ord)
                if member_since is None:
                    member_since = dates[ms_ord] = date.fromordinal(ms_ord)
                ms_year = member_since.year
                n_card = card_counters.get(ms_year, 0) + 1
                card_counters[ms_year] = n_card
                card_no: str | None = f"{card_prefix}{ms_year}{n_card:06d}"
                r = rnd()
                status: str | None = "active" if r < 0.93 else "transferred" if r < 0.97 else "withdrawn"
            else:
                member_since = None
                card_no = None
                status = None

            notes = None
            if rnd() < note_share:
                if new_form:
                    pool_notes = notes_new
                elif grade in high_grades:
                    pool_notes = notes_skilled
                else:
                    pool_notes = notes_any
                notes = pool_notes[int(rnd() * len(pool_notes))].format(
                    year=year - 1 - int(rnd() * 4), trade=trade)

            append({
                "name": name,
                "gender": "female" if female else "male",
                "id_number": body + check_digit(body),
                "birth_date": birth,
                "phone": phone,
                "employer_id": e + 1,
                "trade": trade,
                "skill_grade": grade,
                "political_status": political,
                "ethnicity": ethnicity,
                "education": education,
                "category": category,
                "member_since": member_since,
                "card_no": card_no,
                "member_status": status,
                "notes": notes,
                "name_initials": "".join([initial_of[ch] for ch in name]),
            })

        # Headcounts: the registered members are a share of the staff.
        rates = self.voc["member_rates"]
        for org, prof, n in zip(orgs, profiles, assigned, strict=True):
            lo_rate, hi_rate = rates[prof["form"]]
            rate = lo_rate + (hi_rate - lo_rate) * rnd()
            org["headcount"] = max(int(prof["size"]), math.ceil(n / rate) if n else 0)
        return out


def organisation_count(size: int) -> int:
    """How many organisations go with ``size`` workers: one per 25, at least 30, at most 3000."""
    return min(MAX_ORGANISATIONS, max(MIN_ORGANISATIONS, round(size / WORKERS_PER_ORGANISATION)))


def build_registers(
    size: int = 2000, seed: int = 2024, today: date | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Build ``(organisations, workers)`` for the demo database.

    Organisation dicts carry ``"id"`` 1..n and every ``Organisation`` column; worker dicts carry
    ``"employer_id"`` (one of those ids) and every ``Worker`` column except ``id``. Choice columns
    hold codes (``"male"``, ``"party_member"``...), dates are :class:`datetime.date`. The same
    ``seed`` and ``today`` always give the same registers; ``today`` defaults to the current date.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    builder = _Builder(seed, today or date.today())
    orgs, profiles = builder.organisations(organisation_count(size))
    workers = builder.workers(size, orgs, profiles)
    return orgs, workers


__all__ = ["build_registers", "load_vocabulary", "organisation_count"]
