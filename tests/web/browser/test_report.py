"""The periodic report in a real browser: built from a demo-like synthetic registry (what
`rollcall demo` builds, at 300 persons), opened from its file in Chromium with nothing
fetched and no error, checked by axe-core (WCAG 2.1 AA) as the pages are, saved as a
screenshot (test-artifacts/screenshots/) and printed to
PDF on A4, as a reader would.

On SQLite only: how the file looks and prints does not depend on the database, and its
figures are checked on both (tests/stats/test_periodic_report.py)."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from browser_support import SCREENSHOTS, shot
from test_accessibility import axe_violations

from rollcall.reports import parse_period, periodic_report


def png_colours(path: Path) -> int:
    """How many distinct byte values the image's pixel data holds (a blank page: one or
    two). PNG read by hand: the test needs no imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, pixels = 8, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        if kind == b"IDAT":
            pixels += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    return len(set(zlib.decompress(pixels)))


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_report_of_a_demo_registry_opens_and_prints(db, cli, browser, tmp_path):
    built = cli("demo", "--persons", "300", "--dir", str(tmp_path / "demo"))
    assert built.exit_code == 0, built.output
    with db.session() as session:
        html = periodic_report(session, parse_period("2022", "2025"), language="uk")
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")

    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    try:
        page = context.new_page()
        asked: list[str] = []
        problems: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.on("console", lambda message: problems.append(message.text)
                if message.type in ("error", "warning") else None)
        page.goto(report.as_uri())
        assert asked == [report.as_uri()]  # nothing else fetched
        assert problems == []  # no resource refused by the report's own policy either
        assert page.locator("h1").inner_text() == (
            "Періодична доповідь про військовополонених і затриманих цивільних")
        # Every section has content from the registry: figures, not only zeros and marks.
        for section in ("persons_by_status", "deaths_in_custody", "sites_by_access",
                        "ill_treatment_methods", "incidents", "exchanges",
                        "undocumented_estimate"):
            numbers = page.locator(f"#{section} [data-numerator]").evaluate_all(
                "cells => cells.map(c => Number(c.dataset.numerator))")
            assert any(n > 0 for n in numbers), section
        assert page.locator("#undocumented_estimate").get_by_text(
            "Оцінена загальна кількість").count() >= 1
        charts = page.locator("svg.chart")
        assert charts.count() >= 5
        for i in range(charts.count()):  # each chart drawn at a real size
            box = charts.nth(i).bounding_box()
            assert box and box["width"] > 300 and box["height"] > 30
        assert axe_violations(page) == []  # WCAG 2.1 A and AA, as the pages
        picture = shot(page, "periodic-report-sqlite")
        assert png_colours(picture) > 20  # not a blank page

        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('#methods'))"
                             ".breakBefore") == "page"  # each section on a new page
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF-")
        assert pdf_pages(pdf) >= 8  # the cover and key figures, then a page per section
        (SCREENSHOTS / "periodic-report-sqlite.pdf").write_bytes(pdf)
    finally:
        context.close()
