"""Your data is yours: download every row and file as a zip, or delete the account for good."""

import io
import json
import os
import re
import zipfile

import pytest
from sqlalchemy import text

from tests.conftest import PASSWORD
from tests.conftest import csrf_token_from
from tests.factories import UserFactory
from tests.factories import every_kind_of_row
from tracker.data_export import SECRET_COLUMNS
from tracker.data_export import attachment_arcname
from tracker.data_export import export_columns
from tracker.extensions import db
from tracker.models import Attachment
from tracker.models import User
from tracker.ownership import owned_tables
from tracker.uploads import stored_path

DOWNLOAD = "/app/settings/download/"
DELETE = "/app/settings/delete-account/"


@pytest.fixture(autouse=True)
def upload_folder(app, csrf_app, tmp_path, monkeypatch):
    """Keep this test's files in a temporary folder, for both apps."""
    folder = tmp_path / "uploads"
    for each in (app, csrf_app):
        monkeypatch.setitem(each.config, "UPLOAD_FOLDER", str(folder))
    return folder


def tables_with_user_id():
    """Every table of the live database with a user_id column, whatever made it."""
    return set(
        db.session.execute(
            text(
                "SELECT c.table_name FROM information_schema.columns c "
                "JOIN information_schema.tables t USING (table_schema, table_name) "
                "WHERE c.column_name = 'user_id' AND c.table_schema = current_schema() "
                "AND t.table_type = 'BASE TABLE'"
            )
        ).scalars()
    )


def row_counts(user_id):
    """{table: rows of user_id} over users and every table with a user_id column."""
    counts = {
        "users": db.session.execute(
            text("SELECT count(*) FROM users WHERE id = :u"), {"u": user_id}
        ).scalar()
    }
    for name in sorted(tables_with_user_id()):
        counts[name] = db.session.execute(
            text(f'SELECT count(*) FROM "{name}" WHERE user_id = :u'), {"u": user_id}
        ).scalar()
    return counts


def attach_files(user, app):
    """Write a distinct file for each of user's attachments; return {arcname: content}."""
    written = {}
    for attachment in db.session.query(Attachment).filter_by(user_id=user.id):
        content = f"%PDF-1.4 score {attachment.id} of {user.email}\n".encode()
        path = stored_path(user.id, attachment.stored_name, app)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(content)
        written[attachment_arcname(attachment.id, attachment.original_name)] = content
    return written


def files_under(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


def download(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response, zipfile.ZipFile(io.BytesIO(response.data))


def test_every_table_with_a_user_id_is_exported():
    exported = {table.name for table in owned_tables()}
    assert tables_with_user_id() <= exported, "a table of users' rows is left out of the export"
    assert exported == tables_with_user_id()


def test_no_credential_column_is_exported():
    """A new column that looks like a credential must be named in SECRET_COLUMNS to be left out."""
    credential = re.compile(r"hash|secret|password|uniquifier|otp|recovery")
    exported = {
        f"{table.name}.{column.name}"
        for table in [User.__table__, *owned_tables()]
        for column in export_columns(table)
    }
    assert sorted(name for name in exported if credential.search(name)) == []


def test_download_holds_every_row_of_the_user_and_none_of_anothers(
    app, client, auth, report_figure
):
    alice = every_kind_of_row(UserFactory(email="alice@example.com"))
    bob = every_kind_of_row(UserFactory(email="bob@example.com"))
    auth.login(alice)  # a sign-in is a row too (login_sessions)
    expected = row_counts(alice.id)
    empty = sorted(name for name, count in expected.items() if count == 0)
    assert empty == [], f"the test account has no rows in {empty}"

    response, archive = download(client)

    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response.headers["Cache-Control"]
    found = {}
    for name in expected:
        rows = json.loads(archive.read(f"{name}.json"))
        found[name] = len(rows)
        owner_key = "id" if name == "users" else "user_id"
        assert {row[owner_key] for row in rows} == {alice.id}, name
        for secret in SECRET_COLUMNS.get(name, ()):
            assert all(secret not in row for row in rows), f"{name}.{secret} was exported"
        assert all("search_vector" not in row for row in rows), name
    assert found == expected
    assert json.loads(archive.read("users.json"))[0]["email"] == "alice@example.com"
    assert "bob@example.com" not in b"".join(archive.read(n) for n in archive.namelist()).decode()
    readme = archive.read("README.txt").decode()
    for name, count in expected.items():
        assert f"{name}.json ({count} row" in readme
    others = sum(row_counts(bob.id).values())
    report_figure(
        f"download: {len(expected)} tables, {sum(found.values())} rows of the user, "
        f"equal to the database's per table; 0 of the other user's {others} rows"
    )


def test_download_includes_the_attached_files_of_the_user_only(
    app, client, auth, upload_folder, report_figure
):
    alice = every_kind_of_row(UserFactory())
    bob = every_kind_of_row(UserFactory())
    alices_files = attach_files(alice, app)
    attach_files(bob, app)
    assert alices_files
    auth.login(alice)

    _, archive = download(client)

    in_zip = {name: archive.read(name) for name in archive.namelist() if name.startswith("files/")}
    assert in_zip == alices_files
    assert (
        f"files/: your attached files ({len(alices_files)})" in archive.read("README.txt").decode()
    )
    report_figure(f"download: {len(in_zip)} of the user's files, 0 of the other user's")


def test_download_says_which_files_could_not_be_found(client, auth):
    alice = every_kind_of_row(UserFactory())
    auth.login(alice)

    _, archive = download(client)

    missing = db.session.query(Attachment).filter_by(user_id=alice.id).count()
    readme = archive.read("README.txt").decode()
    assert f"{missing} attached file(s) listed in attachments.json could not be found" in readme


def test_download_needs_sign_in(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_profile_page_offers_both_actions(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/settings/").get_data(as_text=True)
    assert 'id="your-data"' in body
    assert f'href="{DOWNLOAD}"' in body and "Download all my data" in body
    assert f'href="{DELETE}"' in body and "Delete my account" in body


def test_every_table_of_users_rows_cascades_from_users():
    delete_rules = dict(
        db.session.execute(
            text(
                "SELECT conrelid::regclass::text, confdeltype FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid = 'users'::regclass"
            )
        ).all()
    )
    assert {name: delete_rules.get(name) for name in tables_with_user_id()} == {
        name: "c" for name in tables_with_user_id()
    }


def _delete_form(client):
    return {"csrf_token": csrf_token_from(client.get(DELETE).get_data(as_text=True))}


def test_delete_account_leaves_no_row_and_no_file(
    csrf_app, csrf_client, csrf_auth, upload_folder, report_figure
):
    alice = every_kind_of_row(UserFactory())
    bob = every_kind_of_row(UserFactory())
    attach_files(alice, csrf_app)
    bobs_files = attach_files(bob, csrf_app)
    alice_id = alice.id
    rows_before = sum(row_counts(alice_id).values())
    bob_before = row_counts(bob.id)
    csrf_auth.login(alice)

    form = _delete_form(csrf_client) | {"password": PASSWORD, "confirmation": "delete "}
    response = csrf_client.post(DELETE, data=form)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    db.session.expire_all()
    left = row_counts(alice_id)
    assert left == dict.fromkeys(left, 0)
    assert not (upload_folder / str(alice_id)).exists()
    assert row_counts(bob.id) == bob_before
    assert len(files_under(upload_folder / str(bob.id))) == len(bobs_files)
    signed_out = csrf_client.get("/app/")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    login_page = csrf_client.get("/login").get_data(as_text=True)
    assert "Your account and everything in it are deleted." in login_page
    report_figure(
        f"delete account: {rows_before} rows in {len(left)} tables -> 0 rows, 0 files; "
        f"the other user's {sum(bob_before.values())} rows and {len(bobs_files)} files untouched"
    )


def test_wrong_password_deletes_nothing_and_says_so_beside_the_field(
    app, client, auth, upload_folder
):
    alice = every_kind_of_row(UserFactory())
    files = attach_files(alice, app)
    auth.login(alice)
    before = row_counts(alice.id)

    response = client.post(DELETE, data={"password": "not my password", "confirmation": "DELETE"})

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is-invalid" in body and "That is not your password." in body
    db.session.expire_all()
    assert row_counts(alice.id) == before
    assert len(files_under(upload_folder)) == len(files)
    assert client.get("/app/").status_code == 200  # still signed in


def test_delete_needs_the_typed_word(client, auth):
    alice = UserFactory()
    auth.login(alice)

    response = client.post(DELETE, data={"password": PASSWORD, "confirmation": "yes"})

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Type the word DELETE to confirm" in body
    db.session.expire_all()
    assert db.session.get(User, alice.id) is not None


def test_delete_page_asks_for_password_and_word(client, auth):
    auth.login(UserFactory())
    body = client.get(DELETE).get_data(as_text=True)
    assert 'type="password"' in body and 'name="confirmation"' in body
    assert "This cannot be undone." in body
