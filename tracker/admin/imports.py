"""Settings → Import sessions: check a CSV file the export wrote, then import it."""

from flask import current_app
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from tracker.admin.base import SecureView
from tracker.imports.reading import size_words
from tracker.imports.sessions import ImportRefused
from tracker.imports.sessions import check_file
from tracker.imports.sessions import save_import
from tracker.imports.sessions import upload_bytes
from tracker.phrases import count_text
from tracker.timezones import user_zone

# Rows of the preview table: enough to recognise the file, bounded for a 50,000-line one.
PREVIEW_ROWS = 50


class ImportForm(FlaskForm):
    """The file to import, and the step: "check" (save nothing) or "import"."""

    file = FileField(
        "CSV file",
        description="The file “Export CSV” on Analytics gives you, or one with the same columns.",
        render_kw={"accept": ".csv,text/csv"},
    )


class ImportSessionsView(SecureView):
    """Two steps on one page: "Check the file" shows what would happen, "Import" saves it.

    Both steps read the uploaded file and check it again on the server: nothing the first
    step showed is trusted by the second.
    """

    @expose("/", methods=("GET", "POST"))
    def index(self):
        """The page; with a file posted, its check, or (step "import") the import itself."""
        form = ImportForm()
        plan = None
        importing = request.form.get("step") == "import"
        if form.validate_on_submit():
            upload = form.file.data
            if not upload or not upload.filename:
                form.file.errors.append(
                    "Choose the file again, then press Import: it is checked once more "
                    "before anything is saved."
                    if importing
                    else "Choose the file to check."
                )
            else:
                plan = check_file(current_user.id, user_zone(), upload_bytes(upload))
                if plan.ok and importing:
                    return self._save(form, plan)
        return self._page(form, plan)

    def _save(self, form, plan):
        """Save the checked plan, then go to the log; a clash on the way saves nothing."""
        try:
            created = save_import(current_user.id, plan)
        except ImportRefused:
            return self._page(form, plan)
        message = f"Imported {count_text(created, 'session')}."
        if plan.duplicates:
            message += (
                f" Skipped {count_text(plan.duplicates, 'line')} already in your log or "
                "repeated in the file."
            )
        flash(message, "success")
        return redirect(url_for("practice_session.index_view"))

    def _page(self, form, plan):
        """The page with the form and, once a file was checked, what the check found."""
        config = current_app.config
        return self.render(
            "admin/import_sessions.html",
            form=form,
            plan=plan,
            preview=plan.sessions[:PREVIEW_ROWS] if plan else [],
            max_size=size_words(config["IMPORT_MAX_BYTES"]),
            max_rows=config["IMPORT_MAX_ROWS"],
            zone_name=user_zone().key,
        )
