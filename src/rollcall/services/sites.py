"""Places of detention and monitor access."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, ImportFileError, InvalidValue, NotFound
from rollcall.models import AccessPeriod, Site
from rollcall.names import fold
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.vocabulary import AccessLevel, SiteType

SITE_COLUMNS = ("site_key", "name_uk", "name_ru", "name_en", "aliases", "type", "region",
                "country", "lat", "lon")


def add_site(
    session: Session,
    actor: Actor,
    *,
    key: str | None = None,
    name_uk: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    aliases: list[str] | None = None,
    type: SiteType = SiteType.OTHER,
    region: str | None = None,
    country: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    actor.require(Permission.SITES_WRITE)
    if not (name_uk or name_ru or name_en):
        raise InvalidValue("a site needs a name in at least one language")
    if key and session.scalar(select(Site.id).where(Site.key == key)) is not None:
        raise Conflict(f"site {key!r} exists already")
    if latitude is not None and not -90 <= latitude <= 90:
        raise InvalidValue("latitude must be between -90 and 90")
    if longitude is not None and not -180 <= longitude <= 180:
        raise InvalidValue("longitude must be between -180 and 180")
    site = Site(
        key=key, name_uk=name_uk, name_ru=name_ru, name_en=name_en, aliases=aliases or [],
        type=type, region=region, country=country.upper() if country else None,
        latitude=latitude, longitude=longitude,
    )
    session.add(site)
    session.flush()
    record_change(session, actor, Action.SITE_CREATED, "site", site.id, entity_state(site))
    return site


def import_sites(session: Session, actor: Actor, path: Path) -> list[Site]:
    """Load a gazetteer of sites (columns as `rollcall synth` writes them). Keys already
    present are refused, so a file can be loaded once."""
    sites = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("site_key", "type") if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFileError(f"missing column(s) {', '.join(missing)}", file=str(path))
        for number, row in enumerate(reader, start=2):
            try:
                site_type = SiteType(row["type"].strip())
            except ValueError:
                raise ImportFileError(
                    f"unknown site type {row['type'][:40]!r} (expected one of "
                    f"{', '.join(t.value for t in SiteType)})",
                    file=str(path), row=number, field="type",
                ) from None
            try:
                lat = float(row["lat"]) if row.get("lat") else None
                lon = float(row["lon"]) if row.get("lon") else None
            except ValueError:
                raise ImportFileError("coordinates are not numbers", file=str(path),
                                      row=number, field="lat/lon") from None
            sites.append(add_site(
                session, actor, key=row["site_key"].strip() or None,
                name_uk=row.get("name_uk") or None, name_ru=row.get("name_ru") or None,
                name_en=row.get("name_en") or None,
                aliases=[a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()],
                type=site_type, region=row.get("region") or None,
                country=row.get("country") or None, latitude=lat, longitude=lon,
            ))
    return sites


def find_site(session: Session, site: int | str, *, field: str | None = None) -> Site:
    """A site by id or by key. An unknown one is refused naming what was asked for (and
    the field that asked, when a form or file has several)."""
    if isinstance(site, bool):
        raise InvalidValue(f"{field or 'site'}: a site id or key is required")
    found = (session.get(Site, site) if isinstance(site, int)
             else session.scalars(select(Site).where(Site.key == site)).one_or_none())
    if found is None:
        shown = site if isinstance(site, int) else repr(site[:100])
        raise NotFound(f"{field + ': ' if field else ''}no site {shown}")
    return found


def site_name_index(session: Session) -> dict[str, int]:
    """Every known name and alias of every site, folded, to its id: how a list's
    "place of detention" text finds its site. A name shared by two sites is left out."""
    index: dict[str, int] = {}
    ambiguous: set[str] = set()
    for site in session.scalars(select(Site)):
        for name in site.names:
            key = fold(name)
            if key in index and index[key] != site.id:
                ambiguous.add(key)
            index[key] = site.id
    for key in ambiguous:
        del index[key]
    return index


def record_access(
    session: Session,
    actor: Actor,
    site_id: int,
    monitor: str,
    level: AccessLevel,
    *,
    start: PartialDate | None = None,
    end: PartialDate | None = None,
    source_id: int | None = None,
    notes: str | None = None,
) -> AccessPeriod:
    actor.require(Permission.SITES_WRITE)
    if session.get(Site, site_id) is None:
        raise NotFound(f"no site {site_id}")
    if start and end and end < start:
        raise InvalidValue("an access period cannot end before it starts")
    period = AccessPeriod(site_id=site_id, monitor=monitor, level=level, start=start, end=end,
                          source_id=source_id, notes=notes)
    session.add(period)
    session.flush()
    record_change(session, actor, Action.ACCESS_RECORDED, "access_period", period.id,
                  entity_state(period))
    return period
