"""WCAG 2.1 A and AA rules checked by axe-core (npm `axe-core@4.14.1`, which `make test`
installs into build/node) on every page, as an administrator (who sees every form) in
Ukrainian and as the English-speaking liaison officer, and on the public pages logged out.

The page's Content-Security-Policy forbids injected scripts, so axe's source is evaluated
through the DevTools protocol (`page.evaluate`), which the policy does not govern; the
pages themselves are checked exactly as served. No rule is excluded.
"""

from __future__ import annotations

import pytest
from browser_support import AXE, Served, log_in, page_paths, shot

from rollcall.app import create_app

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC = ("/login", "/family")


def axe_violations(page: object) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core (npm install "
                    "--prefix build/node axe-core@4.14.1)")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert result["passes"], "axe checked nothing"
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in result["violations"]]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("username", ["admin", "liaison"])
def test_every_page_meets_wcag_21_aa(full_site: Served, context, username: str):
    page = log_in(context, full_site, username)
    found = {}
    paths = page_paths(create_app(full_site.db), full_site.ids)
    assert len(paths) > 30
    for path in paths:
        answer = page.goto(full_site.url + path)
        if answer.status == 403:
            continue  # not this role's page
        assert answer.status == 200, path
        problems = axe_violations(page)
        if problems:
            found[path] = problems
            shot(page, f"axe-{username}-{path.strip('/').replace('/', '-')}")
    assert found == {}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_public_pages_meet_wcag_21_aa(full_site: Served, context):
    page = context.new_page()
    found = {}
    for path in PUBLIC:
        page.goto(full_site.url + path)
        problems = axe_violations(page)
        if problems:
            found[path] = problems
    shot(page, "public-family-form")
    assert found == {}


def test_the_check_finds_what_it_should(browser):
    """The checker itself: an unlabelled field, an image without text and grey on grey
    are reported (so an empty list above means something)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><input id="x">'
                     '<img src="data:,"><p style="color:#999;background:#aaa">faint</p>'
                     '</main></html>')
    found = " ".join(axe_violations(page))
    context.close()
    assert "label" in found and "image-alt" in found and "color-contrast" in found
