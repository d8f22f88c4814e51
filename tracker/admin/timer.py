"""The practice timer at /app/timer/: a split per item and a metronome, then the log form.

The page is opened with prefill's items (`?instrument=..&item=section:7&bpm=section:7:80`);
static/js/timer.js and static/js/metronome.js run it in the browser. Stop sends what was
timed to /app/timer/log, which turns it into the pre-filled session form (admin/prefill.py).
"""

from datetime import UTC
from datetime import datetime

from flask import redirect
from flask import request
from flask import url_for
from flask_admin import expose
from flask_login import current_user

from tracker.admin.base import SecureView
from tracker.admin.fields import whole_number
from tracker.admin.prefill import WantedItem
from tracker.admin.prefill import link_instrument
from tracker.admin.prefill import log_form_url
from tracker.admin.prefill import owned_items
from tracker.admin.prefill import wanted_items
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.timezones import to_local

MAX_SECONDS = MAX_SESSION_MINUTES * 60
FOREVER_SECONDS = 10**9  # a timer left running for weeks still logs at most 24 hours
# A start time the timer may send: from 2020 to far ahead, in Unix seconds.
MIN_STARTED, MAX_STARTED = 1_577_836_800, 4_102_444_800


def timer_items(args):
    """The items the timer's link names and the signed-in user owns, as plain data."""
    return [
        {
            "key": f"{item.kind}:{item.id}",
            "title": str(row),
            "bpm": item.bpm,
            "planned_minutes": item.minutes,
        }
        for item, row in owned_items(wanted_items(args))
    ]


def whole_minutes(seconds):
    """Seconds as whole minutes, rounded to the nearest."""
    return (seconds + 30) // 60


def _seconds(args):
    """{(kind, id) as "kind:id": seconds} from the timer's `seconds=section:7:600` values."""
    seconds = {}
    for value in args.getlist("seconds"):
        key, _, number = value.rpartition(":")
        number = whole_number(number, 0, FOREVER_SECONDS)
        if number is not None:
            seconds[key] = min(number, MAX_SECONDS)
    return seconds


def timed_session(args):
    """(instrument_id, WantedItems with their minutes, duration, local start) from a Stop.

    Only the signed-in user's items are kept. The duration is the timed total in whole
    minutes, from 1 to 24 hours; an item timed for less than half a minute keeps its row
    but no minutes.
    """
    instrument = link_instrument(args)
    seconds = _seconds(args)
    items = [
        WantedItem(
            item.kind,
            item.id,
            bpm=item.bpm,
            minutes=whole_minutes(seconds.get(f"{item.kind}:{item.id}", 0)) or None,
        )
        for item, _ in owned_items(wanted_items(args))
    ]
    elapsed = whole_number(args.get("elapsed"), 0, FOREVER_SECONDS) or 0
    duration = max(1, whole_minutes(min(elapsed, MAX_SECONDS)))
    started = whole_number(args.get("started"), MIN_STARTED, MAX_STARTED)
    local_start = None
    if started is not None:
        local_start = to_local(datetime.fromtimestamp(started, UTC)).replace(tzinfo=None)
    return (instrument.id if instrument else None), items, duration, local_start


class TimerView(SecureView):
    """Time a practice item by item, with a metronome, and log it without typing a duration."""

    @expose("/")
    def index(self):
        instrument = link_instrument(request.args)
        return self.render(
            "admin/timer.html",
            items=timer_items(request.args),
            instrument=instrument,
            storage_key=f"tracker.timer.{current_user.id}",
            log_url=url_for(".log_view"),
        )

    @expose("/log")
    def log_view(self):
        """Open the session form on what Stop timed: start, duration, instrument and items."""
        # Only the user's own rows reach the form: prefill drops the rest.
        return redirect(log_form_url(*timed_session(request.args)))
