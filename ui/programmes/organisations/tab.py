"""单位: the organisations register (enterprises, social organisations, villages)."""

from __future__ import annotations

from ui.kit.register_tab import RegisterTab


class OrganisationsTab(RegisterTab):
    key = "organisations"
    kind = "organisations"
