"""What `rollcall serve` runs in each worker."""

from rollcall.app import serve_app
from rollcall.names.keys import given_index, patronymic_index


def test_a_served_worker_builds_the_tracing_name_tables_before_its_first_request() -> None:
    given_index.cache_clear()
    patronymic_index.cache_clear()
    app = serve_app()
    try:
        assert given_index.cache_info().currsize == 1
        assert patronymic_index.cache_info().currsize == 1
    finally:
        app.state.db.dispose()
