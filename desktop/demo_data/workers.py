"""The demo workers: the hot loop that spreads ``count`` workers over the organisations."""

from __future__ import annotations

import math
from bisect import bisect
from datetime import date
from typing import Any

from db import validators
from desktop.demo_data.draw import Table
from desktop.demo_data.organisations import OrganisationBuilder


class RegisterBuilder(OrganisationBuilder):
    """One build of both registers: the organisations, then their workers."""

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
            table: Table[str] = p["trades"]
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
