"""Reading an import file: every problem of the file named by line and column, in plain words."""

import pytest

from tracker.imports.reading import read_file

pytestmark = pytest.mark.pure

HEADER = "Date,Time,Minutes,Instrument,Focus areas,Goals,Pieces,Mood,Quality,Notes\r\n"
BIG = 5 * 1024 * 1024


def read(text, max_bytes=BIG, max_rows=50_000):
    data = text.encode() if isinstance(text, str) else text
    return read_file(data, max_bytes=max_bytes, max_rows=max_rows)


def messages(reading):
    return [str(problem) for problem in reading.problems]


def test_reads_the_exports_lines():
    reading = read(HEADER + '2026-03-02,18:30,45,Piano,"Scales, Sight-reading",,,4,,Slow\r\n')
    assert reading.problems == []
    (line,) = reading.lines
    assert (line.line, str(line.local_start), line.minutes) == (2, "2026-03-02 18:30:00", 45)
    assert (line.instrument, line.focus_areas, line.mood, line.quality) == (
        "Piano",
        "Scales, Sight-reading",
        4,
        None,
    )
    assert line.notes == "Slow"


def test_a_utf8_byte_order_mark_is_accepted():
    reading = read(b"\xef\xbb\xbf" + (HEADER + "2026-03-02,18:30,45,,,,,,,Étude\r\n").encode())
    assert reading.problems == []
    assert reading.lines[0].notes == "Étude"


def test_a_file_not_in_utf8_is_refused_with_the_line():
    data = (HEADER + "2026-03-02,18:30,45,,,,,,,Étude\r\n").encode("latin-1")
    assert messages(read(data)) == [
        "The file is not UTF-8 text (the first character that is not is on line 2). In your "
        "spreadsheet, save it as “CSV UTF-8”, or export it again from Analytics."
    ]


def test_an_empty_file_says_so():
    assert messages(read("")) == ["The file is empty: export your practice log first."]


def test_a_file_without_the_header_line_says_what_it_should_start_with():
    (message,) = messages(read("2026-03-02,18:30,45\r\n"))
    assert message.startswith("Line 1: the first line must name the columns as the export")
    assert "Date, Time, Minutes, Instrument" in message
    assert "“2026-03-02, 18:30, 45”" in message


def test_a_missing_required_header_is_named():
    (message,) = messages(read("Date,Minutes\r\n2026-03-02,45\r\n"))
    assert message.startswith("Line 1: the headers have no “Time” column;")


def test_unknown_and_repeated_headers_are_named():
    assert messages(read("Date,Time,Minutes,Gear used,minutes\r\n")) == [
        "Line 1: “Gear used” is not a column the import reads (Date, Time, Minutes, "
        "Instrument, Focus areas, Goals, Pieces, Mood, Quality, Notes).",
        "Line 1: the column “Minutes” appears twice.",
    ]


def test_headers_in_another_order_and_case_are_read():
    reading = read("minutes, date ,TIME\r\n20,2026-03-02,07:05\r\n")
    assert reading.problems == []
    assert (reading.lines[0].minutes, str(reading.lines[0].local_start)) == (
        20,
        "2026-03-02 07:05:00",
    )


def test_semicolon_separated_files_get_their_own_message():
    (message,) = messages(read("Date;Time;Minutes\r\n"))
    assert message.startswith("Line 1: the columns are separated by “;”")


def test_the_size_cap_has_a_clear_message():
    text = HEADER + "2026-03-02,18:30,45,,,,,,,\r\n" * 10
    assert messages(read(text, max_bytes=200)) == [
        "The file is larger than 200 bytes, the most one import takes. Export shorter ranges "
        "of dates (From and To on Analytics) and import them one by one."
    ]
    assert read(text, max_bytes=len(text)).problems == []


def test_the_row_cap_has_a_clear_message():
    text = HEADER + "2026-03-02,18:30,45,,,,,,,\r\n" * 4
    assert messages(read(text, max_rows=3)) == [
        "The file has more than 3 sessions, the most one import takes. Export shorter ranges "
        "of dates (From and To on Analytics) and import them one by one."
    ]
    assert len(read(text, max_rows=4).lines) == 4


def test_bad_cells_are_named_by_line_and_column():
    text = (
        HEADER
        + "2026-03-02,18:30,abc,,,,,,,\r\n"
        + "02/03/2026,25:00,0,,,,,7,x,\r\n"
        + ",,,,,,,,,\r\n"  # a blank line is skipped
        + ",,99999999999999999999,,,,,,,\r\n"
        + "2026-03-02,18:30\r\n"
    )
    assert messages(read(text)) == [
        "Line 2, Minutes: “abc” is not a number of minutes.",
        "Line 3, Date: “02/03/2026” is not a date like 2026-03-02.",
        "Line 3, Time: “25:00” is not a time like 18:30.",
        "Line 3, Minutes: “0” minutes: a session lasts between 1 minute and 24 hours "
        "(1440 minutes).",
        "Line 3, Mood: “7” is not a rating from 1 to 5.",
        "Line 3, Quality: “x” is not a rating from 1 to 5.",
        "Line 5, Date: is empty: on which day was the session?",
        "Line 5, Time: is empty: at what time did the session start?",
        "Line 5, Minutes: “99999999999999999999” minutes: a session lasts between 1 minute "
        "and 24 hours (1440 minutes).",
        "Line 6: has 2 cells, but line 1 names 10 columns.",
    ]


def test_lines_are_counted_as_a_spreadsheet_numbers_rows():
    text = HEADER + '2026-03-02,18:30,45,,,,,,,"two\nlines"\r\n2026-03-03,18:30,x,,,,,,,\r\n'
    assert messages(read(text)) == ["Line 3, Minutes: “x” is not a number of minutes."]


def test_a_nul_character_is_refused():
    text = HEADER + "2026-03-02,18:30,45,,,,,,,a\x00b\r\n"
    assert messages(read(text)) == [
        "Line 2, Notes: contains a NUL character, which cannot be stored."
    ]


def test_the_exports_formula_guard_is_taken_off_and_said():
    text = (
        HEADER
        + "2026-03-02,18:30,45,'-Piano,'@Warm-up,,,,,'=SUM(A1)\r\n"
        + '2026-03-03,18:30,45,,,,,,,"\'\ttabbed"\r\n'
        + "2026-03-04,18:30,45,,,,,,,'quoted but no formula\r\n"
    )
    reading = read(text)
    assert reading.problems == []
    assert [line.notes for line in reading.lines] == [
        "=SUM(A1)",
        "\ttabbed",
        "'quoted but no formula",
    ]
    assert (reading.lines[0].instrument, reading.lines[0].focus_areas) == ("-Piano", "@Warm-up")
    assert reading.notices[2] == (
        "Notes on lines 2, 3: the ' in front was taken off. The export puts it before text "
        "starting with =, +, -, @, a tab or a line break, so that spreadsheets keep it as "
        "text. (Text that itself started with ' and one of these loses its '.)"
    )
    assert [n.split(":")[0] for n in reading.notices] == [
        "Instrument on line 2",
        "Focus areas on line 2",
        "Notes on lines 2, 3",
    ]


def test_a_formula_cell_without_the_guard_is_kept_as_text_and_said():
    reading = read(HEADER + "2026-03-02,18:30,45,,,,,,,=HYPERLINK(x)\r\n")
    assert reading.lines[0].notes == "=HYPERLINK(x)"
    assert reading.notices == [
        "Notes on line 2: starts with =, +, -, @, a tab or a line break without the ' the "
        "export puts in front (a spreadsheet may have taken it off); kept as text."
    ]


def test_seconds_and_single_digit_hours_are_read():
    reading = read("Date,Time,Minutes\r\n2026-03-02,7:05:30,5\r\n")
    assert str(reading.lines[0].local_start) == "2026-03-02 07:05:30"


def test_the_practice_log_lists_own_download_is_pointed_to_the_export():
    (when, missing) = messages(read("When,Minutes,Instrument\r\n"))
    assert when == (
        "Line 1: “When” is a column of the practice log list's Export. Import the file "
        "Export CSV on Analytics writes instead: it has Date and Time."
    )
    assert missing.startswith("Line 1: the headers have no “Date” or “Time” column;")
