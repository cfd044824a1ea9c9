"""The report page shows the rota's hard-rule violations in their own section, and beside the
coverage figure how much of it stays within the rules."""

from __future__ import annotations

import re

from domain import rota, scenario, shift
from rota.render.html import report_page
from rota.report import gap_report

TEAM = {"engineers": [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}]}


def test_violations_have_their_own_section_and_a_note_by_the_coverage() -> None:
    team = scenario(**TEAM)
    drawn = rota("t", shift("ana", "2026-12-07T08:00Z", "2026-12-08T08:00Z"),
                 shift("ana", "2026-12-08T17:00Z", "2026-12-08T23:00Z"))
    page = report_page(team, drawn, gap_report(team, drawn))
    rows = re.findall(r'<tr data-engineer="ana" data-rule="([a-z_]+)">', page)
    assert rows == ["shift_hours", "min_rest_hours"]
    card = re.search(r'<div class="card" id="p0-coverage">(.*?)</div>', page, re.S)
    assert card is not None
    assert re.search(r'id="within-rules"><b>0\.0%</b> within the rules: 2 hard-rule violations', card[1])


def test_a_rota_within_the_rules_says_so() -> None:
    team = scenario(**TEAM)
    fine = rota("t", shift("ana", "2026-12-07T16:00Z", "2026-12-07T23:00Z"))
    page = report_page(team, fine, gap_report(team, fine))
    assert 'id="within-rules"' not in page
    assert "None: every shift keeps the scenario" in page
