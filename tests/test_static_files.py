"""Static files: hashed URLs cached for a year, precompressed variants, no database work."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from sqlalchemy import event

from tests.conftest import PASSWORD
from tests.conftest import app_on
from tests.factories import UserFactory
from tracker.assets.build import build_folder
from tracker.assets.build import build_static
from tracker.assets.build import hashed_name
from tracker.assets.build import remove_stale
from tracker.assets.build import rewrite_css
from tracker.assets.build import write_with_variants
from tracker.assets.serve import IMMUTABLE
from tracker.config import Config
from tracker.extensions import db

ASSET = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)="(/[^"]*static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
BOOTSTRAP_CSS = "bootstrap/bootstrap4/css/bootstrap.min.css"
PAGES = [
    "/app/",
    "/app/practice_session/",
    "/app/practice_session/new/",
    "/app/analytics/",
    "/app/goal/",
    "/app/timer/",
    "/app/settings/",
    "/app/reminders/new/",
]


# Where `make` builds them (TestConfig itself serves plain names).
BUILD_DIR = Config.STATIC_BUILD_DIR


@pytest.fixture(scope="module")
def built_app(app, database_url):
    """An app started after `flask build-static` (incremental: quick once make has run it)."""
    build_static(app, BUILD_DIR, log=lambda *_: None)
    return app_on(database_url, STATIC_BUILD_DIR=BUILD_DIR)


@pytest.fixture
def static_client(built_app):
    with built_app.app_context():
        yield built_app.test_client()


def login(client):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def asset_urls(client, path):
    """The stylesheets and scripts a page links, in order."""
    response = client.get(path)
    assert response.status_code == 200, path
    return ASSET.findall(response.get_data(as_text=True))


def source_of(app, url):
    """The bytes of the source file behind a hashed static URL."""
    for rule in app.url_map.iter_rules():
        prefix = rule.rule.split("<", 1)[0]
        if rule.endpoint.endswith("static") and url.startswith(prefix):
            names = app.extensions["static_manifest"][rule.endpoint]
            name = next(n for n, h in names.items() if h == url[len(prefix) :])
            owner = app if rule.endpoint == "static" else app.blueprints[rule.endpoint[:-7]]
            return (Path(owner.static_folder) / name).read_bytes()
    raise AssertionError(url)


def test_every_linked_asset_has_a_hashed_url_cached_for_a_year(static_client):
    login(static_client)
    urls = asset_urls(static_client, "/app/") + asset_urls(static_client, "/app/analytics/")
    assert len(urls) > 15
    for url in urls:
        assert HASHED.search(url), url
        assert "?v=" not in url, url  # the hash is the version
        response = static_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_without_a_build_every_static_url_is_plain(client, auth):
    auth.login(UserFactory())
    urls = asset_urls(client, "/app/")
    assert "/static/css/app.css" in urls
    assert not [url for url in urls if HASHED.search(url)]
    assert client.get("/static/css/app.css").headers["Cache-Control"] == "max-age=60, public"


def test_plain_static_names_still_work_with_a_short_cache(static_client):
    response = static_client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert (
        response.data == Path(static_client.application.static_folder, "css/app.css").read_bytes()
    )


@pytest.mark.parametrize(
    "accept, encoding, decode",
    [
        ("br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
        ("identity", None, bytes),
    ],
)
def test_static_files_come_compressed_as_the_browser_asks(static_client, accept, encoding, decode):
    login(static_client)
    url = next(
        u
        for u in asset_urls(static_client, "/app/")
        if "bootstrap.min." in u and u.endswith(".css")
    )
    response = static_client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    source = source_of(static_client.application, url)
    assert decode(response.data) == source
    if encoding:
        assert len(response.data) < len(source) / 4


def test_stylesheets_ask_for_fonts_by_hashed_name(static_client):
    login(static_client)
    url = next(u for u in asset_urls(static_client, "/app/") if "font-awesome" in u)
    css = static_client.get(url).get_data(as_text=True)
    fonts = re.findall(r"url\('([^')]+)'\)", css)
    assert fonts
    for font in fonts:
        assert re.search(r"fontawesome-webfont\.[0-9a-f]{12}\.\w+", font), font
        target = url.rsplit("/", 2)[0] + "/" + font[3:].split("?")[0]
        response = static_client.get(target)
        assert response.status_code == 200, target
        assert response.headers["Cache-Control"] == IMMUTABLE


def test_a_static_request_runs_no_query_and_touches_no_session(static_client):
    login(static_client)
    urls = asset_urls(static_client, "/app/")
    urls += ["/static/css/app.css", "/app/static/vendor/jquery.min.js"]
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for url in urls:
            response = static_client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


@pytest.mark.parametrize("path", PAGES)
def test_bootstrap_and_every_other_asset_are_linked_once(static_client, path):
    login(static_client)
    urls = asset_urls(static_client, path)
    bootstrap = [u for u in urls if "/bootstrap.min." in u and u.endswith(".css")]
    assert len(bootstrap) == 1, bootstrap
    assert "/css/bootstrap.min." in bootstrap[0]
    assert len(urls) == len(set(urls)), sorted(u for u in urls if urls.count(u) > 1)
    # The same content under two names (the hash is the content's) is a duplicate too.
    digests = [HASHED.search(u).group(0) for u in urls]
    assert len(digests) == len(set(digests)), urls
    assert not [u for u in urls if "/vendor/bootstrap4/" in u]  # in bootstrap.min.js already


@pytest.mark.pure
def test_a_hashed_name_keeps_the_folder_and_the_extension():
    assert hashed_name("css/app.css", b"body {}") == "css/app.62368a1a2925.css"
    assert hashed_name("vendor/chart.umd.min.js", b"") == "vendor/chart.umd.min.e3b0c44298fc.js"


@pytest.mark.pure
def test_stylesheet_references_point_at_hashed_names():
    hashed = {
        "fonts/fa.woff2": "fonts/fa.0123456789ab.woff2",
        "css/x.png": "css/x.aaaaaaaaaaaa.png",
    }
    css = (
        "a{src:url('../fonts/fa.woff2?v=4.7.0#x')} b{background:url(x.png)} "
        'c{background:url("data:image/png;base64,AAA")} d{background:url(missing.gif)}'
    )
    assert rewrite_css("css/site.css", css, hashed) == (
        "a{src:url('../fonts/fa.0123456789ab.woff2?v=4.7.0#x')} "
        "b{background:url(x.aaaaaaaaaaaa.png)} "
        'c{background:url("data:image/png;base64,AAA")} d{background:url(missing.gif)}'
    )


@pytest.mark.pure
def test_a_changed_image_gives_its_stylesheet_a_new_name_and_old_copies_go(tmp_path):
    source, out = tmp_path / "source", tmp_path / "out"
    (source / "img").mkdir(parents=True)
    (source / "site.css").write_text("body{background:url(img/bg.png)}" + " " * 2000)
    (source / "img" / "bg.png").write_bytes(b"first")
    first = build_folder(source, out, write_with_variants)
    (source / "img" / "bg.png").write_bytes(b"second")
    second = build_folder(source, out, write_with_variants)
    remove_stale(out, second)
    assert second["site.css"] != first["site.css"]
    css = (out / second["site.css"]).read_text()
    assert f"url({second['img/bg.png']})" in css
    # Compressible files get both variants; images are left as they are.
    assert (out / (second["site.css"] + ".br")).is_file()
    assert (out / (second["site.css"] + ".gz")).is_file()
    assert not (out / (second["img/bg.png"] + ".gz")).exists()
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert left == sorted(
        [
            second["img/bg.png"],
            second["site.css"],
            second["site.css"] + ".br",
            second["site.css"] + ".gz",
        ]
    )


def test_build_static_command_writes_the_manifest(built_app):
    runner = built_app.test_cli_runner()
    with built_app.app_context():
        result = runner.invoke(args=["build-static"])
        assert result.exit_code == 0, result.output
        assert f"Wrote {BUILD_DIR}/manifest.json (0 files new)." in result.output
    # Everything was built before (by the fixture): nothing was written again.


def test_build_static_command_needs_a_place_to_build(runner):
    result = runner.invoke(args=["build-static"])
    assert result.exit_code == 1
    assert "STATIC_BUILD_DIR is not set" in result.output
