"""Attachment files on disk: checked by content and size, stored under random names.

A file lives at `<upload_dir>/<user_id>/<stored_name>`; the user's own file name is only ever
kept in the database. The files follow the database: a file written for a row that is never
committed is removed, and a committed delete of a row removes its file.
"""

import os
import shutil
import tempfile
import time
import unicodedata
import uuid
from datetime import timedelta

from flask import current_app
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.orm import object_session

from tracker.extensions import db
from tracker.models import Attachment

CHUNK_BYTES = 64 * 1024
SNIFF_BYTES = 16
MAX_NAME_LENGTH = 255
# Keys in Session.info: files written but not yet owned by a committed row (stored_name → path),
# rows inserted and files of rows deleted in the current transaction.
WRITTEN = "attachment_files_written"
INSERTED = "attachment_names_inserted"
DELETED = "attachment_files_deleted"

TYPE_REFUSED = (
    "Only PDF, image (PNG, JPEG, GIF, WebP) and audio (MP3, WAV, OGG, FLAC, M4A) files "
    "can be attached."
)
EMPTY_REFUSED = "That file is empty."
# `ftyp` brands of MP4 files that carry audio (iTunes audio/audiobook and the generic ones).
MP4_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"isom", b"iso2", b"mp41", b"mp42")


class UploadRefused(ValueError):
    """A file that cannot be attached; the message is meant for the user."""


def sniff_content_type(head):
    """Name the MIME type of a file from its first bytes, or None if it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or _is_mpeg_audio_frame(head):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_AUDIO_BRANDS:
        return "audio/mp4"
    return None


def _is_mpeg_audio_frame(head):
    """Tell whether head starts with an MPEG audio frame header (an MP3 without an ID3 tag)."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    # Version 01 and layer 00 are reserved; layer 00 is also how AAC streams start.
    return version != 0b01 and layer != 0b00


def human_size(size):
    """Render a byte count as '512 bytes', '340 KB' or '20 MB'."""
    if size < 1024:
        return f"{size} bytes"
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = f"{size / factor:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{size} bytes"


def clean_filename(filename):
    """A readable file name without folders, control characters or quotes, at most 255 long."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C also covers right-to-left overrides that disguise "x.pdf" as another name.
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or (unicodedata.category(ch)[0] != "C" and ch not in '"<>:|?*')
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def upload_dir(app):
    """The folder holding every user's attachment files."""
    return app.config.get("UPLOAD_FOLDER") or os.path.join(app.instance_path, "uploads")


def user_upload_dir(user_id, app=None):
    """The folder holding one user's attachment files."""
    return os.path.join(upload_dir(app or current_app), str(int(user_id)))


def stored_path(user_id, stored_name, app=None):
    """Where a stored file lives, or None if stored_name is not a plain file name."""
    if not stored_name or os.path.basename(stored_name) != stored_name:
        return None
    if stored_name.startswith("."):
        return None
    return os.path.join(user_upload_dir(user_id, app), stored_name)


def remove_user_files(user_id):
    """Remove one user's whole folder of files (their account is gone); return how many."""
    folder = user_upload_dir(user_id)
    if not os.path.isdir(folder):
        return 0
    count = sum(len(files) for _root, _dirs, files in os.walk(folder))
    shutil.rmtree(folder)
    return count


def save_upload(file_storage, user_id):
    """Store an uploaded file for user_id; return (stored_name, content_type, size).

    Raises UploadRefused, leaving nothing on disk, if the file is empty, too large or
    not a PDF, image or audio file judged by its content.
    """
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    target_dir = user_upload_dir(user_id)
    os.makedirs(target_dir, exist_ok=True)
    stream = file_storage.stream
    size = 0
    head = b""
    content_type = None
    with tempfile.NamedTemporaryFile(dir=target_dir, prefix=".incoming-", delete=False) as tmp:
        try:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(f"That file is larger than {human_size(limit)}.")
                if content_type is None:
                    head = (head + chunk)[:SNIFF_BYTES]
                    if len(head) >= SNIFF_BYTES:
                        content_type = _sniff_or_refuse(head)
                tmp.write(chunk)
            if size == 0:
                raise UploadRefused(EMPTY_REFUSED)
            if content_type is None:
                content_type = _sniff_or_refuse(head)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    stored_name = uuid.uuid4().hex
    path = stored_path(user_id, stored_name)
    os.replace(tmp.name, path)
    db.session.info.setdefault(WRITTEN, {})[stored_name] = path
    return stored_name, content_type, size


def _sniff_or_refuse(head):
    """The content type of head, or UploadRefused if it is not one we accept."""
    content_type = sniff_content_type(head)
    if content_type is None:
        raise UploadRefused(TYPE_REFUSED)
    return content_type


def _unlink(path):
    """Remove a file that may already be gone."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        current_app.logger.warning("Could not remove attachment file %s", path, exc_info=True)


# -- keeping the files in step with the attachments table --------------------------------------


def _remember_insert(mapper, connection, target):
    """Note an attachment row written in this transaction: its file is no longer loose."""
    session = object_session(target)
    if session is not None:
        session.info.setdefault(INSERTED, set()).add(target.stored_name)


def _remember_delete(mapper, connection, target):
    """Note the file of an attachment row deleted in this transaction (cascades included)."""
    session = object_session(target)
    if session is None or not has_app_context():
        return
    path = stored_path(target.user_id, target.stored_name)
    if path:
        session.info.setdefault(DELETED, []).append(path)


def _after_commit(session):
    """Remove the files of committed deletes; files of committed inserts now belong to rows."""
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    written = session.info.get(WRITTEN, {})
    for stored_name in session.info.pop(INSERTED, set()):
        written.pop(stored_name, None)
    for path in session.info.pop(DELETED, []):
        _unlink(path)


def _after_soft_rollback(session, previous_transaction):
    """Keep the files of rows whose delete was undone; drop files whose rows never made it."""
    session.info.pop(DELETED, None)
    if previous_transaction.parent is None:
        session.info.pop(INSERTED, None)
        for path in session.info.pop(WRITTEN, {}).values():
            _unlink(path)


def discard_unsaved_uploads(exc=None):
    """Remove files written during this request whose attachment row was never committed.

    This covers a form that stored the file and then failed on another field.
    """
    if not db.session.registry.has():
        return
    for path in db.session.info.pop(WRITTEN, {}).values():
        _unlink(path)


def init_app(app):
    """Keep attachment files in step with their rows for this app."""
    listeners = (
        (Attachment, "after_insert", _remember_insert),
        (Attachment, "after_delete", _remember_delete),
        (db.session, "after_commit", _after_commit),
        (db.session, "after_soft_rollback", _after_soft_rollback),
    )
    # The listeners are global to the models and the session, and create_app may run often.
    for target, name, listener in listeners:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
    app.teardown_request(discard_unsaved_uploads)


def sweep_orphans(app, older_than=timedelta(hours=1), dry_run=False):
    """Remove stored files no attachment row owns (e.g. a deleted user's); return their paths.

    Files younger than older_than are left alone: an upload may be on its way to its row.
    """
    base = upload_dir(app)
    if not os.path.isdir(base):
        return []
    owned = {
        (str(user_id), name)
        for user_id, name in db.session.execute(select(Attachment.user_id, Attachment.stored_name))
    }
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for user_dir in os.scandir(base):
        if not user_dir.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(user_dir.path):
            loose = (user_dir.name, entry.name) not in owned
            if loose and entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                removed.append(entry.path)
                if not dry_run:
                    _unlink(entry.path)
        if not dry_run and not os.listdir(user_dir.path):
            os.rmdir(user_dir.path)
    return removed
