"""Evidence over the API: upload (streamed), metadata, custody chain, download (recorded);
each route's permission."""

from __future__ import annotations

import hashlib

from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, api_token, app_client, users  # noqa: F401  (fixtures)

PHOTO = b"\xff\xd8 synthetic photo bytes" * 5000


def test_upload_read_download_and_access_rules(db, operator, app_client, users):  # noqa: F811
    with db.session() as s:
        accounts.add_user(s, operator, "investigator", PASSWORD, [Role.INVESTIGATOR])
    registrar = {"Authorization": f"Bearer {api_token(db, operator, 'registrar')}"}
    analyst = {"Authorization": f"Bearer {api_token(db, operator, 'analyst')}"}
    investigator = {"Authorization": f"Bearer {api_token(db, operator, 'investigator')}"}

    form = {"kind": "photo", "reason": "came with the list"}
    upload = {"file": ("cell.jpg", PHOTO, "image/jpeg")}
    assert app_client.post("/api/evidence", data=form, files=upload,
                           headers=analyst).status_code == 403
    made = app_client.post("/api/evidence", data=form, files=upload, headers=registrar)
    assert made.status_code == 201, made.text
    item = made.json()["item"]
    assert made.json()["created"] is True
    assert item["sha256"] == hashlib.sha256(PHOTO).hexdigest() and item["size"] == len(PHOTO)
    assert item["media_type"] == "image/jpeg" and item["original_name"] == "cell.jpg"
    bad = app_client.post("/api/evidence", data={"kind": "hologram", "reason": "r"},
                          files=upload, headers=registrar)
    assert bad.status_code == 422

    url = f"/api/evidence/{item['id']}"
    assert app_client.get(url, headers=registrar).status_code == 403  # write, not read
    assert app_client.get(url, headers=investigator).json()["sha256"] == item["sha256"]
    assert app_client.get(f"{url}/content", headers=investigator).status_code == 422  # reason
    download = app_client.get(f"{url}/content", params={"reason": "coding the incident"},
                              headers=investigator)
    assert download.status_code == 200 and download.content == PHOTO
    assert download.headers["content-type"] == "image/jpeg"
    chain = app_client.get(f"{url}/custody", headers=investigator).json()
    assert [(e["event"], e["actor"], e["reason"]) for e in chain] == [
        ("received", "registrar", "came with the list"),
        ("copied", "investigator", "coding the incident")]
    assert app_client.get("/api/evidence/999", headers=investigator).status_code == 404
