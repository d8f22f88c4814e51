"""The schedule and tempo chart on goal and piece pages, and their "Practise every N days" form."""

from flask import abort
from flask import flash
from flask import redirect
from flask import request
from flask_admin import expose
from flask_login import current_user
from wtforms import Form
from wtforms import IntegerField
from wtforms import validators

from tracker.extensions import db
from tracker.guidance.item_page import page_key
from tracker.guidance.lists import item_pages
from tracker.guidance.lists import set_interval
from tracker.models.reviews import MAX_INTERVAL_DAYS
from tracker.phrases import every_days_text
from tracker.timezones import local_now

INTERVAL_MESSAGE = (
    f"Enter a whole number of days from 1 to {MAX_INTERVAL_DAYS}, or leave it empty to go "
    "back to the interval worked out from your sessions."
)


class IntervalForm(Form):
    """The user's own interval of one item; empty means the computed one (CSRF: CSRFProtect)."""

    days = IntegerField(
        "Practise every",
        [validators.Optional(), validators.NumberRange(min=1, max=MAX_INTERVAL_DAYS)],
    )


def goal_pages(user_id, goals):
    """goal id -> its ItemPage (schedule, own interval, tempo chart)."""
    items = [("goal", goal.id, goal.name, goal.target_bpm) for goal in goals]
    pages = item_pages(user_id, items, local_now().date())
    return {goal.id: pages[("goal", goal.id)] for goal in goals}


def piece_pages(user_id, pieces):
    """piece id -> [ItemPage, ...]: one per section, or the piece's own when it has none."""
    items = {}
    for piece in pieces:
        sections = piece.sections
        items[piece.id] = (
            [("section", s.id, s.section_name, s.target_bpm) for s in sections]
            if sections
            else [("piece", piece.id, piece.title, None)]
        )
    pages = item_pages(
        user_id, [item for rows in items.values() for item in rows], local_now().date()
    )
    return {
        piece_id: [pages[(kind, item_id)] for kind, item_id, *_ in rows]
        for piece_id, rows in items.items()
    }


class ItemScheduleMixin:
    """Adds the "Practise every N days" endpoint to the goal and piece views.

    A view names the item a posted form is about with `scheduled_item(row, form)`.
    """

    def scheduled_item(self, row, form):
        """(kind, id, label) of the item of row the form names, or None."""
        raise NotImplementedError

    @expose("/interval/", methods=("POST",))
    def interval_view(self):
        """Set (or clear) the user's own interval of an item, then show its page again."""
        row = self.get_one(request.args.get("id"))
        item = self.scheduled_item(row, request.form) if row is not None else None
        if item is None:
            abort(404)
        kind, item_id, label = item
        form = IntervalForm(request.form)
        if not form.validate():
            # The page again, with the message beside the field and what was typed.
            key = page_key(kind, item_id)
            self._template_args["interval_errors"] = {key: INTERVAL_MESSAGE}
            self._template_args["interval_typed"] = {key: request.form.get("days", "")}
            return self.details_view()
        if not set_interval(current_user.id, kind, item_id, form.days.data):
            abort(404)
        db.session.commit()
        if form.days.data:
            flash(f"“{label}” now comes back {every_days_text(form.days.data)}.", "success")
        else:
            flash(f"“{label}” is back on the interval worked out from your sessions.", "success")
        back = self.get_url(".details_view", id=row.id, url=request.args.get("url"))
        return redirect(back)
