"""/api/v1/search: the signed-in user's words found across every kind of row."""

import marshmallow as ma
from flask_login import current_user

from tracker import search as finder
from tracker.api.base import ApiBlueprint
from tracker.api.fields import NOT_BLANK

# "search" names the results page of the app.
blp = ApiBlueprint(
    "search_api",
    __name__,
    "/search",
    description="Find your own words: explanations, notes, goals, pieces, sections and names.",
)
BLUEPRINTS = [blp]


class SearchArgs(ma.Schema):
    """?q= (what to find, as a web search reads it) and ?limit= (how many results)."""

    q = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(
                min=1,
                max=finder.MAX_QUERY_LENGTH,
                error=f"Type 1 to {finder.MAX_QUERY_LENGTH} characters to search for.",
            ),
            ma.validate.Regexp(NOT_BLANK, error="Type a word to search for."),
        ],
        metadata={
            "example": "barre",
            "description": (
                'Words to find, all of them; "quoted words" together, -word not, '
                "a OR b either. Nothing typed is ever an error."
            ),
        },
    )
    limit = ma.fields.Integer(
        load_default=finder.DEFAULT_LIMIT,
        validate=ma.validate.Range(min=1, max=finder.MAX_LIMIT),
        metadata={"example": 20},
    )


class ResultSchema(ma.Schema):
    """One row found."""

    kind = ma.fields.String(
        metadata={
            "description": "resource, session, next_time (a note for next time), goal, "
            "piece, section, focus_area or instrument."
        }
    )
    id = ma.fields.Integer(
        metadata={"description": "The row's id; for session and next_time, the session's."}
    )
    title = ma.fields.String()
    snippet_html = ma.fields.String(
        metadata={
            "description": "The matched words in context as HTML: your text escaped, the "
            "words found inside <mark></mark>."
        }
    )
    url = ma.fields.String(metadata={"description": "The row's page in the app."})
    rank = ma.fields.Float(metadata={"description": "Higher is better; a title hit is 1 or more."})


class FoundSchema(ma.Schema):
    """Results best first; `did_you_mean` names a title spelt alike when no word matched."""

    results = ma.fields.List(ma.fields.Nested(ResultSchema))
    did_you_mean = ma.fields.String(allow_none=True)


@blp.get("")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, FoundSchema)
@blp.doc(summary="Search everything of yours")
def search(args):
    """Your rows matching q, best first."""
    return finder.search(current_user.id, args["q"], args["limit"])
