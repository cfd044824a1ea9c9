"""The coverage report page in headless Chromium, served by the API for the bundled example.

What a planner relies on: every region's heatmap has a cell per local hour, the timeline a row per
engineer on call, the gap table a row per gap; a gap's cell names its interval and cause; the page
needs nothing from the network but itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browserkit import Served

from rota.oncall import rota_on_call
from rota.render.html import MAX_TIMELINE_DAYS
from rota.report import GapReport, gap_report
from rota.spans import from_ts, iso_z
from rota.zones import zone

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(served: Served) -> GapReport:
    return gap_report(served.scenario, served.rota)


@dataclass
class Loaded:
    tab: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def loaded(browser: Any, served: Served) -> Iterator[Loaded]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    seen = Loaded(context.new_page())
    seen.tab.on("request", lambda r: seen.requests.append(r.url))
    seen.tab.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    response = seen.tab.goto(served.url, wait_until="load")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    yield seen
    context.close()


@pytest.fixture(scope="module")
def page(loaded: Loaded) -> Any:
    return loaded.tab


def test_the_page_loads_alone_without_errors(loaded: Loaded, served: Served) -> None:
    assert loaded.requests == [served.url]  # no CDN, no fonts, no scripts
    assert loaded.errors == []
    assert loaded.tab.title() == "Coverage report: Global live-streaming SRE"


def test_each_region_has_a_cell_per_local_hour(page: Any, served: Served,
                                               report: GapReport) -> None:
    for region in served.scenario.regions:
        tz = zone(region.timezone)
        days = ((from_ts(report.end - 1).astimezone(tz).date()
                 - from_ts(report.start).astimezone(tz).date()).days + 1)
        cells = page.locator(f"#heatmap-{region.id} g.cell")
        assert cells.count() == days * 24, region.id
    box = page.locator("g.cell rect").first.bounding_box()
    assert box is not None and box["width"] > 10 and box["height"] > 10


def test_timeline_has_a_row_per_engineer_on_call(page: Any, served: Served,
                                                 report: GapReport) -> None:
    shown_end = min(report.end, report.start + MAX_TIMELINE_DAYS * 86400)
    on_call = rota_on_call(served.rota, report.start, shown_end)
    rows = page.locator("svg.timeline g.tl-row")
    assert rows.count() == len(on_call)
    assert page.locator("svg.timeline rect.oncall").count() > rows.count()


def test_gap_table_has_a_row_per_gap(page: Any, report: GapReport) -> None:
    assert len(report.gaps) > 0
    assert page.locator("#gap-table tbody tr").count() == len(report.gaps)
    first_exposure = page.locator("#gap-table tbody tr").first.locator("td").last.inner_text()
    largest = max(g.exposure.amount for g in report.gaps if g.exposure)
    assert first_exposure.startswith(f"{largest:,.0f}")


def test_a_gap_cell_names_its_interval_and_cause(page: Any, served: Served,
                                                 report: GapReport) -> None:
    gap = next(g for g in report.gaps if g.cause == "too_slow" and g.seconds >= 3600)
    region = served.scenario.region_by_id[gap.region]
    local = from_ts(gap.start).astimezone(zone(region.timezone))
    cell = page.locator(f'#heatmap-{gap.region} g.cell[data-utc^="{iso_z(gap.start)}"]')
    assert cell.count() == 1
    assert cell.get_attribute("data-state") in ("uncovered", "structural")
    tooltip = cell.locator("title").text_content()
    assert tooltip.startswith(f"{local:%a %d %b %H}:00-")
    assert region.timezone in tooltip and f"{from_ts(gap.start):%H:%M}-" in tooltip
    assert "UTC" in tooltip and "too_slow" in tooltip
    cell.scroll_into_view_if_needed()
    assert cell.is_visible()


def test_screenshot(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot), full_page=False)
    page.locator("#timeline").screenshot(path=str(tmp_path / "timeline.png"))
    assert shot.stat().st_size > 10_000
