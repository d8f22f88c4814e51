"""The house rules, checked on the code itself: ownership in one module, data flowing one way."""

import ast
import re
from pathlib import Path

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
# A hand-typed ownership filter: only tracker/ownership.py may compare with the signed-in user.
OWNER_FILTER = re.compile(r"user_id\s*==\s*current_user\.id|current_user\.id\s*==\s*\w+\.user_id")


def _python_files(*parts):
    return sorted((TRACKER.joinpath(*parts)).rglob("*.py"))


def _imported_modules(path):
    """Every module path.py imports (absolute names), including imports inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _importers_of(prefix, files):
    """{file: the modules under prefix it imports}, for the files that import any."""
    found = {}
    for path in files:
        modules = sorted(m for m in _imported_modules(path) if m.startswith(prefix))
        if modules:
            found[str(path.relative_to(TRACKER))] = modules
    return found


def test_no_ownership_filter_is_typed_outside_the_ownership_module():
    found = [
        f"{path.relative_to(TRACKER)}:{number}: {line.strip()}"
        for path in _python_files()
        if path.name != "ownership.py" or path.parent != TRACKER
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OWNER_FILTER.search(line)
    ]
    assert found == []


def test_the_ownership_check_itself_is_found_by_the_rule():
    source = (TRACKER / "ownership.py").read_text()
    assert OWNER_FILTER.search(source), "the rule would miss the filter it is meant to find"


def test_the_json_face_imports_nothing_from_the_pages():
    assert _importers_of("tracker.admin", _python_files("api")) == {}


def test_the_pages_import_nothing_from_the_json_face():
    assert _importers_of("tracker.api", _python_files("admin")) == {}


def test_shared_modules_import_neither_face():
    below = [
        *_python_files("figures"),
        *_python_files("reminders"),
        *_python_files("imports"),
        *_python_files("models"),
        TRACKER / "ownership.py",
        TRACKER / "phrases.py",
        TRACKER / "timezones.py",
    ]
    assert _importers_of("tracker.admin", below) == {}
    assert _importers_of("tracker.api", below) == {}


def test_formatters_read_what_they_are_given_and_never_query():
    imported = _imported_modules(TRACKER / "admin" / "formatters.py")
    querying = {"tracker.extensions", "sqlalchemy", "flask_login", "flask"}
    assert not {m for m in imported if m.split(".")[0] in querying or m in querying}
    assert not {m for m in imported if m.startswith(("tracker.figures", "tracker.models"))}
