"""Plain-language text shared by pages, e-mails and JSON: durations, deadlines, dates, links."""

from tracker.timezones import local_now
from tracker.timezones import to_local

RELATIVE_DAYS = {-1: "Yesterday", 0: "Today", 1: "Tomorrow"}


def duration_text(minutes):
    """Render minutes as '1 h 15 min' / '45 min'."""
    if minutes is None:
        return ""
    hours, mins = divmod(int(minutes), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def days_text(days):
    """'1 day', '3 days'."""
    return f"{days} day{'s' if days != 1 else ''}"


def every_days_text(days):
    """'every day', 'every 3 days'."""
    return "every day" if days == 1 else f"every {days_text(days)}"


def tempo_of_target_text(bpm, target_bpm):
    """'96 / 120 BPM (80 %)' against a target, '96 BPM' without one, '' with no tempo yet."""
    if bpm is None:
        return ""
    if not target_bpm:
        return f"{bpm} BPM"
    return f"{bpm} / {target_bpm} BPM ({round(100 * bpm / target_bpm)} %)"


def count_text(count, noun, nouns=None):
    """'1 session', '1,200 sessions' (nouns: the plural when it is not noun + 's')."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def deadline_text(target_date, today):
    """'in 3 days', 'today', '2 days late' for a deadline, or '' when there is none."""
    if target_date is None:
        return ""
    days = (target_date - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days_text(days)}"
    return f"{days_text(-days)} late"


def wear_text(wear, today):
    """'Strings last changed 12 days ago · played 7.5 h since' for one piece of gear."""
    if wear is None:
        return ""
    hours = wear["minutes_since"] / 60
    played = f"{hours:.1f}".rstrip("0").rstrip(".") + " h"
    if wear["strings_changed"]:
        days = (today - wear["strings_changed"]).days
        ago = "today" if days == 0 else f"{days_text(days)} ago"
        return f"Strings last changed {ago} · played {played} since"
    if wear["since"] == "purchase":
        return f"Played {played} since you bought it"
    return f"Played {played} in all"


def date_text(day):
    """'Tue 1 Dec 2026': the one way a day is written on every page ('' for none)."""
    if day is None:
        return ""
    return f"{day:%a} {day.day} {day:%b %Y}"


def local_date_text(instant):
    """The local day of a stored UTC instant, as date_text writes it."""
    local = to_local(instant)
    return date_text(local.date()) if local else ""


def local_date_time_text(instant):
    """'Tue 1 Dec 2026, 18:00': a stored UTC instant in the user's zone."""
    local = to_local(instant)
    return f"{date_text(local.date())}, {local:%H:%M}" if local else ""


def short_date(day, today):
    """'2 Mar', with the year when it is not this year's."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def local_day_time(instant, now=None):
    """'Today 07:30', 'Tomorrow 07:30', 'Yesterday 18:00' or 'Wed 4 Mar, 07:30' (local time)."""
    if instant is None:
        return ""
    now = now or local_now()
    local = to_local(instant)
    relative = RELATIVE_DAYS.get((local.date() - now.date()).days)
    day = relative or f"{local:%a} {short_date(local.date(), now.date())},"
    return f"{day} {local:%H:%M}"


def tempo_text(last_clean_bpm, target_bpm):
    """'last clean 76 / target 120 BPM', either half alone, or '' when neither is known."""
    parts = []
    if last_clean_bpm is not None:
        parts.append(f"last clean {last_clean_bpm}")
    if target_bpm is not None:
        parts.append(f"target {target_bpm}")
    return " / ".join(parts) + " BPM" if parts else ""


def app_link(link):
    """link when it is a path inside this site, else None (never another host or a script)."""
    if link and link.startswith("/") and not link.startswith(("//", "/\\")):
        return link
    return None


def section_label(piece_title, section_name):
    """'Partita No. 2 — Chaconne'; only the section's name when its piece is unknown."""
    return f"{piece_title} — {section_name}" if piece_title else section_name


def link_label(name, minutes=None):
    """A goal or piece a session worked on, with the minutes spent on it when given."""
    return f"{name} ({minutes} min)" if minutes else f"{name}"


def item_result(rating, tempo_bpm, clean, rating_is_own=True):
    """How one item of a session went, in a few words: "rated 4 · 80 BPM, clean".

    A rating that is the session's own (the item was not rated) says so.
    """
    parts = []
    if rating is not None:
        parts.append(f"rated {rating}" if rating_is_own else f"rated {rating} (as the session)")
    clean_words = {True: "clean", False: "not clean", None: ""}[clean]
    if tempo_bpm is not None:
        parts.append(f"{tempo_bpm} BPM" + (f", {clean_words}" if clean_words else ""))
    elif clean_words:
        parts.append(clean_words)
    return " · ".join(parts)


def first_words(text, max_chars=60):
    """The first words of text, whole words up to max_chars, with "…" when some are left out.

    A title made from a note: "Bars 9–12: thumb behind the neck, start at 80 and …".
    """
    words = (text or "").split()
    kept = []
    for word in words:
        if len(" ".join([*kept, word])) > max_chars:
            break
        kept.append(word)
    if not kept and words:  # one word longer than max_chars: cut it
        return words[0][: max_chars - 1] + "…"
    return " ".join(kept) + (" …" if len(kept) < len(words) else "")


# (fragment of a user agent, the name people know), first match wins: Edge and Opera say
# "Chrome" too, and every browser on iOS says "Safari".
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Macintosh", "Mac"),
    ("CrOS", "Chromebook"),
    ("Linux", "Linux"),
)


def device_text(user_agent):
    """A browser's user agent in plain words: "Firefox on Windows", "Safari on iPhone"."""
    agent = user_agent or ""
    browser = next((name for part, name in _BROWSERS if part in agent), None)
    system = next((name for part, name in _SYSTEMS if part in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "An unknown browser or app"
