"""Russian romanisations of a name, through iuliia: the other side's lists, passports and
the press write Russian names in one of these, and a search or a key must recognise each.
"""

from __future__ import annotations

from functools import lru_cache

import iuliia

#: The schemes met in practice, by the name used for them here.
SCHEMES: dict[str, iuliia.Schema] = {
    "icao_2013": iuliia.ICAO_DOC_9303,  # Russian passports since 2013 (Andrei, Iurii)
    "mvd_310": iuliia.MVD_310,  # passports 1997-2010 (Andrey, Yuriy)
    "mvd_782": iuliia.MVD_782,  # passports 2010-2013
    "gost_779": iuliia.GOST_779,  # GOST 7.79-2000 system B (Andrej, Ûrij)
    "bgn_pcgn": iuliia.BGN_PCGN,
    "scientific": iuliia.SCIENTIFIC,
    "wikipedia": iuliia.WIKIPEDIA,  # the press and Wikipedia (Andrey, Yury)
}


@lru_cache(maxsize=4096)
def _romanizations(text: str) -> tuple[tuple[str, str], ...]:
    normal = text.replace("ё", "е").replace("Ё", "Е")  # iuliia leaves ё as is in some schemes
    return tuple((name, schema.translate(normal)) for name, schema in SCHEMES.items())


def russian_romanizations(text: str) -> dict[str, str]:
    """A Russian name in every scheme of `SCHEMES`:
    {"icao_2013": "Aleksei", "wikipedia": "Aleksey", ...}."""
    return dict(_romanizations(text))
