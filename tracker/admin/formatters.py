"""Column formatters shared by the model views: `(view, context, model, name)` functions.

They only shape what they are given: the row, and the page's figures worked out by the view
before rendering (UserScopedModelView.page_figures). None of them queries.
"""

from markupsafe import Markup
from markupsafe import escape

from tracker.admin.explanation_links import saved_note_explanation_url
from tracker.phrases import date_text
from tracker.phrases import deadline_text
from tracker.phrases import duration_text
from tracker.phrases import first_words
from tracker.phrases import item_result
from tracker.phrases import wear_text
from tracker.timezones import local_now

# A note in a list keeps its first words up to this many characters; "more" shows the rest.
NOTE_LIST_CHARS = 80


def duration_formatter(view, context, model, name):
    """Duration column as hours and minutes."""
    return duration_text(getattr(model, name))


# Each of the five ratings drawn once: a list shows two or three per row, twice.
RATING_MARKUP = {
    value: Markup(
        f'<span title="{value} of 5" aria-label="{value} of 5">{"●" * value}{"○" * (5 - value)}'
        "</span>"
    )
    for value in range(1, 6)
}


def rating_formatter(view, context, model, name):
    """A 1–5 rating as filled and empty dots, with the number for screen readers."""
    value = getattr(model, name)
    if value is None:
        return ""
    return RATING_MARKUP[value]


def notes_formatter(view, context, model, name):
    """Notes shortened for the list, with "more" linking to the row's page and the full text."""
    text = getattr(model, name) or ""
    if len(text) <= NOTE_LIST_CHARS:
        return escape(text)
    short = first_words(text, NOTE_LIST_CHARS)
    if not view.can_view_details:
        return escape(short)
    url = view.get_url(".details_view", id=model.id, url=context.resolve("return_url"))
    return Markup(
        '<span class="note-short">{short}</span> <a class="note-more" href="{url}">more'
        '<span class="sr-only"> of this note</span></a>'
    ).format(short=short, url=url)


def yes_no_formatter(view, context, model, name):
    """A boolean as "Yes" / "No"."""
    return "Yes" if getattr(model, name) else "No"


def session_items_formatter(view, context, model, name):
    """A session's goals or pieces, one a line: the item, how it went, the note for next time.

    An item without a rating of its own shows the session's quality, read from the session
    in hand (model), not through each link. A note can be saved as an explanation of its item.
    """
    lines = []
    for link in getattr(model, name) or []:
        result = item_result(
            link.rating if link.rating is not None else model.quality_rating,
            link.tempo_bpm,
            link.clean,
            rating_is_own=link.rating is not None,
        )
        note = link.next_time
        lines.append(
            Markup('<li><span class="badge badge-info">{item}</span>{result}{note}</li>').format(
                item=link,
                result=Markup(' <span class="text-muted">{}</span>').format(result)
                if result
                else "",
                note=_next_time(model, link) if note else "",
            )
        )
    if not lines:
        return ""
    return Markup('<ul class="list-unstyled mb-0 session-items">{}</ul>').format(
        Markup("").join(lines)
    )


def _next_time(session, link):
    """A link's note for next time, with a link saving it as an explanation of the item."""
    return Markup(
        '<br><small>Next time: {note} · <a class="save-note-explanation" href="{url}">'
        "Save as explanation</a></small>"
    ).format(note=link.next_time, url=saved_note_explanation_url(session, link))


def names_formatter(view, context, model, name):
    """Related rows as plain comma-separated names (for CSV export)."""
    value = getattr(model, name)
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    return ", ".join(map(str, items))


def sections_export_formatter(status_choices):
    """A formatter writing a piece's sections in one cell: "Intro (Learning: wrist low); Coda (…)".

    Each section's status reads its label from status_choices.
    """
    labels = dict(status_choices)

    def formatter(view, context, model, name):
        parts = []
        for section in getattr(model, name) or []:
            details = labels.get(section.status, "")
            if section.notes:
                details = f"{details}: {' '.join(section.notes.split())}"
            parts.append(f"{section.section_name} ({details})")
        return "; ".join(parts)

    return formatter


def tags_formatter(view, context, model, name):
    """A list of related rows as small badges."""
    items = getattr(model, name) or []
    return Markup(" ").join(
        Markup(f'<span class="badge badge-info">{escape(item)}</span>') for item in items
    )


def link_formatter(view, context, model, name):
    """A stored web address as a link that opens in a new tab without handing over this page."""
    url = getattr(model, name)
    if not url:
        return ""
    return Markup(
        '<a href="{url}" target="_blank" rel="noopener noreferrer" class="text-break">{url}</a>'
    ).format(url=url)


def choice_formatter(choices, none_label=""):
    """A formatter that shows a stored code as its label (performance_ready → Performance-ready).

    An empty value reads none_label (say "The first that applies" for a choice left open).
    """
    labels = {str(value): label for value, label in choices}

    def formatter(view, context, model, name):
        value = getattr(model, name)
        return labels.get(str(value), "") if value is not None else none_label

    return formatter


def progress_bar(progress):
    """A Bootstrap progress bar for one goal's Progress, with every measure side by side.

    The bar's own measure comes first, right after the percent.
    """
    if progress is None:
        return ""
    measures = Markup(" · ").join(
        Markup('<span class="goal-measure" data-measure="{}">{}</span>').format(m.name, m.summary)
        for m in progress.measures
    )
    return Markup(
        '<div class="goal-progress" title="{explanation}">'
        '<div class="progress" role="progressbar" aria-valuenow="{p}" aria-valuemin="0" '
        'aria-valuemax="100" aria-label="{p}% done">'
        '<div class="progress-bar{done}" style="width: {p}%"></div></div>'
        '<small class="text-muted">{p}% · {measures}</small></div>'
    ).format(
        p=progress.percent,
        done=" bg-success" if progress.percent >= 100 else "",
        measures=measures,
        explanation=progress.explanation,
    )


def mark_completed_form(action, csrf_token, goal_id, back):
    """The small "Mark completed?" form of a goal at 100 %: a POST with its CSRF token."""
    return Markup(
        '<form class="mark-completed d-inline" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="{csrf}">'
        '<input type="hidden" name="id" value="{goal_id}">'
        '<input type="hidden" name="url" value="{back}">'
        '<button type="submit" class="btn btn-sm btn-outline-success py-0">Mark completed?</button>'
        "</form>"
    ).format(action=action, csrf=csrf_token, goal_id=goal_id, back=back)


def page_figure(context, name, model):
    """The figure `name` of one row, as the view worked it out for the whole page."""
    return context.resolve("page_figures")[name].get(model.id)


def goal_progress_formatter(view, context, model, name):
    """Progress bar of a goal, offering "Mark completed?" when it is at 100 % but still open."""
    progress = page_figure(context, "progress", model)
    bar = progress_bar(progress)
    if progress is None or not progress.offers_completion:
        return bar
    csrf = context.resolve("csrf_token")
    return bar + mark_completed_form(
        view.get_url(".complete_view"),
        csrf() if callable(csrf) else "",
        model.id,
        context.resolve("return_url"),
    )


def deadline_formatter(view, context, model, name):
    """Target date, highlighted when it is within 14 days (or past) and the goal is open."""
    target = getattr(model, name)
    if target is None:
        return ""
    today = local_now().date()
    days = (target - today).days
    text = date_text(target)
    if model.status == "completed" or days > 14:
        return text
    badge = "badge-danger" if days < 0 else "badge-warning"
    return Markup('{} <span class="badge {}">{}</span>').format(
        text, badge, deadline_text(target, today)
    )


def equipment_wear_formatter(view, context, model, name):
    """Strings and playing time of a piece of gear."""
    return wear_text(page_figure(context, "wear", model), local_now().date())


def pieces_tempo_formatter(view, context, model, name):
    """A piece's last clean tempos against their targets, one line per section with a tempo."""
    lines = [line for line in page_figure(context, "tempo", model) or () if line.text]
    if not lines:
        return ""
    return Markup('<ul class="list-unstyled mb-0 small piece-tempos">{}</ul>').format(
        Markup("").join(
            Markup('<li>{}<span class="text-nowrap">{}</span></li>').format(
                f"{line.name}: " if line.name else "", line.text
            )
            for line in lines
        )
    )
