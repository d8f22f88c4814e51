"""Files kept with pieces: sheet music, reference PDFs, images and recordings."""

from flask import abort
from flask import current_app
from flask import request
from flask import send_file
from flask_admin import expose
from flask_wtf.file import FileRequired
from markupsafe import Markup
from wtforms import validators

from tracker.admin.base import UserScopedModelView
from tracker.admin.fields import AttachmentUploadField
from tracker.admin.filters import OwnedRelationFilter
from tracker.models import Attachment
from tracker.models import Piece
from tracker.ownership import owned_one
from tracker.uploads import human_size
from tracker.uploads import stored_path

TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "audio/mpeg": "MP3 audio",
    "audio/wav": "WAV audio",
    "audio/ogg": "Ogg audio",
    "audio/flac": "FLAC audio",
    "audio/mp4": "M4A audio",
}
# Shown in the browser; everything else (audio) is downloaded.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.mp3,.wav,.ogg,.oga,.flac,.m4a"


def _piece_from_url():
    """The user's piece named by ?piece_id= on the create page, so it comes pre-selected."""
    return owned_one(Piece, request.args.get("piece_id"))


def file_name_formatter(view, context, model, name):
    """The file's name, linking to the file itself."""
    return Markup('<a href="{}">{}</a>').format(
        view.get_url(".download", attachment_id=model.id), model.original_name
    )


def size_formatter(view, context, model, name):
    """A byte count as KB or MB."""
    return human_size(model.size_bytes)


def type_formatter(view, context, model, name):
    """A plain name for the file type ("PDF", "MP3 audio")."""
    return TYPE_LABELS.get(model.content_type, model.content_type)


class AttachmentView(UserScopedModelView):
    model = Attachment
    name = "Attachments"
    endpoint = "attachment"
    row_nouns = ("attachment", "attachments")
    category = "Repertoire"

    can_create = True
    # A file is replaced by uploading the new one and deleting the old one.
    can_edit = False
    can_delete = True
    can_view_details = False
    can_export = False

    empty_list_message = "No files yet: attach sheet music, a reference PDF or a recording."
    column_list = ["piece", "original_name", "content_type", "size_bytes", "created_at"]
    column_labels = {
        "piece": "Piece",
        "original_name": "File",
        "content_type": "Type",
        "size_bytes": "Size",
        "created_at": "Added",
    }
    column_default_sort = ("created_at", True)
    column_sortable_list = [
        ("piece", "piece.title"),
        "original_name",
        "size_bytes",
        "created_at",
    ]
    column_searchable_list = ["original_name"]
    column_filters = [
        OwnedRelationFilter(Attachment.piece, "Piece", label_column=Piece.title),
    ]
    column_formatters = {
        "original_name": file_name_formatter,
        "content_type": type_formatter,
        "size_bytes": size_formatter,
    }

    form_columns = ["piece", "file"]
    form_extra_fields = {
        "file": AttachmentUploadField(
            "File",
            validators=[FileRequired("Choose a file to attach.")],
            description="A PDF, an image (PNG, JPEG, GIF, WebP) or a recording "
            "(MP3, WAV, OGG, FLAC, M4A).",
            render_kw={"accept": ACCEPT},
        ),
    }
    form_args = {
        "piece": {
            "label": "Piece",
            "default": _piece_from_url,
            "validators": [validators.InputRequired("Choose the piece this file belongs to.")],
        },
    }

    @expose("/file/<int:attachment_id>")
    def download(self, attachment_id):
        """Send one of the user's files.

        Files live outside the static folder, so this scoped view is the only way to reach
        them: another user's id is not found. PDFs and images open in the browser; audio is
        downloaded. Either way the file keeps the name it was uploaded with.
        """
        attachment = self.get_one(attachment_id)
        if attachment is None:
            abort(404)
        path = stored_path(attachment.user_id, attachment.stored_name)
        if path is None:
            abort(404)
        try:
            response = send_file(
                path,
                mimetype=attachment.content_type,
                as_attachment=attachment.content_type not in INLINE_TYPES,
                download_name=attachment.original_name,
                conditional=True,
            )
        except FileNotFoundError:
            current_app.logger.warning("Attachment %s has no file at %s", attachment.id, path)
            abort(404)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # One user's file: shared caches along the way must not keep a copy.
        response.cache_control.private = True
        return response
