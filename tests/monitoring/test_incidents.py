"""Recording incidents, their sources and victims, and moving their status: the
corroboration rule (met, not met, sources that are not independent, a rule from the
settings), the investigator's sign-off, and refusals that change nothing."""

from __future__ import annotations

import pytest
from incidents_world import add_persons, add_testimony
from pydantic import ValidationError
from sqlalchemy import func, select

from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import (
    Change,
    Incident,
    IncidentSource,
    IncidentStatusChange,
    IncidentVictim,
)
from rollcall.monitoring.corroboration import CorroborationRuleError, Figures, Rule
from rollcall.security import permissions
from rollcall.services import incident_status, incidents, linkage
from rollcall.services.actor import Actor
from rollcall.services.incident_views import incident_view
from rollcall.vocabulary import IncidentStatus, Role

DEFAULT = "independent_sources >= 2 or (sources >= 2 and documents >= 1)"


def _incident(db, actor, **extra):
    values = {"type": "killing", "title": "Вигаданий випадок", **extra}
    with db.session() as s:
        return incidents.record_incident(s, actor, **values).id


def _status(db, incident_id):
    with db.session() as s:
        return s.get(Incident, incident_id).status


def _footprint(db):
    """Everything a refused write must leave as it was."""
    with db.session() as s:
        return (
            [(i.id, i.status, i.victim_count) for i in s.scalars(select(Incident))],
            s.scalar(select(func.count()).select_from(IncidentStatusChange)),
            s.scalar(select(func.count()).select_from(IncidentSource)),
            s.scalar(select(func.count()).select_from(IncidentVictim)),
            s.scalar(select(func.count()).select_from(Change)),
        )


def _move(db, actor, incident_id, to, reason=None):
    with db.session() as s:
        return incident_status.move_status(s, actor, incident_id, to, reason=reason)


def _source(db, actor, incident_id, **values):
    with db.session() as s:
        return incidents.add_source(s, actor, incident_id, **values).id


# ---- the rule itself -------------------------------------------------------------------

def test_the_default_rule_reads_and_explains_itself():
    rule = Rule.parse(get_settings().corroboration_rule)
    assert rule.text == DEFAULT
    assert rule.met(Figures(sources=2, independent_sources=2))
    assert rule.met(Figures(sources=2, independent_sources=1, documents=1))
    assert not rule.met(Figures(sources=1, independent_sources=1, documents=1))
    assert not rule.met(Figures(sources=3, independent_sources=1, testimonies=3))
    assert rule.explain(Figures(sources=1, independent_sources=1)) == (
        "independent_sources >= 2 (have 1) or (sources >= 2 (have 1) and documents >= 1 "
        "(have 0))")


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("sources >= ", "ends too early"),
    ("witnesses >= 2", "unknown figure 'witnesses'"),
    ("sources >= 1 xor media >= 1", "unexpected 'xor'"),
    ("(sources >= 1", "not closed"),
    ("__import__('os') >= 1", "unexpected character"),
    ("sources = 1", "unexpected character"),
])
def test_a_malformed_rule_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(CorroborationRuleError, match="corroboration rule: .*" + message
                       .replace("(", r"\(")):
        Rule.parse(text)


# ---- corroboration ---------------------------------------------------------------------

def test_two_independent_sources_make_an_incident_credible(db, operator, tmp_path):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    _source(db, operator, incident, kind="testimony",
            testimony_id=add_testimony(db, "T-0101", person[1]))
    with pytest.raises(InvalidValue) as refused:
        _move(db, operator, incident, "credible")
    assert str(refused.value) == (
        f"status: incident {incident} cannot be credible: the corroboration rule is not met: "
        "independent_sources >= 2 (have 1) or (sources >= 2 (have 1) and documents >= 1 "
        "(have 0))")
    assert _status(db, incident) == IncidentStatus.REPORTED

    _source(db, operator, incident, kind="media", origin="Вигадана газета",
            reference="https://news.example/a")
    change = _move(db, operator, incident, "credible")
    assert (change.from_status, change.to_status) == ("reported", "credible")
    assert change.rule == DEFAULT
    assert change.figures == {"sources": 2, "independent_sources": 2, "testimonies": 1,
                              "documents": 0, "media": 1, "other": 0}
    assert _status(db, incident) == IncidentStatus.CREDIBLE


def test_two_testimonies_of_one_witness_are_not_independent(db, operator, tmp_path):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    for pseudonym in ("T-0201", "T-0202"):
        _source(db, operator, incident, kind="testimony",
                testimony_id=add_testimony(db, pseudonym, person[2]))
    with pytest.raises(InvalidValue, match=r"independent_sources >= 2 \(have 1\)"):
        _move(db, operator, incident, "credible")
    with db.session() as s:
        view = incident_view(s, operator, incident)
    assert [v.group for v in view.sources] == [1, 1]
    assert view.assessment.figures.sources == 2 and not view.assessment.met


def test_witnesses_merged_since_are_one_origin(db, operator, tmp_path):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    _source(db, operator, incident, kind="testimony",
            testimony_id=add_testimony(db, "T-0301", person[3]))
    _source(db, operator, incident, kind="testimony",
            testimony_id=add_testimony(db, "T-0302", person[4]))
    with db.session() as s:
        assert incident_status.assess_incident(s, incident).met  # two witnesses, for now
        linkage.merge_persons(s, operator, [person[3], person[4]])
    with db.session() as s:
        after = incident_status.assess_incident(s, incident)
    assert after.figures.independent_sources == 1 and not after.met


def test_media_repeating_a_witness_or_one_publisher_is_not_independent(db, operator,
                                                                       tmp_path):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    heard = _source(db, operator, incident, kind="testimony",
                    testimony_id=add_testimony(db, "T-0401", person[5]))
    _source(db, operator, incident, kind="media", origin="Вигадане ТБ",
            reference="https://tv.example/1", repeats=heard)
    _source(db, operator, incident, kind="media", origin="  Вигадане   тб ",
            reference="https://tv.example/2", repeats=None)
    with db.session() as s:
        assessment = incident_status.assess_incident(s, incident)
    # The first report only repeats the witness, so its origin is the witness's; the
    # second is the outlet's own reporting: two origins among three sources.
    assert assessment.figures.as_dict() == {"sources": 3, "independent_sources": 2,
                                            "testimonies": 1, "documents": 0, "media": 2,
                                            "other": 0}
    assert sorted(assessment.groups.values()) == [1, 1, 2]

    other = _incident(db, operator)
    for n in (1, 2):
        _source(db, operator, other, kind="media", origin=f"Вигадана Агенція{' ' * n}",
                reference=f"https://agency.example/{n}")
    with pytest.raises(InvalidValue, match=r"independent_sources >= 2 \(have 1\)"):
        _move(db, operator, other, "credible")


def test_a_source_with_a_corroborating_document_of_the_same_origin(db, operator, tmp_path):
    """The default rule's second branch: one origin, but a document corroborates it."""
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    heard = _source(db, operator, incident, kind="testimony",
                    testimony_id=add_testimony(db, "T-0501", person[6]))
    _source(db, operator, incident, kind="document", reference="Виписка з лікарні",
            repeats=heard)
    change = _move(db, operator, incident, "credible")
    assert change.figures["independent_sources"] == 1 and change.figures["documents"] == 1


def test_a_custom_rule_from_the_settings_is_applied_and_stored(db, operator, tmp_path,
                                                                monkeypatch):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator)
    for n in (1, 2):
        _source(db, operator, incident, kind="testimony",
                testimony_id=add_testimony(db, f"T-060{n}", person[n]))
    monkeypatch.setenv("ROLLCALL_CORROBORATION_RULE", "testimonies >= 3  or  documents >= 1")
    get_settings.cache_clear()
    with pytest.raises(InvalidValue, match=r"testimonies >= 3 \(have 2\) or documents >= 1 "
                                           r"\(have 0\)"):
        _move(db, operator, incident, "credible")
    _source(db, operator, incident, kind="testimony",
            testimony_id=add_testimony(db, "T-0603", person[3]))
    change = _move(db, operator, incident, "credible")
    assert change.rule == "testimonies >= 3 or documents >= 1"

    monkeypatch.setenv("ROLLCALL_CORROBORATION_RULE", "testimonies >=")
    get_settings.cache_clear()
    with pytest.raises(ValidationError, match="ends too early"):
        get_settings()  # a misspelt rule stops the start: no incident is moved under it


# ---- the sign-off, refusals and history ------------------------------------------------

def _credible_incident(db, actor, tmp_path):
    _, person = add_persons(db, actor, tmp_path)
    incident = _incident(db, actor, victim_count=3, person_ids=[person[1]])
    for n in (1, 2):
        _source(db, actor, incident, kind="testimony",
                testimony_id=add_testimony(db, f"T-070{n}", person[n + 1]))
    _move(db, actor, incident, "credible")
    return incident, person


def test_verified_without_a_reason_is_refused_and_nothing_changes(db, operator, tmp_path):
    incident, _ = _credible_incident(db, operator, tmp_path)
    before = _footprint(db)
    for reason in (None, "", "   "):
        with pytest.raises(InvalidValue, match=f"reason: verifying incident {incident} needs "
                                               "the investigator's reason"):
            _move(db, operator, incident, "verified", reason=reason)
    assert _footprint(db) == before
    assert _status(db, incident) == IncidentStatus.CREDIBLE


def test_verified_needs_the_verify_permission(db, operator, tmp_path, monkeypatch):
    incident, _ = _credible_incident(db, operator, tmp_path)
    # A role that may record and grade incidents but not sign them off.
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, Role.REGISTRAR, frozenset({
        permissions.Permission.REGISTRY_READ, permissions.Permission.INCIDENTS_WRITE}))
    recorder = Actor("recorder", "web", frozenset({Role.REGISTRAR}))
    analyst = Actor("analyst", "web", frozenset({Role.ANALYST}))
    before = _footprint(db)
    with pytest.raises(PermissionDenied, match="incidents:verify"):
        _move(db, recorder, incident, "verified", reason="Підтверджую")
    with pytest.raises(PermissionDenied, match="incidents:write"):
        _move(db, analyst, incident, "reported", reason="Сумнів")
    assert _footprint(db) == before
    investigator = Actor("investigator", "web", frozenset({Role.INVESTIGATOR}))
    assert _move(db, investigator, incident, "verified", reason="Підтверджую").changed_by == (
        "investigator")


def test_only_a_credible_incident_can_be_verified(db, operator, tmp_path):
    incident = _incident(db, operator)
    with pytest.raises(InvalidValue, match="is reported; only a credible incident can be "
                                           "verified"):
        _move(db, operator, incident, "verified", reason="Одразу")
    with pytest.raises(Conflict, match="already reported"):
        _move(db, operator, incident, "reported", reason="x")
    with pytest.raises(InvalidValue, match="status: unknown status"):
        _move(db, operator, incident, "confirmed", reason="x")


def test_every_move_is_kept_with_who_and_why(db, operator, tmp_path):
    incident, _ = _credible_incident(db, operator, tmp_path)
    investigator = Actor("investigator", "web", frozenset({Role.INVESTIGATOR}))
    _move(db, investigator, incident, "verified", reason="Збігаються свідчення і акт")
    with pytest.raises(InvalidValue, match="from verified to credible needs a reason"):
        _move(db, investigator, incident, "credible")
    _move(db, investigator, incident, "credible", reason="Нові сумніви щодо дати")
    _move(db, operator, incident, "retracted", reason="Свідок відкликав свідчення")
    with pytest.raises(InvalidValue, match="retracted; it can only go back to reported"):
        _move(db, operator, incident, "credible")
    _move(db, operator, incident, "reported", reason="Нове свідчення")
    with db.session() as s:
        history = incident_view(s, operator, incident).history
        entries = s.scalars(select(Change).where(Change.action == "incident:status_moved",
                                                 Change.entity_id == str(incident))).all()
    assert [(h.from_status, h.to_status, h.changed_by, h.reason) for h in history] == [
        (None, "reported", "test-operator", None),
        ("reported", "credible", "test-operator", None),
        ("credible", "verified", "investigator", "Збігаються свідчення і акт"),
        ("verified", "credible", "investigator", "Нові сумніви щодо дати"),
        ("credible", "retracted", "test-operator", "Свідок відкликав свідчення"),
        ("retracted", "reported", "test-operator", "Нове свідчення"),
    ]
    assert [h.rule for h in history] == [None, DEFAULT, DEFAULT, DEFAULT, None, None]
    assert [e.actor for e in entries] == ["test-operator", "investigator", "investigator",
                                          "test-operator", "test-operator"]


def test_withdrawing_a_source_below_the_rule_moves_the_incident_back(db, operator, tmp_path):
    incident, _ = _credible_incident(db, operator, tmp_path)
    with db.session() as s:
        first = incidents.incident_sources(s, incident)[0].id
        with pytest.raises(InvalidValue, match="reason: withdrawing a source needs a reason"):
            incident_status.withdraw_source(s, operator, incident, first, reason=" ")
        incident_status.withdraw_source(s, operator, incident, first, reason="Свідок помилився")
    with db.session() as s:
        view = incident_view(s, operator, incident)
        with pytest.raises(Conflict, match="already withdrawn"):
            incident_status.withdraw_source(s, operator, incident, first, reason="ще раз")
    assert view.incident.status == IncidentStatus.REPORTED
    last = view.history[-1]
    assert (last.from_status, last.to_status) == ("credible", "reported")
    assert last.reason.startswith(f"source {first} withdrawn (Свідок помилився); the "
                                  "corroboration rule is not met")
    assert [v.group for v in view.sources] == [None, 1]
    assert view.assessment.figures.sources == 1


def test_victims_are_counted_and_linked_apart(db, operator, tmp_path):
    _, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator, victim_count=1, person_ids=[person[1]])
    with db.session() as s:
        added = incidents.link_victims(s, operator, incident, [person[1], person[2], person[3]])
        assert added == [person[2], person[3]]
        assert s.get(Incident, incident).victim_count == 3  # raised to the persons linked
        assert incidents.link_victims(s, operator, incident, [person[2]]) == []
        incidents.update_incident(s, operator, incident, victim_count=10)
    with db.session() as s:
        linkage.merge_persons(s, operator, [person[3], person[4]])
    with db.session() as s:
        assert incidents.link_victims(s, operator, incident, [person[4]]) == []  # = p3
        with pytest.raises(InvalidValue, match="3 persons are linked as victims"):
            incidents.update_incident(s, operator, incident, victim_count=2)
        incidents.unlink_victim(s, operator, incident, person[2], reason="Інша особа")
    with db.session() as s:
        view = incident_view(s, operator, incident)
        assert (view.incident.victim_count, view.victims_linked) == (10, 2)
        assert [v.id for v in view.victims] == [person[1], person[3]]
        analyst = Actor("analyst", "api", frozenset({Role.ANALYST}))
        withheld = incident_view(s, analyst, incident)
        assert withheld.victims is None and withheld.victims_linked == 2


@pytest.mark.parametrize("values, error, message", [
    ({"type": "massacre"}, InvalidValue, "type: unknown incident type"),
    ({"title": "  "}, InvalidValue, "title: an incident needs a title"),
    ({"victim_count": -1}, InvalidValue, "victim_count: must lie between"),
    ({"site": "site-z"}, NotFound, "no site 'site-z'"),
    ({"date_from": "2023-05", "date_to": "2023-04"}, InvalidValue, "ends before"),
    ({"date_from": "2999"}, InvalidValue, "in the future"),
    ({"date_from": "05/2023"}, InvalidValue, "date_from: not a date"),
    ({"person_ids": [999_999]}, NotFound, "no person"),
])
def test_bad_incidents_are_refused_and_nothing_is_written(db, operator, values, error,
                                                         message):
    before = _footprint(db)
    with pytest.raises(error, match=message):
        _incident(db, operator, **{"victim_count": 1, **values})
    assert _footprint(db) == before


@pytest.mark.parametrize("values, error, message", [
    ({"kind": "rumour", "reference": "x"}, InvalidValue, "kind: unknown source kind"),
    ({"kind": "testimony"}, InvalidValue, "testimony_id: a testimony source names"),
    ({"kind": "testimony", "testimony_id": 999}, NotFound, "no testimony 999"),
    ({"kind": "document"}, InvalidValue, "needs a reference or a registry source_id"),
    ({"kind": "document", "source_id": 999}, NotFound, "no source 999"),
    ({"kind": "media", "reference": "https://x.example"}, InvalidValue,
     "origin: a media source needs its publisher"),
    ({"kind": "other", "reference": "x", "repeats": 999}, NotFound, "no source 999 to repeat"),
])
def test_bad_sources_are_refused_and_nothing_is_written(db, operator, values, error,
                                                       message):
    incident = _incident(db, operator)
    before = _footprint(db)
    with pytest.raises(error, match=message):
        _source(db, operator, incident, **values)
    assert _footprint(db) == before


def test_a_testimony_or_a_source_is_cited_once(db, operator, tmp_path):
    source, person = add_persons(db, operator, tmp_path)
    incident = _incident(db, operator, date_from=PartialDate(2023, 2))
    testimony = add_testimony(db, "T-0801", person[1])
    _source(db, operator, incident, kind="testimony", testimony_id=testimony)
    _source(db, operator, incident, kind="document", source_id=source)
    with pytest.raises(Conflict, match=f"testimony {testimony} is already a source"):
        _source(db, operator, incident, kind="testimony", testimony_id=testimony)
    with pytest.raises(Conflict, match=f"source {source} is already cited"):
        _source(db, operator, incident, kind="other", source_id=source)


def test_updates_are_logged_with_their_diff(db, operator):
    incident = _incident(db, operator, victim_count=2)
    with db.session() as s:
        incidents.update_incident(s, operator, incident, title="Уточнена назва",
                                  date_from="2023-02", place=None)
        incidents.update_incident(s, operator, incident, title="Уточнена назва")  # no-op
    with db.session() as s:
        entries = s.scalars(select(Change).where(Change.entity_type == "incident")
                            .order_by(Change.id)).all()
    assert [e.action for e in entries] == ["incident:recorded", "incident:updated"]
    assert entries[1].diff == {"date_from": [None, "2023-02"],
                               "title": ["Вигаданий випадок", "Уточнена назва"]}
