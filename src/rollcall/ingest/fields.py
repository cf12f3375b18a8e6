"""The registry's record fields: the target every list header is mapped onto.

The names are the SourceRecord columns (GC III Art. 17 identity, Art. 70 capture card,
Art. 120 death fields). `full_name` is not stored: it is split into surname, given name
and patronymic.
"""

from enum import StrEnum


class Field(StrEnum):
    SOURCE_KEY = "source_key"
    SURNAME = "surname"
    GIVEN_NAME = "given_name"
    PATRONYMIC = "patronymic"
    FULL_NAME = "full_name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    PLACE_OF_BIRTH = "place_of_birth"
    SERVICE_NUMBER = "service_number"
    RANK = "rank"
    UNIT = "unit"
    POWER_DEPENDED_ON = "power_depended_on"
    FATHER_NAME = "father_name"
    MOTHER_MAIDEN_NAME = "mother_maiden_name"
    PERSON_TO_INFORM = "person_to_inform"
    CAPTURE_DATE = "capture_date"
    CAPTURE_PLACE = "capture_place"
    CATEGORY = "category"
    STATED_STATUS = "stated_status"
    STATUS_DATE = "status_date"
    HEALTH_NOTES = "health_notes"
    SITE_NAMED = "site_named"
    DEATH_DATE = "death_date"
    DEATH_PLACE = "death_place"
    DEATH_CAUSE = "death_cause"
    BURIAL_PLACE = "burial_place"
    NOTES = "notes"


DATE_FIELDS = frozenset({Field.BIRTH_DATE, Field.CAPTURE_DATE, Field.STATUS_DATE, Field.DEATH_DATE})

#: Text fields kept as given (trimmed). Everything not a date, category, sex or name split.
TEXT_FIELDS = frozenset(Field) - DATE_FIELDS - {Field.CATEGORY, Field.SEX, Field.FULL_NAME}

#: Stored record columns (full_name is split, never stored).
STORED_FIELDS = tuple(f for f in Field if f is not Field.FULL_NAME)

#: The normalised fields of a SourceRecord, as column names (source_key is provenance).
RECORD_FIELDS = tuple(f.value for f in STORED_FIELDS if f is not Field.SOURCE_KEY)

#: Family contacts: shown and exported only with `contacts:read` (DESIGN.md section 6).
CONTACT_FIELDS = frozenset({Field.PERSON_TO_INFORM.value})

#: Longest text a single cell may hold. A longer cell is a broken file or an attack,
#: never a name or a note on a list.
MAX_CELL_CHARS = 4000
