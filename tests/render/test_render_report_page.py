"""The HTML report page, read as a user's browser would get it (no browser needed here).

One Berlin evening peak (19-23 local = 18-22Z in December), P0 x1; ana (Berlin) is on call only on
Monday 7 December 17-23Z, so every other evening of the week is a gap.
"""

from __future__ import annotations

import re

import pytest
from pagekit import Element, elements, having

from domain import rota, scenario, shift
from rota.render.html import report_page
from rota.report import gap_report
from rota.scenario import Scenario

BERLIN = dict(
    name="Streaming <script>alert(1)</script> & co",
    regions=[{"id": "eu", "name": "Europe <i>&</i>", "timezone": "Europe/Berlin",
              "peak_windows": [{"start": "19:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": 1},
              "users_at_peak": 1000, "revenue_per_user_hour": 0.5, "currency": "EUR"}],
    engineers=[{"id": "ana", "name": "Ana <b>Fox</b>", "timezone": "Europe/Berlin",
                "regions": ["eu"]},
               {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]}],
)
RIYADH = dict(  # two responders needed, one engineer: every peak hour is structural
    regions=[{"id": "me", "timezone": "Asia/Riyadh",
              "peak_windows": [{"start": "20:00", "end": "24:00"}],
              "peak": {"severity": "P0", "responders": 2}}],
    engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["me"]}],
)


@pytest.fixture(scope="module")
def berlin() -> Scenario:
    return scenario(**BERLIN)


@pytest.fixture(scope="module")
def page(berlin: Scenario) -> str:
    planned = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"))
    return report_page(berlin, planned, gap_report(berlin, planned))


def _cell(page: str, utc_start: str) -> Element:
    (cell,) = [c for c in having(page, "g", "cell") if c.attrs["data-utc"].startswith(utc_start)]
    return cell


def test_the_page_is_self_contained_and_escapes_user_text(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "Streaming &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Ana &lt;b&gt;Fox&lt;/b&gt;" in page and "Europe &lt;i&gt;&amp;&lt;/i&gt;" in page


def test_heatmap_has_a_cell_per_local_hour_of_every_local_day(page: str) -> None:
    cells = having(page, "g", "cell")
    assert len(cells) == 8 * 24  # 7 UTC days touch 8 Berlin days (01:00 Mon to 01:00 Mon)
    assert len(having(page, "svg", "heatmap")) == 2  # a week of 7 rows, then the 8th day
    states = {c.attrs["data-state"] for c in cells}
    assert states == {"covered", "uncovered", "not_required", "outside"}
    assert sum(c.attrs["data-peak"] == "1" for c in cells) == 7 * 4


def test_a_gap_cell_names_its_local_and_utc_interval_and_its_cause(page: str) -> None:
    cell = _cell(page, "2026-12-08T18:00:00Z")
    assert cell.attrs["data-state"] == "uncovered"
    assert cell.title == (
        "Tue 08 Dec 19:00-20:00 Europe/Berlin (UTC+01:00) = Tue 08 Dec 18:00-19:00 UTC: "
        "uncovered; peak P0 needs 1, 0 qualified; uncovered 60 min; cause: no_responder 60 min")
    covered = _cell(page, "2026-12-07T18:00:00Z")
    assert covered.attrs["data-state"] == "covered" and covered.attrs["data-peak"] == "1"
    assert _cell(page, "2026-12-06T23:00:00Z").attrs["data-state"] == "outside"  # 00-01 local


def test_gap_table_lists_every_gap_by_exposure(berlin: Scenario, page: str) -> None:
    planned = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"))
    report = gap_report(berlin, planned)
    rows = [e for e in elements(page) if e.tag == "tr" and "data-cause" in e.attrs]
    assert len(rows) == len(report.gaps) == 6
    assert {r.attrs["data-cause"] for r in rows} == {"no_responder"}
    assert "6 gaps, largest exposure first" in page


def test_timeline_shows_on_call_engineers_with_their_bands(page: str) -> None:
    rows = having(page, "g", "tl-row")
    assert [r.attrs["data-engineer"] for r in rows] == ["ana"]
    bars = [(e.attrs["data-band"], e.attrs["data-utc"]) for e in having(page, "rect", "oncall")]
    assert sorted(bars) == [
        ("asleep", "2026-12-07T22:00:00Z/2026-12-07T23:00:00Z"),  # 23:00-24:00 Berlin
        ("awake", "2026-12-07T17:00:00Z/2026-12-07T22:00:00Z"),  # 18:00-23:00 Berlin
    ]
    (asleep,) = [e for e in having(page, "rect", "oncall") if e.attrs["data-band"] == "asleep"]
    assert asleep.title == ("Ana <b>Fox</b> on call, asleep: Mon 07 Dec 23:00-Tue 08 Dec 00:00 "
                            "Europe/Berlin (UTC+01:00) = Mon 07 Dec 22:00-23:00 UTC")


def test_load_table_has_a_row_per_engineer(page: str) -> None:
    rows = [e.attrs["data-engineer"] for e in elements(page)
            if e.tag == "tr" and "data-engineer" in e.attrs]
    assert rows == ["ana", "raj"]


def test_headline_gives_p0_peak_coverage_and_exposure(page: str) -> None:
    assert "14.3%" in page  # 4 of 28 peak hours
    assert "4.0 of 28.0 h of P0 peak demand covered" in page
    assert "12,000 EUR" in page  # 24 gap hours x 1000 users x 0.5
    assert "No structural gaps" in page


def test_headline_names_zones_where_a_hire_would_close_structural_gaps() -> None:
    riyadh = scenario(**RIYADH)
    empty = rota("t")
    page = report_page(riyadh, empty, gap_report(riyadh, empty))
    hire = re.findall(r'<li data-zone="[^"]+"><b>([^<]+)</b> \(([^)]+)\): closes ([\d.]+) h', page)
    # peaks are 17-21Z daily, 18-22 in Berlin: a second Berlin engineer would answer every one
    assert hire == [("Europe/Berlin", "UTC+01:00", "28.0")]
    assert "28.0 h</span>structural time" in page
    assert "the team's own office zones" in page


def test_hire_advice_counts_the_candidates_own_public_holidays() -> None:
    candidates = {"candidates": [{"timezone": "Europe/Berlin", "holiday_country": "DE"},
                                 {"timezone": "Asia/Dubai", "holiday_country": "AE"}]}
    riyadh = scenario(**RIYADH, hiring=candidates, horizon={"start": "2026-12-21", "days": 7})
    empty = rota("t")
    page = report_page(riyadh, empty, gap_report(riyadh, empty))
    hire = re.findall(r'<li data-zone="[^"]+"><b>([^<]+)</b> \(([^)]+)\): closes ([\d.]+) h', page)
    # Berlin's 25th and 26th are public holidays: 2 of 7 peaks lost. In Dubai the peaks run
    # 21:00-01:00 local, and a hire asleep from 23:00 answers too slowly: 2 of 4 hours each.
    assert hire == [("Europe/Berlin", "UTC+01:00, holidays DE", "20.0"),
                    ("Asia/Dubai", "UTC+04:00, holidays AE", "14.0")]
    assert "hiring.candidates" in page and "not taken into account" not in page


def test_a_window_outside_the_horizon_claims_no_coverage(berlin: Scenario) -> None:
    import datetime as dt

    planned = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"))
    start = berlin.horizon.end_at + dt.timedelta(days=30)
    page = report_page(berlin, planned, gap_report(berlin, planned, start, start + dt.timedelta(days=7)))
    assert "outside the rota's horizon" in page and "every requirement is met" not in page


def test_no_gaps_says_so_instead_of_an_empty_frame(berlin: Scenario) -> None:
    covered = rota("t", *(shift("ana", f"2026-12-{d:02d}T00:00Z", f"2026-12-{d + 1:02d}T00:00Z")
                          for d in range(7, 7 + berlin.horizon.days)))
    report = gap_report(berlin, covered)
    page = report_page(berlin, covered, report)
    assert report.gaps == []
    assert "No gaps: every requirement is met" in page and 'id="gap-table"' not in page
