"""The public API of `rollcall.names` that linkage and tracing build on."""

import inspect

import rollcall.names as names

DOCUMENTED = {
    "fold", "search_key", "romanize", "given_name_key", "patronymic_key", "surname_key",
    "name_keys", "NameKeys", "service_number_key", "birth_date_agreement", "DateAgreement",
}  # fmt: skip


def test_every_documented_name_is_exported():
    assert set(names.__all__) >= DOCUMENTED
    for name in names.__all__:
        assert hasattr(names, name), name


def test_every_export_is_documented_in_the_package_docstring():
    for name in names.__all__:
        assert f"`{name}" in names.__doc__, name


def test_signatures_linkage_relies_on():
    params = inspect.signature(names.name_keys).parameters
    assert list(params) == ["surname", "given_name", "patronymic"]
    for fn in (names.given_name_key, names.patronymic_key, names.surname_key,
               names.romanize, names.service_number_key):
        assert len(inspect.signature(fn).parameters) == 1


def test_name_keys_is_frozen():
    keys = names.name_keys("a", "b", "c")
    assert {"surname", "given", "patronymic"} <= set(type(keys).__dataclass_fields__)
    try:
        keys.surname = "x"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("NameKeys must be frozen")
