"""The import report's reasons in the reader's language.

The ingest layer writes each rejected row's reason in English (the CLI, the API and the
`--report` file speak English, and the stored report stays as the import wrote it). The
pages translate it when they show it: each reason the readers produce has a message here,
written as the reason is, with `%(name)s` where the reason carries a value (the cell as
written, a year, a count). A stored reason that matches no message is shown as stored;
the untranslated-string walk of the browser tests catches one that slipped through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from rollcall.web.i18n import N_

REASONS = (
    N_("no surname"),
    N_("unparseable date %(value)s (write e.g. 1994-03-12, 12.03.1994, 03.1994 or 1994)"),
    N_("unparseable date %(value)s: no such day or month"),
    N_("year before 1900 in date %(value)s"),
    N_("date is in the future: %(value)s"),
    N_("two-digit year in %(value)s read as %(year)s"),
    N_("unknown category %(value)s (expected one of %(codes)s, or a word such as "
       "військовополонений, civilian internee)"),
    N_("unknown sex %(value)s (expected e.g. ч/ж, м/ж, male/female, m/f)"),
    N_("%(value)s is not a date"),
    N_("status %(value)s not recognised; kept as text, no event derived"),
    N_("cell holds a formula (%(formula)s) with no computed value; paste values instead"),
    N_("value computed by formula %(formula)s used"),
    N_("%(used)s cells but only %(columns)s columns"),
    N_("cell is too long (%(length)s characters; the limit is %(limit)s)"),
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for message in REASONS:
        parts = re.split(r"%\((\w+)\)s", message)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                        for i, part in enumerate(parts))
        patterns.append((re.compile(regex + r"\Z", re.S), message))
    return patterns


def translate_reason(reason: str, gettext: Callable[..., str]) -> str:
    """`reason` as stored, in the language of `gettext` when it is one of REASONS."""
    for pattern, message in _patterns():
        match = pattern.match(reason)
        if match:
            return gettext(message, **match.groupdict())
    return reason
