from rollcall.custody import derive_status
from rollcall.dates import PartialDate as D
from rollcall.vocabulary import Category, CustodyStatus, LegalStatus
from rollcall.vocabulary import EventType as E


def test_latest_event_decides():
    status = derive_status([(E.CAPTURED, D(2022, 4, 1)), (E.EXCHANGED, D(2023, 5, 2)),
                            (E.HELD, D(2023, 1))], [Category.POW])
    assert status.custody is CustodyStatus.RELEASED
    assert status.as_of == D(2023, 5, 2)
    assert status.legal is LegalStatus.POW


def test_death_is_final_whatever_comes_after():
    status = derive_status([(E.DIED, D(2023, 2)), (E.HELD, D(2024, 1))])
    assert status.custody is CustodyStatus.DEAD and status.as_of == D(2023, 2)


def test_undated_release_counts_as_latest_and_undated_capture_as_earliest():
    released = derive_status([(E.RELEASED, None), (E.HELD, D(2024, 1))])
    assert released.custody is CustodyStatus.RELEASED
    escaped = derive_status([(E.CAPTURED, None), (E.ESCAPED, D(2024, 1))])
    assert escaped.custody is CustodyStatus.ESCAPED


def test_same_day_release_comes_after_custody():
    status = derive_status([(E.RELEASED, D(2024, 3, 1)), (E.HELD, D(2024, 3, 1))])
    assert status.custody is CustodyStatus.RELEASED


def test_no_events_means_missing_or_unknown():
    assert derive_status([], [Category.MISSING]).custody is CustodyStatus.MISSING
    assert derive_status([], []).custody is CustodyStatus.UNKNOWN


def test_a_charge_means_status_denied():
    status = derive_status([(E.CAPTURED, D(2022)), (E.CHARGED, D(2023))], [Category.POW])
    assert status.legal is LegalStatus.STATUS_DENIED and status.custody is CustodyStatus.HELD


def test_a_sentence_after_release_does_not_make_the_person_held_again():
    status = derive_status([(E.CAPTURED, D(2022, 4)), (E.EXCHANGED, D(2023, 6, 1)),
                            (E.SENTENCED, D(2024, 2, 5))], [Category.POW])
    assert status.custody is CustodyStatus.RELEASED and status.as_of == D(2023, 6, 1)
    assert status.legal is LegalStatus.STATUS_DENIED
    recaptured = derive_status([(E.EXCHANGED, D(2022, 9)), (E.CAPTURED, D(2023, 2)),
                                (E.SENTENCED, D(2023, 8))])
    assert recaptured.custody is CustodyStatus.HELD  # the new capture says so, not the trial
    assert recaptured.as_of == D(2023, 2)
    tried_while_held = derive_status([(E.CAPTURED, D(2022, 4)), (E.CHARGED, D(2023, 2))])
    assert tried_while_held.custody is CustodyStatus.HELD
