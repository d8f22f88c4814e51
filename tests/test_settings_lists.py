"""Settings lists: the user's instruments and focus areas."""

import pytest

from tests.factories import FocusAreaFactory
from tests.factories import InstrumentFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import FocusArea
from tracker.models import Instrument


@pytest.mark.parametrize(
    "path, model, factory",
    [
        ("/app/instrument/", Instrument, InstrumentFactory),
        ("/app/focus_area/", FocusArea, FocusAreaFactory),
    ],
)
def test_create_rename_and_delete(client, auth, path, model, factory):
    user = UserFactory()
    auth.login(user)
    assert client.post(path + "new/", data={"name": "Cello"}).status_code == 302
    row = db.session.query(model).one()
    assert (row.name, row.user_id) == ("Cello", user.id)
    ok = client.post(path + "ajax/update/", data={"list_form_pk": row.id, "name": "Cello"})
    assert ok.status_code == 200  # keeping its own name is not a clash
    assert client.post(path + "delete/", data={"id": row.id}).status_code == 302
    assert db.session.query(model).count() == 0


@pytest.mark.parametrize(
    "path, factory",
    [("/app/instrument/", InstrumentFactory), ("/app/focus_area/", FocusAreaFactory)],
)
def test_duplicate_name_is_refused_beside_the_field(client, auth, path, factory):
    user = UserFactory()
    factory(user=user, name="Scales")
    factory(name="Violin")  # someone else's row never clashes
    auth.login(user)
    response = client.post(path + "new/", data={"name": "scales"})
    assert response.status_code == 200
    assert "You already have one called “scales”." in response.get_data(as_text=True)
    assert client.post(path + "new/", data={"name": "Violin"}).status_code == 302


def test_blank_name_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.post("/app/instrument/new/", data={"name": ""})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert db.session.query(Instrument).count() == 0
