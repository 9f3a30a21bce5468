"""The demo organisations: state enterprises, institutions, communities, social organisations and
private enterprises by town and industry, each with the profile the worker builder needs."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from desktop.demo_data.draw import Draw, Table

_TOWN_SUFFIXES = ("街道", "镇", "乡")


def _short_town(town: str) -> str:
    for suffix in _TOWN_SUFFIXES:
        if town.endswith(suffix):
            return town[: -len(suffix)]
    return town


class OrganisationBuilder(Draw):
    """The draws plus the organisations of one build."""

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
        forms = {k: Table.of(v) for k, v in voc["union_forms"].items()}
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
                "trades": Table.of(s["trades"]),
                "migrant": s["migrant"],
                "union_founded": union_founded.toordinal() if union_founded else None,
            })
        return orgs, profiles
