"""The counts of exchanges, contact with family and prosecutions, against the world worked
out on paper in `exchange_world.build_exchanges`."""

from __future__ import annotations

import datetime as dt

from exchange_world import FEBRUARY, JANUARY, build_exchanges

from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.services import exchanges, linkage


def test_every_figure_matches_the_hand_count(db, operator, tmp_path):
    build_exchanges(db, operator, tmp_path)
    with db.session() as s:
        c = exchange_counts(s)
    assert (c.exchanges, c.first_exchange, c.last_exchange) == (2, JANUARY, FEBRUARY)
    own, adversary = c.to_own_side, c.to_adversary
    assert own.alive == 1 and adversary.alive == 1
    assert (own.bodies.unidentified, own.bodies.pending, own.bodies.identified,
            own.bodies.unnamed, own.bodies.total) == (2, 1, 0, 2, 3)
    assert adversary.bodies.total == 0
    contact = c.contact
    assert (contact.held, contact.deprived, contact.in_contact) == (1, 1, 0)
    assert (contact.released_interviewed, contact.answered, contact.said_no_contact) == (2, 2, 1)
    p = c.prosecution
    assert (p.prosecutions, p.persons, p.with_any_concern) == (2, 2, 2)
    assert p.by_verdict == {"pending": 1, "convicted": 1, "acquitted": 0, "dismissed": 0}
    assert {k: v for k, v in p.by_concern.items() if v} == {
        "coerced_confession": 1, "no_lawyer_of_choice": 1, "closed_hearing": 1}


def test_an_empty_registry_counts_zero(db):
    with db.session() as s:
        c = exchange_counts(s)
    assert (c.exchanges, c.first_exchange, c.to_own_side.alive, c.contact.held,
            c.prosecution.prosecutions) == (0, None, 0, 0, 0)
    assert set(c.prosecution.by_verdict.values()) == {0}


def test_persons_merged_after_the_exchange_count_once(db, operator, tmp_path):
    """Ковальчук (handed over in exchange 2) and Шевчук (attached to exchange 1 now) are
    merged: to the adversary 1 alive, to own side 2 (Коваленко, Шевчук+Ковальчук)."""
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    with db.session() as s:
        exchanges.attach_persons(s, operator, world.first, [reg.shevchuk],
                                 direction="to_own_side")
        exchanges.record_exchange(s, operator, date=dt.date(2024, 3, 1),
                                  unnamed_bodies_to_adversary=5)
    with db.session() as s:
        linkage.merge_persons(s, operator, [reg.shevchuk, reg.kovalchuk])
    with db.session() as s:
        c = exchange_counts(s)
    assert (c.exchanges, c.to_own_side.alive, c.to_adversary.alive) == (3, 2, 1)
    assert (c.to_adversary.bodies.unidentified, c.to_adversary.bodies.unnamed) == (5, 5)
    # Шевчук's delivered call now belongs to the survivor; interviewed: Шевчук (merged with
    # Ковальчук, whose testimony lacked consent) and Коваленко.
    assert (c.contact.released_interviewed, c.contact.said_no_contact) == (2, 1)
