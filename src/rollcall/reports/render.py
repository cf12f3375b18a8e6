"""The periodic report as one self-contained HTML file: the template
(`templates/periodic.html`) with its style sheet (`templates/periodic.css`) inlined,
charts as inline SVG, no script, no font, no image and no link to anything outside the
file. Its own Content-Security-Policy (a `<meta>` in the file, and the same header when
the app serves it) allows nothing to be fetched, so a reader's browser proves it: a
resource the file asked for would be refused, not loaded.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rollcall.reports.figures import PeriodicReport
from rollcall.reports.view import report_view
from rollcall.web.i18n import translator

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES),
                       autoescape=select_autoescape(("html",), default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@cache
def style() -> str:
    return (TEMPLATES / "periodic.css").read_text(encoding="utf-8")


def content_security_policy(*, header: bool = True) -> str:
    """Nothing from anywhere; only the report's own style sheet, by its hash. In the
    file's `<meta>` (header False) without frame-ancestors, which browsers read only from
    a header."""
    digest = base64.b64encode(hashlib.sha256(style().encode("utf-8")).digest()).decode()
    policy = (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
              "form-action 'none'; base-uri 'none'")
    return policy + "; frame-ancestors 'none'" if header else policy


def render_report(report: PeriodicReport, language: str) -> str:
    """The report in `language` (uk or en) as one HTML document."""
    t = translator(language)
    view = report_view(report, t)
    return environment().get_template("periodic.html").render(
        view=view, report=report, _=t.gettext, style=style(),
        csp=content_security_policy(header=False))


__all__ = ["content_security_policy", "render_report"]
