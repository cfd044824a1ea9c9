"""The report page read on a phone, a laptop and a wide screen (390, 1280 and 1920 px wide).

What a reader relies on: every column of the gap table, its header and each of its cells, lies
inside the window without scrolling sideways (at 390 px each gap is a block of labelled lines,
the header row hidden and each cell carrying its column's name), the navigation does not run off
the screen, and each gap names who was on call and who was on leave. Screenshots of each width
are kept with the test's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import Served

pytestmark = pytest.mark.browser

WIDTHS = [390, 1280, 1920]
GAP_ROWS_CHECKED = 40  # the first rows (largest exposure): every cell of each is measured


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def tab(request: pytest.FixtureRequest, browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    response = page.goto(served.url, wait_until="load")
    assert response is not None and response.status == 200
    yield page
    context.close()


def _width(tab: Any) -> int:
    return int(tab.viewport_size["width"])


def test_screenshots_of_the_headline_and_the_gap_table(tab: Any, tmp_path: Path) -> None:
    width = _width(tab)
    tab.screenshot(path=str(tmp_path / f"report-{width}.png"))
    table = tab.locator("#gap-table")
    table.scroll_into_view_if_needed()
    tab.screenshot(path=str(tmp_path / f"gaps-{width}.png"))
    assert (tmp_path / f"gaps-{width}.png").stat().st_size > 5_000


def test_every_gap_column_header_and_cell_is_inside_the_window(tab: Any) -> None:
    width = _width(tab)
    boxes = tab.evaluate(
        """(rows) => {
             const table = document.querySelector('#gap-table');
             const inside = (el) => { const r = el.getBoundingClientRect();
                                      return {left: r.left, right: r.right,
                                              shown: getComputedStyle(el).display !== 'none',
                                              label: el.dataset.label || el.textContent.trim()}; };
             const heads = [...table.querySelectorAll('thead th')].map(inside);
             const cells = [...table.querySelectorAll('tbody tr')].slice(0, rows)
                 .flatMap(tr => [...tr.querySelectorAll('td')].map(inside));
             return {heads, cells, page: document.documentElement.scrollWidth};
           }""", GAP_ROWS_CHECKED)
    assert len(boxes["cells"]) >= 12 * min(GAP_ROWS_CHECKED, 2)
    for box in boxes["cells"]:
        assert box["shown"] and box["left"] >= 0 and box["right"] <= width, (width, box)
    for head in boxes["heads"]:
        if head["shown"]:
            assert head["left"] >= 0 and head["right"] <= width, (width, head)
        else:  # a narrow window shows each cell with its column's name instead
            assert width < 700
    if width < 700:
        labels = tab.locator("#gap-table tbody tr").first.locator("td")
        assert [labels.nth(i).get_attribute("data-label") for i in range(labels.count())][:3] == [
            "#", "region", "severity"]
    assert boxes["page"] <= width


def test_the_navigation_stays_on_screen(tab: Any) -> None:
    width = _width(tab)
    nav = tab.evaluate("""() => {
        const n = document.querySelector('nav');
        const links = [...n.querySelectorAll('a')].map(a => a.getBoundingClientRect().right);
        return {scroll: n.scrollWidth, client: n.clientWidth, right: Math.max(...links)}; }""")
    assert nav["scroll"] <= nav["client"] and nav["right"] <= width


def test_gap_rows_name_who_was_on_call_and_on_leave(tab: Any, served: Served) -> None:
    from rota.report import gap_report

    report = gap_report(served.scenario, served.rota)
    names = {e.id: e.label for e in served.scenario.engineers}
    with_leave = next(g for g in report.gaps if g.on_leave)
    row = tab.locator(f'#gap-table tbody tr[data-region="{with_leave.region}"]'
                      f'[data-start="{with_leave.start}"]')
    people = row.locator("td.people").inner_text()
    assert all(names[e] in people for e in with_leave.on_call + with_leave.on_leave)
    assert "on leave" in people
