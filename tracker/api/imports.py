"""/api/v1/import/sessions: sessions from a CSV file the export wrote; ?dry_run=1 to preview."""

import marshmallow as ma
from flask import request
from flask_login import current_user
from flask_smorest import abort

from tracker.api.base import ApiBlueprint
from tracker.imports.sessions import ImportRefused
from tracker.imports.sessions import check_file
from tracker.imports.sessions import save_import
from tracker.imports.sessions import upload_bytes
from tracker.timezones import user_zone

blp = ApiBlueprint("imports", __name__, "/import", description="Bring sessions in from a CSV file.")
BLUEPRINTS = [blp]
DRY_RUN_VALUES = {"0": False, "1": True}
FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A CSV file as GET /stats/export.csv writes it (UTF-8, "
                        "with its header line); times are read in your time zone.",
                    }
                },
                "required": ["file"],
            }
        }
    },
}
DRY_RUN_PARAMETER = {
    "name": "dry_run",
    "in": "query",
    "required": False,
    "description": "1: check the file and say what would be imported, saving nothing.",
    "schema": {"type": "integer", "enum": [0, 1], "default": 0},
}


class ImportProblemSchema(ma.Schema):
    """One problem of the file: where it is, and what is wrong, in plain words."""

    line = ma.fields.Integer(
        allow_none=True, metadata={"description": "Line of the file (the headers are line 1)."}
    )
    column = ma.fields.String(allow_none=True, metadata={"example": "Minutes"})
    message = ma.fields.String(metadata={"example": "“abc” is not a number of minutes."})


class ImportResultSchema(ma.Schema):
    """What the import did, or (dry run) would do."""

    dry_run = ma.fields.Boolean()
    created = ma.fields.Integer(
        metadata={"description": "Sessions created (in a dry run: that would be created)."}
    )
    duplicates = ma.fields.Integer(
        metadata={
            "description": "Lines skipped: same start and minutes as a session you have, or "
            "as an earlier line of the file."
        }
    )
    new_focus_areas = ma.fields.List(ma.fields.String(), metadata={"example": ["Scales"]})
    new_instruments = ma.fields.List(ma.fields.String(), metadata={"example": ["Piano"]})
    notices = ma.fields.List(
        ma.fields.String(), metadata={"description": "What was done to cells on the way in."}
    )
    errors = ma.fields.List(ma.fields.Nested(ImportProblemSchema))


class ImportRefusedSchema(ma.Schema):
    """A file that cannot be imported: nothing was saved; every problem listed."""

    code = ma.fields.Integer()
    status = ma.fields.String()
    message = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(ImportProblemSchema))


def _problems(problems):
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]


def _refuse(problems):
    count = len(problems)
    abort(
        422,
        message=f"Nothing was imported: the file has {count} problem{'s' if count > 1 else ''}.",
        errors=_problems(problems),
    )


def _result(plan, dry_run):
    return {
        "dry_run": dry_run,
        "created": len(plan.sessions),
        "duplicates": plan.duplicates,
        "new_focus_areas": plan.new_focus_areas,
        "new_instruments": plan.new_instruments,
        "notices": plan.notices,
        "errors": [],
    }


@blp.post("/sessions")
@blp.doc(parameters=[DRY_RUN_PARAMETER], requestBody=FILE_BODY)
@blp.response(201, ImportResultSchema)
@blp.alt_response(200, schema=ImportResultSchema, description="Dry run: nothing was saved.")
@blp.alt_response(422, schema=ImportRefusedSchema, description="The file cannot be imported.")
def import_sessions():
    """Import sessions from a CSV file: all of them or, when one line is wrong, none."""
    dry_run = DRY_RUN_VALUES.get(request.args.get("dry_run", "0"))
    if dry_run is None:
        abort(
            422,
            message="dry_run is 1 (only check the file) or 0.",
            errors=[{"line": None, "column": "dry_run", "message": "Give 1 or 0."}],
        )
    upload = request.files.get("file")
    if upload is None:
        abort(
            422,
            message="Send the CSV file as the multipart form field “file”.",
            errors=[{"line": None, "column": "file", "message": "No file was sent."}],
        )
    plan = check_file(current_user.id, user_zone(), upload_bytes(upload))
    if not plan.ok:
        _refuse(plan.problems)
    if dry_run:
        return _result(plan, True), 200
    try:
        save_import(current_user.id, plan)
    except ImportRefused as refused:
        _refuse(refused.plan.problems)
    return _result(plan, False), 201
