"""/api/v1/tokens: personal access tokens for the musician's own scripts."""

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user

from tracker.access_tokens import create_token
from tracker.api.base import PAGE_HEADERS
from tracker.api.base import ApiBlueprint
from tracker.api.base import PageArgs
from tracker.api.base import owned_or_404
from tracker.api.base import page_of
from tracker.api.fields import short_text
from tracker.extensions import db
from tracker.models import ApiToken
from tracker.ownership import owned_query

blp = ApiBlueprint(
    "tokens", __name__, "/tokens", description="Personal access tokens for your own scripts."
)
BLUEPRINTS = [blp]


class TokenSchema(ma.Schema):
    """A token as listed: never its secret."""

    id = ma.fields.Integer(dump_only=True)
    name = short_text(
        80,
        required=True,
        message="Name it in 1 to 80 characters.",
        metadata={"example": "Spreadsheet sync"},
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    last_used_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


class NewTokenSchema(TokenSchema):
    """A token just made: the secret, shown this once."""

    token = ma.fields.String(dump_only=True)


@blp.route("")
class Tokens(MethodView):
    @blp.arguments(PageArgs, location="query", as_kwargs=True)
    @blp.response(200, TokenSchema(many=True), headers=PAGE_HEADERS)
    def get(self, page, per_page):
        """Your tokens, newest first."""
        query = owned_query(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        return page_of(query, page, per_page)

    @blp.arguments(TokenSchema)
    @blp.response(201, NewTokenSchema)
    def post(self, data):
        """Make a token; its secret is in this reply only, so keep it somewhere safe."""
        token, secret = create_token(current_user.id, data["name"])
        db.session.commit()
        token.token = secret  # for this reply only; never stored
        return token


@blp.route("/<int:api_token_id>")
class TokenItem(MethodView):
    @blp.response(204)
    def delete(self, api_token_id):
        """Revoke a token: scripts using it are refused from now on."""
        db.session.delete(owned_or_404(ApiToken, api_token_id))
        db.session.commit()
