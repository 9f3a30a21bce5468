"""Each programme's certificate source supplies grammatical text: competitions (the event as one
phrase, 团体 prizes, the organiser as issuer) and 红色工匠 (a deed, no 「培育对象称号」)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from sqlalchemy import select

from db.models.certificates import Certificate
from desktop.certificates import issuing as certs
from desktop.certificates import sources
from desktop.context import App, open_app
from reports.linebreak import SOFT
from tests.support import cli, valid_id

TITLE = "2026年宁海县职工职业技能竞赛"
TEAM_TITLE = "2026年宁海县“匠心杯”班组技能大赛"


def flat(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split()).replace(SOFT, "")


def competitions(app: App) -> tuple[int, int]:
    """An individual competition run by the county union and a team one with no organiser."""
    from desktop.programmes.competitions import service
    from desktop.programmes.core import registers

    with app.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁波恒拓五金工具有限公司"})
        people = [registers.save(s, "workers", None, {"name": n, "id_number": valid_id(seq=i + 1), "employer_id": org})
                  for i, n in enumerate(("张云俊", "李四", "王五", "赵六", "钱七", "孙八"))]
        cid = service.save_competition(s, None, {"title": TITLE, "kind": "individual", "end_date": "2026-05-20",
                                                  "organiser": "宁海县总工会"})
        eid = service.save_event(s, cid, None, {"trade": "数控铣工", "judges": 1})
        service.set_prize_tiers(s, eid, "count", (1, 1, 0, 0), (0, 0, 0, 0))
        for w, mark in zip(people[:2], (90, 80), strict=True):
            entry = service.register_worker(s, eid, w)
            service.set_score(s, entry, "theory", 1, mark)
            service.set_score(s, entry, "practical", 1, mark)
        tid = service.save_competition(s, None, {"title": TEAM_TITLE, "kind": "team", "end_date": "2026-06-01"})
        teid = service.save_event(s, tid, None, {"trade": "钳工"})
        t1 = service.register_team(s, teid, "宁波恒拓五金工具有限公司工会", "宁波恒拓五金工具有限公司", people[:3])
        t2 = service.register_team(s, teid, "跃龙街道代表队", None, people[3:6])
        for team, mark in ((t1, 100), (t2, 50)):
            service.set_score(s, team, "round_required", 1, mark)
            service.set_score(s, team, "round_buzzer", 1, mark)
        service.set_prize_tiers(s, teid, "count", (1, 1, 0, 0), (0, 0, 0, 0))
    return cid, tid


def test_competition_records_read_as_one_sentence(app_ctx: App) -> None:
    cid, tid = competitions(app_ctx)
    with app_ctx.db.session() as s:
        solo = sources.from_reference(s, "competition", cid).records
        team = sources.from_reference(s, "competition", tid).records
    assert [(r["name"], r["award"]) for r in solo] == [("张云俊", "一等奖"), ("李四", "二等奖")]
    assert solo[0]["event"] == f"{TITLE}{SOFT}数控铣工项目" and solo[0]["title"] == TITLE
    assert solo[0]["issuer"] == "宁海县总工会"  # the organiser, not the township union in Settings
    # a team prize: one record per member, the team named, 团体一等奖, the unit once
    first = [r for r in team if r["team"] == "宁波恒拓五金工具有限公司工会"]
    assert [r["name"] for r in first] == ["张云俊", "李四", "王五"]
    assert {r["award"] for r in first} == {"团体一等奖"} and {r["unit"] for r in first} == {"宁波恒拓五金工具有限公司"}
    assert first[0]["event"] == f"{TEAM_TITLE}{SOFT}钳工项目" and "issuer" not in first[0]
    assert {r["award"] for r in team if r["team"] == "跃龙街道代表队"} == {"团体二等奖"}


def test_competition_certificates_say_tuanti_and_name_the_organiser(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    app = open_app(str(db), daily_backup=False)
    try:
        cid, tid = competitions(app)
    finally:
        app.close()
    r = cli("certificates", "--competition", str(cid), "--out", str(tmp_path / "a.pdf"), "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["serials"] == ["UD-2026-JS-00001", "UD-2026-JS-00002"]
    text = flat(tmp_path / "a.pdf")
    assert f"在{TITLE}数控铣工项目中荣获一等奖" in text and "宁海县总工会" in text
    assert "competitions" not in text and "UD-2026-JS-00001" in text
    r = cli("certificates", "--competition", str(tid), "--out", str(tmp_path / "t.pdf"), home=home, db=db)
    assert r.returncode == 0, r.stderr
    text = flat(tmp_path / "t.pdf")
    assert text.count("团体一等奖") == 3 and text.count("团体二等奖") == 3
    assert "宁波恒拓五金工具有限公司宁波恒拓五金工具有限公司" not in text


def test_a_team_certificate_issued_before_is_reprinted_with_its_serial(app_ctx: App) -> None:
    """Before, a team prize said 一等奖: that certificate is the same one (its serial kept)."""
    from desktop.programmes.competitions import rules

    _cid, tid = competitions(app_ctx)
    with app_ctx.db.session() as s:
        records = sources.from_reference(s, "competition", tid).records
        before = [dict(r, award="一等奖" if r["award"] == "团体一等奖" else "二等奖",
                       event=rules.event_title(TEAM_TITLE, "钳工"), legacy=[]) for r in records]
        old = [c.serial for _r, c, _n in certs.assign(s, before, "honour", {})]
    with app_ctx.db.session() as s:
        again = certs.assign(s, records, "honour", {})
        assert [c.serial for _r, c, _n in again] == old and not any(n for *_x, n in again)
        assert {c.award for _r, c, _n in again} == {"团体一等奖", "团体二等奖"}


def test_red_craftsman_says_what_the_candidate_became(app_ctx: App, tmp_path: Path) -> None:
    from desktop.programmes.core import registers
    from desktop.programmes.red_craftsman import rounds

    with app_ctx.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁海县跃龙模具有限公司"})
        wid = registers.save(s, "workers", None, {"name": "林一", "id_number": valid_id(seq=7), "employer_id": org,
                                                   "grade": "senior"})
        r = rounds.save_round(s, 2026, 0, 3, announced_on=date(2026, 4, 20))
        n, _hints = rounds.nominate(s, r.id, wid, "b", date(2026, 3, 1))
        assert rounds.decide(s, n.id, "admitted", date(2026, 4, 1)) is not None
    with app_ctx.db.session() as s:
        # a certificate printed before with the older wording (…培育对象称号) is the same certificate
        old = {"name": "林一", "worker_id": wid, "award": "“红色工匠”培育对象称号", "event": "2026年度“红色工匠”培育活动",
               "date": date(2026, 4, 20), "programme": "red_craftsman"}
        [(_r, before, _n)] = certs.assign(s, [old], "honour", {})
        serial = before.serial
        [record] = sources.from_source(s, "red_craftsman", {"year": 2026}).records
    assert record["deed"] == "被确定为二〇二六年度“红色工匠”培育对象"
    assert record["award"] == "“红色工匠”培育对象" and "称号" not in record["award"]
    done = certs.issue_and_render(app_ctx, "honour", [record], tmp_path / "r.pdf")
    assert done.serials == [serial] == ["UD-2026-HS-00001"] and done.reprinted == 1
    text = flat(tmp_path / "r.pdf")
    assert "被确定为二〇二六年度“红色工匠”培育对象" in text and "称号" not in text and "red_craftsman" not in text
    with app_ctx.db.session() as s:
        assert s.execute(select(Certificate.code, Certificate.award)).one() == ("HS", "“红色工匠”培育对象")
