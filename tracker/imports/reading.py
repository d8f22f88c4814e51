"""Read a CSV file the export wrote into checked lines, every problem named by line and column.

Pure: no database and no app. Lines are counted as a spreadsheet numbers its rows, the
headers being line 1, so a cell spanning several lines of text is still one line here.
"""

import csv
import io
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time

from tracker.figures.export import EXPORT_COLUMNS
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.ownership import FORMULA_PREFIXES

REQUIRED_COLUMNS = ("Date", "Time", "Minutes")
# Cells the export writes as text, and so guards against spreadsheet formulas.
TEXT_COLUMNS = ("Instrument", "Focus areas", "Goals", "Pieces", "Notes")
# The years a session may start in (as the API's started_at allows).
FIRST_YEAR, LAST_YEAR = 1900, 9998
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_PATTERN = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
WHOLE_NUMBER = re.compile(r"\d+")
# How much of a cell a message quotes.
QUOTED_LENGTH = 40
FORMULA_STARTS = "=, +, -, @, a tab or a line break"


@dataclass(frozen=True)
class Problem:
    """Something in the file that keeps it from being imported, said in plain words."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self):
        if self.line is None:
            return self.message
        where = f"Line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SessionLine:
    """One line of the file, checked: a naive local start, its minutes, names as written."""

    line: int
    local_start: datetime
    minutes: int
    instrument: str
    focus_areas: str
    goals: str
    pieces: str
    mood: int | None
    quality: int | None
    notes: str | None


@dataclass
class Reading:
    """What a file held: its checked lines, the problems found, and notes about cells."""

    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)


def size_words(count):
    """A byte count as a person says it: "5 MB", "200 KB", "300 bytes"."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def quoted(value):
    """value in quotes for a message, cut short when long."""
    shown = value if len(value) <= QUOTED_LENGTH else value[: QUOTED_LENGTH - 1] + "…"
    return f"“{shown}”"


def read_file(data, *, max_bytes, max_rows):
    """Check the bytes of an uploaded file; data may be cut at max_bytes + 1 by the caller."""
    reading = Reading()
    if len(data) > max_bytes:
        reading.problems.append(
            Problem(
                f"The file is larger than {size_words(max_bytes)}, the most one import takes. "
                "Export shorter ranges of dates (From and To on Analytics) and import them "
                "one by one."
            )
        )
        return reading
    text = _decoded(data, reading)
    if text is None:
        return reading
    if not text.strip():
        reading.problems.append(Problem("The file is empty: export your practice log first."))
        return reading
    # Notes may be long; the file as a whole is already capped at max_bytes.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = _columns(next(rows), reading)
        if columns is None:
            return reading
        guarded, unguarded = {}, {}
        count, number = 0, 1
        for number, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > max_rows:
                reading.problems = [
                    Problem(
                        f"The file has more than {max_rows:,} sessions, the most one import "
                        "takes. Export shorter ranges of dates (From and To on Analytics) and "
                        "import them one by one."
                    )
                ]
                return reading
            _read_line(number, columns, cells, reading, guarded, unguarded)
    except csv.Error:
        reading.problems.append(
            Problem("cannot be read as CSV (a quote around a cell may be missing).", number + 1)
        )
        return reading
    reading.notices.extend(_formula_notices(guarded, unguarded))
    return reading


def _decoded(data, reading):
    """The file's text (a UTF-8 byte order mark dropped), or None with a problem."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        reading.problems.append(
            Problem(
                f"The file is not UTF-8 text (the first character that is not is on line "
                f"{line}). In your spreadsheet, save it as “CSV UTF-8”, or export it again "
                "from Analytics."
            )
        )
        return None


def _header_key(cell):
    return " ".join(cell.split()).casefold()


def _columns(header, reading):
    """The export's column name of each cell of the header line, or None with problems."""
    known = {_header_key(name): name for name in EXPORT_COLUMNS}
    expected = ", ".join(EXPORT_COLUMNS)
    if len(header) == 1 and ";" in header[0]:
        reading.problems.append(
            Problem(
                "the columns are separated by “;”, but the export separates them with commas. "
                "In your spreadsheet, save the file as “CSV UTF-8 (comma-delimited)”.",
                1,
            )
        )
        return None
    columns = [known.get(_header_key(cell)) for cell in header]
    if not any(columns):
        first = ", ".join(cell for cell in header[:3])
        reading.problems.append(
            Problem(
                f"the first line must name the columns as the export writes them ({expected}); "
                f"this file starts with {quoted(first)}.",
                1,
            )
        )
        return None
    problems = []
    for cell, name in zip(header, columns, strict=True):
        if name is None and _header_key(cell) == "when":
            problems.append(
                Problem(
                    "“When” is a column of the practice log list's Export. Import the file "
                    "Export CSV on Analytics writes instead: it has Date and Time.",
                    1,
                )
            )
        elif name is None and cell.strip():
            problems.append(
                Problem(f"{quoted(cell)} is not a column the import reads ({expected}).", 1)
            )
    named = [name for name in columns if name]
    for name in dict.fromkeys(n for n in named if named.count(n) > 1):
        problems.append(Problem(f"the column “{name}” appears twice.", 1))
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if missing:
        problems.append(
            Problem(
                f"the headers have no {' or '.join(f'“{m}”' for m in missing)} column; "
                f"the first line must name the columns as the export writes them ({expected}).",
                1,
            )
        )
    reading.problems.extend(problems)
    return None if problems else columns


def _read_line(number, columns, cells, reading, guarded, unguarded):
    """Check one line; add a SessionLine or the line's problems to reading."""
    if len(cells) != len(columns):
        reading.problems.append(
            Problem(f"has {len(cells)} cells, but line 1 names {len(columns)} columns.", number)
        )
        return
    values = {name: cell for name, cell in zip(columns, cells, strict=True) if name}
    problems = []
    for name, value in values.items():
        if "\x00" in value:
            problems.append(
                Problem("contains a NUL character, which cannot be stored.", number, name)
            )
        elif name in TEXT_COLUMNS:
            values[name] = _unguarded(value, name, number, guarded, unguarded)
    if problems:
        reading.problems.extend(problems)
        return
    day = _day(values["Date"], number, problems)
    clock = _clock(values["Time"], number, problems)
    minutes = _number(values["Minutes"], number, "Minutes", problems)
    mood = _rating(values.get("Mood", ""), number, "Mood", problems)
    quality = _rating(values.get("Quality", ""), number, "Quality", problems)
    if problems:
        reading.problems.extend(problems)
        return
    reading.lines.append(
        SessionLine(
            line=number,
            local_start=datetime.combine(day, clock),
            minutes=minutes,
            instrument=values.get("Instrument", ""),
            focus_areas=values.get("Focus areas", ""),
            goals=values.get("Goals", ""),
            pieces=values.get("Pieces", ""),
            mood=mood,
            quality=quality,
            notes=values.get("Notes") or None,
        )
    )


def _unguarded(value, name, number, guarded, unguarded):
    """value without the ' the export puts before a formula-like start; such cells noted."""
    if value[:1] == "'" and value[1:2] and value[1] in FORMULA_PREFIXES:
        guarded.setdefault(name, []).append(number)
        return value[1:]
    if value.startswith(FORMULA_PREFIXES):
        unguarded.setdefault(name, []).append(number)
    return value


def _lines_words(numbers):
    shown = ", ".join(map(str, numbers[:5]))
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _formula_notices(guarded, unguarded):
    """What was done to cells that start like a spreadsheet formula, one sentence a column."""
    notices = []
    for name, numbers in guarded.items():
        notices.append(
            f"{name} on {_lines_words(numbers)}: the ' in front was taken off. The export "
            f"puts it before text starting with {FORMULA_STARTS}, so that spreadsheets keep "
            "it as text. (Text that itself started with ' and one of these loses its '.)"
        )
    for name, numbers in unguarded.items():
        notices.append(
            f"{name} on {_lines_words(numbers)}: starts with {FORMULA_STARTS} without the ' "
            "the export puts in front (a spreadsheet may have taken it off); kept as text."
        )
    return notices


def _day(value, number, problems):
    value = value.strip()
    if not value:
        problems.append(Problem("is empty: on which day was the session?", number, "Date"))
        return None
    try:
        day = date.fromisoformat(value) if DATE_PATTERN.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None:
        problems.append(Problem(f"{quoted(value)} is not a date like 2026-03-02.", number, "Date"))
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(
            Problem(
                f"{quoted(value)} is not a year from {FIRST_YEAR} to {LAST_YEAR}.", number, "Date"
            )
        )
        day = None
    return day


def _clock(value, number, problems):
    value = value.strip()
    if not value:
        problems.append(Problem("is empty: at what time did the session start?", number, "Time"))
        return None
    match = TIME_PATTERN.fullmatch(value)
    hour, minute, second = (int(part or 0) for part in match.groups()) if match else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        problems.append(Problem(f"{quoted(value)} is not a time like 18:30.", number, "Time"))
        return None
    return time(hour, minute, second)


def _number(value, number, column, problems):
    value = value.strip()
    if not value:
        problems.append(Problem("is empty: how long was the session?", number, column))
        return None
    if not WHOLE_NUMBER.fullmatch(value):
        problems.append(Problem(f"{quoted(value)} is not a number of minutes.", number, column))
        return None
    # Checked by length first: int() refuses strings of thousands of digits.
    minutes = int(value) if len(value) <= 5 else MAX_SESSION_MINUTES + 1
    if not 1 <= minutes <= MAX_SESSION_MINUTES:
        problems.append(
            Problem(
                f"{quoted(value)} minutes: a session lasts between 1 minute and 24 hours "
                f"({MAX_SESSION_MINUTES} minutes).",
                number,
                column,
            )
        )
        return None
    return minutes


def _rating(value, number, column, problems):
    value = value.strip()
    if not value:
        return None
    if value not in ("1", "2", "3", "4", "5"):
        problems.append(Problem(f"{quoted(value)} is not a rating from 1 to 5.", number, column))
        return None
    return int(value)
