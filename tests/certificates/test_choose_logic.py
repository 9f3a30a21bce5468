"""Choosing recipients (desktop.certificates.choosing): ticks, the event and prize filters, the
short event labels and the templates' Chinese names."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from desktop.certificates.choosing import Choice, display, short_events, template_labels
from reports.linebreak import SOFT

TITLE = "2026年宁海县“匠心杯”职工职业技能竞赛"


def rec(name: str, trade: str, award: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "unit": "宁海县跃龙模具有限公司", "event": f"{TITLE}{SOFT}{trade}项目", "award": award,
            "source_ref": f"competitions:{name}", **more}


RECORDS = [rec("吴博飞", "数控铣工", "一等奖", event_id=1), rec("蒋文", "数控铣工", "二等奖", event_id=1),
           rec("王家俊", "电工", "一等奖", event_id=2), rec("张思伟", "电工", "三等奖", event_id=2),
           rec("李清", "电工", "三等奖", event_id=2), rec("于晓伟", "中式烹调师", "二等奖", event_id=3)]


def names(records: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in records]


def test_everyone_is_chosen_until_unticked_and_filters_narrow_the_choice() -> None:
    choice = Choice.of(RECORDS)
    assert names(choice.chosen()) == names(RECORDS) and choice.counts() == (6, 6, 6)
    choice.tick(3, False)
    assert "张思伟" not in names(choice.chosen()) and choice.counts() == (5, 6, 6)
    electric = RECORDS[2]["event"]
    choice.set_event(electric)
    assert names(choice.chosen()) == ["王家俊", "李清"] and choice.counts() == (2, 3, 6)
    assert choice.awards() == ["一等奖", "三等奖"]  # the prizes of that event only
    choice.set_award("三等奖")
    assert names(choice.chosen()) == ["李清"] and choice.counts() == (1, 2, 6)
    choice.tick_visible(True)  # 全选 ticks the rows shown, not the others
    assert names(choice.chosen()) == ["张思伟", "李清"]
    choice.set_event(RECORDS[0]["event"])  # 三等奖 is not a prize of 数控铣工: the prize filter goes
    assert choice.award is None and names(choice.chosen()) == ["吴博飞", "蒋文"]
    choice.set_event(None)
    choice.tick_visible(False)
    assert choice.chosen() == [] and choice.counts() == (0, 6, 6)


def test_reading_the_list_again_keeps_the_clerks_unticks_and_filters() -> None:
    first = Choice.of(RECORDS)
    first.tick(0, False)
    first.set_event(RECORDS[0]["event"])
    again = Choice.of([dict(r) for r in RECORDS], first)
    assert again.ticked == [False, True, True, True, True, True] and again.event == RECORDS[0]["event"]
    other = Choice.of(RECORDS[2:], first)  # another list: the filter does not apply, nobody unticked
    assert other.event is None and all(other.ticked)


def test_focus_filters_to_the_event_the_centre_was_opened_from() -> None:
    choice = Choice.of(RECORDS)
    assert choice.focus({"event_id": 2})
    assert names(choice.chosen()) == ["王家俊", "张思伟", "李清"]
    assert not Choice.of(RECORDS).focus({"event_id": 99}) and not Choice.of(RECORDS).focus({})


def test_short_event_labels() -> None:
    events = list(dict.fromkeys(r["event"] for r in RECORDS))
    assert list(short_events(events).values()) == ["数控铣工项目", "电工项目", "中式烹调师项目"]
    plain = [f"{TITLE}数控铣工项目", f"{TITLE}数控车工项目"]  # no break mark: cut after the title, not the trade
    assert list(short_events(plain).values()) == ["数控铣工项目", "数控车工项目"]
    one = [f"{TITLE}{SOFT}电工项目"]
    assert short_events(one) == {one[0]: f"{TITLE}电工项目"}  # one event: said in full, no mark
    same_trade = [f"甲竞赛{SOFT}电工项目", f"乙竞赛{SOFT}电工项目"]
    assert list(short_events(same_trade).values()) == ["甲竞赛电工项目", "乙竞赛电工项目"]
    assert display(f"  a{SOFT}b ") == "ab"


def test_template_names_are_chinese_and_duplicates_are_told_apart_in_chinese() -> None:
    found = {"honour": SimpleNamespace(title="荣誉证书"), "award": SimpleNamespace(title="获奖证书"),
             "my_honour": SimpleNamespace(title="荣誉证书"), "my_honour_2": SimpleNamespace(title="荣誉证书"),
             "blank": SimpleNamespace(title="")}
    labels = template_labels(found)
    assert labels == {"honour": "荣誉证书", "award": "获奖证书", "my_honour": "荣誉证书（自定义 2）",
                      "my_honour_2": "荣誉证书（自定义 3）", "blank": "未命名模板"}
    clash = {"a": SimpleNamespace(title="荣誉证书"), "b": SimpleNamespace(title="荣誉证书"),
             "c": SimpleNamespace(title="荣誉证书（自定义 2）")}
    assert len(set(template_labels(clash).values())) == 3
