from rollcall.config import Settings, get_settings


def test_every_setting_is_described():
    undocumented = [name for name, f in Settings.model_fields.items() if not f.description]
    assert undocumented == []


def test_plain_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", "postgresql://u@h/db")
    get_settings.cache_clear()
    assert get_settings().database_url == "postgresql+psycopg://u@h/db"
