"""Settings → API tokens: personal access tokens for the musician's own scripts."""

from flask import flash
from flask import redirect
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms import validators

from tracker.access_tokens import create_token
from tracker.admin.base import SecureView
from tracker.admin.fields import NulFree
from tracker.extensions import db
from tracker.models import ApiToken
from tracker.ownership import owned_one
from tracker.ownership import owned_query


class NewTokenForm(NulFree, FlaskForm):
    """Name a new token after the script that will use it."""

    name = StringField(
        "Name",
        [
            validators.InputRequired("Name the token, e.g. “Spreadsheet sync”."),
            validators.Length(max=80, message="Keep it to 80 characters."),
        ],
        description="What will use it, e.g. “Spreadsheet sync”.",
    )


class RevokeForm(FlaskForm):
    """The CSRF token of a revoke button."""


class ApiTokenView(SecureView):
    """List, create and revoke tokens; a new token's secret is shown once, on this page."""

    def _page(self, form, secret=None, created=None):
        tokens = owned_query(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        return self.render(
            "admin/api_tokens.html",
            form=form,
            revoke_form=RevokeForm(),
            tokens=tokens.all(),
            secret=secret,
            created=created,
            docs_url=url_for("api-docs.openapi_swagger_ui"),
        )

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = NewTokenForm()
        if form.validate_on_submit():
            token, secret = create_token(current_user.id, form.name.data)
            db.session.commit()
            # Rendered, not redirected: the secret must never sit in a cookie or a URL.
            return self._page(NewTokenForm(formdata=None), secret=secret, created=token)
        return self._page(form)

    @expose("/<int:token_id>/revoke", methods=("POST",))
    def revoke(self, token_id):
        """Revoke one of the user's tokens: scripts using it are refused from now on."""
        token = owned_one(ApiToken, token_id)
        if RevokeForm().validate_on_submit() and token is not None:
            db.session.delete(token)
            db.session.commit()
            flash(f"“{token.name}” is revoked: scripts using it are refused now.", "success")
        return redirect(url_for(".index"))
