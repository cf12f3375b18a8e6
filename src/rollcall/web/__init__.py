"""The server-rendered pages (Jinja2, Ukrainian and English) and what the API shares with
them: access rules, error answers, parameter parsing."""
