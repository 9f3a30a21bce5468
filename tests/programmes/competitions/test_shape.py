"""The competitions screens read their labels from the field descriptions; the kit's described form
is built from the columns ``queries`` gives (no session, no model and no retyped label in ui/ are
checked for the whole tree in tests/test_architecture.py and tests/test_labels.py)."""

from __future__ import annotations

from typing import Any

from db.fields import describe
from db.models.competitions import Competition, Entry, Event
from desktop.programmes.competitions import queries


def test_grid_headings_are_the_entries_labels() -> None:
    by_name = {c.name: c.label for c in describe(Entry)}
    h = queries.headings()
    assert (h["number"], h["team"], h["unit"], h["total"], h["rank"], h["prize"]) == (
        by_name["number"], by_name["team_name"], by_name["employer"], by_name["total"], by_name["rank"], by_name["prize"])


def test_described_form_from_the_columns_queries_give(qtbot: Any) -> None:
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

    from ui.kit.described_form import DescribedForm

    cols = queries.form_columns(Event, ["trade", "judges", "drop_extremes", "notes"])
    form = DescribedForm(cols, {}, None)
    qtbot.addWidget(form)
    assert isinstance(form.editors["drop_extremes"], QCheckBox)  # a Boolean column
    texts = [w.text() for w in form.findChildren(QLabel)]
    assert any(t.startswith(next(c.label for c in describe(Event) if c.name == "trade")) for t in texts)
    form.set_values({"trade": "电工", "judges": 5, "drop_extremes": True, "notes": "决赛"})
    assert form.values() == {"trade": "电工", "judges": 5, "drop_extremes": True, "notes": "决赛"}
    form.show_errors({"trade": "本竞赛已有“电工”项目"})
    assert form.errors["trade"].text() == "本竞赛已有“电工”项目" and not form.errors["judges"].text()

    labels = {"competition_kind": {"individual": "个人赛", "team": "团体赛"}}
    comp = DescribedForm(queries.form_columns(Competition, ["title", "kind"]), labels, None)
    qtbot.addWidget(comp)
    combo = comp.editors["kind"]
    assert isinstance(combo, QComboBox) and [combo.itemText(i) for i in range(combo.count())] == ["个人赛", "团体赛"]
    comp.set_values({"kind": "team"})
    assert comp.values()["kind"] == "team"
