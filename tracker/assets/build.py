"""Build the served copy of the static files: content-hashed names, gzip and brotli variants.

For every static folder (tracker/static and Flask-Admin's) each file is copied once to
`<build dir>/<endpoint>/<name>.<12 hex digits of its content hash>.<ext>`, next to `.gz` and
`.br` variants when they are smaller. Stylesheets first have their `url(...)` references
rewritten to the hashed names (fonts, images), so a cached stylesheet never asks for a file
by an old name. `manifest.json` maps each endpoint's file names to the hashed names; it is
written last, so a half-finished build is never used.

A file whose hashed copy already exists is not written or compressed again: a rebuild takes
seconds (reading and hashing), the first one, compressing Flask-Admin's 20 MB, a minute or so.
"""

import hashlib
import json
import os
import posixpath
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from whitenoise.compress import Compressor

from tracker.assets.folders import static_folders

MANIFEST = "manifest.json"
HASH_LENGTH = 12
# A temporary name while a file is written; two builds at once (test workers) never clash.
PARTIAL = ".partial-"
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# References a stylesheet may hold that are not files of the same folder.
NOT_A_FILE = ("data:", "http:", "https:", "//", "#", "/", "about:")
COMPRESSOR = Compressor(quiet=True)


def hashed_name(name, content):
    """`css/app.css` -> `css/app.0123456789ab.css`: the name carries the content's hash."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, ext = posixpath.splitext(name)
    return f"{stem}.{digest}{ext}"


def source_files(folder):
    """Every file below folder, as POSIX names relative to it."""
    root = Path(folder)
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def rewrite_css(name, text, hashed):
    """The stylesheet `name` with its url(...) references pointing at hashed names."""
    folder = posixpath.dirname(name)

    def replace(match):
        quote, ref = match.group(1), match.group(2).strip()
        if ref.startswith(NOT_A_FILE) or "{" in ref:
            return match.group(0)
        split = min((i for i in (ref.find("?"), ref.find("#")) if i >= 0), default=len(ref))
        path, suffix = ref[:split], ref[split:]
        target = posixpath.normpath(posixpath.join(folder, path))
        if target not in hashed:
            return match.group(0)
        new = posixpath.relpath(hashed[target], folder or ".")
        return f"url({quote}{new}{suffix}{quote})"

    return CSS_URL.sub(replace, text)


def write_atomically(path, content):
    """Write content to path through a temporary name, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}{PARTIAL}{os.getpid()}")
    partial.write_bytes(content)
    os.replace(partial, path)


def write_with_variants(target, content):
    """Write the .br and .gz variants worth having, then the file itself.

    The file comes last, so its presence says its variants are complete (a later build
    skips it) and a half-written variant is never served.
    """
    if COMPRESSOR.should_compress(target.name):
        for suffix, packed in (
            (".br", COMPRESSOR.compress_brotli(content)),
            (".gz", COMPRESSOR.compress_gzip(content)),
        ):
            # As WhiteNoise's own compressor: only when it saves 5 % or more.
            if len(packed) <= 0.95 * len(content):
                write_atomically(target.with_name(target.name + suffix), packed)
    write_atomically(target, content)


def build_folder(folder, out, write):
    """Copy one folder's files under hashed names into out; return {name: hashed name}.

    write(target, content) writes a hashed file that does not exist yet.
    """
    names = source_files(folder)
    hashed = {}
    # Stylesheets last: their content (and so their hash) depends on the other files' hashes.
    for name in sorted(names, key=lambda n: n.endswith(".css")):
        content = (Path(folder) / name).read_bytes()
        if name.endswith(".css"):
            text = content.decode("utf-8", errors="surrogateescape")
            content = rewrite_css(name, text, hashed).encode("utf-8", errors="surrogateescape")
        hashed[name] = hashed_name(name, content)
        target = out / hashed[name]
        if not target.exists():
            write(target, content)
    return hashed


def remove_stale(out, hashed):
    """Delete files of earlier builds that no name maps to any more (and their variants)."""
    keep = set(hashed.values())
    for path in out.rglob("*"):
        if not path.is_file() or PARTIAL in path.name:
            continue
        name = path.relative_to(out).as_posix()
        if name.endswith((".gz", ".br")):
            name = name[:-3]
        if name not in keep:
            path.unlink(missing_ok=True)


def build_static(app, build_dir, log=print):
    """Build the hashed, compressed copy of every static folder of app into build_dir."""
    build_dir = Path(build_dir)
    manifest = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = []

        def write(target, content):
            jobs.append(pool.submit(write_with_variants, target, content))

        for static in static_folders(app):
            out = build_dir / static.endpoint
            manifest[static.endpoint] = build_folder(static.folder, out, write)
            log(f"{static.endpoint}: {len(manifest[static.endpoint])} files from {static.folder}")
        for job in jobs:
            job.result()  # raise what a compression raised
    for static in static_folders(app):
        remove_stale(build_dir / static.endpoint, manifest[static.endpoint])
    write_atomically(build_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    log(f"Wrote {build_dir / MANIFEST} ({len(jobs)} files new).")
    return manifest


def read_manifest(build_dir):
    """The manifest of the build in build_dir, or {} when none was built."""
    try:
        return json.loads((Path(build_dir) / MANIFEST).read_text())
    except FileNotFoundError:
        return {}
