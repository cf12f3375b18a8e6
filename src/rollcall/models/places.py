"""Places of detention and the access independent monitors had to them."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import AccessLevel, SiteType


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[intpk]
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    name_uk: Mapped[str | None] = mapped_column(String(300))
    name_ru: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    type: Mapped[SiteType] = vocabulary_column(SiteType, default=SiteType.OTHER)
    region: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)

    access_periods: Mapped[list[AccessPeriod]] = relationship(
        back_populates="site", lazy="raise", order_by="AccessPeriod.start"
    )

    @property
    def names(self) -> list[str]:
        return [n for n in (self.name_uk, self.name_ru, self.name_en, *self.aliases) if n]

    @property
    def display_name(self) -> str:
        return self.name_uk or self.name_en or self.name_ru or self.key or f"site {self.id}"


class AccessPeriod(Base):
    """The access one monitor had to a site over a period (GC III Art. 126 for `full`)."""

    __tablename__ = "access_periods"

    id: Mapped[intpk]
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    monitor: Mapped[str] = mapped_column(String(50))
    level: Mapped[AccessLevel] = vocabulary_column(AccessLevel)
    start: Mapped[PartialDate | None]
    end: Mapped[PartialDate | None]
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site] = relationship(back_populates="access_periods", lazy="raise")
