"""Page weight in Chromium: what a cold visit transfers, and what a warm reload still asks for.

gunicorn serves bench/wsgi.py (as for the throughput runs) on BENCH_PORT (default: a free
port); Debian's Chromium, driven by Playwright, signs in as the heavy user and opens each page
in a fresh browser context (empty cache, the same sign-in cookie), waits until the network is
idle, then reloads it. Chromium's own network log (CDP) says which requests reached the server
and how many bytes each transferred (headers and the compressed body). Other hosts are blocked
by the host resolver rather than by Playwright's routing, which would turn the cache off.

    BENCH_DATABASE=tracker_bench_NAME python bench/page_weight.py
"""

import sys

import benchenv
import load
import report

PAGES = {
    "dashboard": "/app/",
    "log": "/app/practice_session/",
    "analytics": "/app/analytics/",
}
COLD_DASHBOARD_KB = 350
NOTE = (
    "Page weight: Debian's Chromium (Playwright) against the same gunicorn, as the heavy user, "
    "each page in a fresh browser context; transferred bytes are Chromium's encodedDataLength "
    "(headers and the compressed body; over plain HTTP Chromium asks for gzip, not brotli); "
    "a warm reload counts the requests that reached the server."
)
# Only 127.0.0.1 resolves: a request to any other host fails and is counted.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


class NetworkLog:
    """The requests of one page load as Chromium's DevTools protocol reports them."""

    def __init__(self, cdp):
        self.requests = {}
        self.cached = set()
        self.bytes = {}
        for name, handler in (
            ("Network.requestWillBeSent", self._sent),
            ("Network.requestServedFromCache", self._from_cache),
            ("Network.responseReceived", self._received),
            ("Network.loadingFinished", self._finished),
        ):
            cdp.on(name, handler)
        cdp.send("Network.enable")

    def _sent(self, event):
        self.requests[event["requestId"]] = (event.get("type", ""), event["request"]["url"])

    def _from_cache(self, event):
        self.cached.add(event["requestId"])

    def _received(self, event):
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event):
        self.bytes[event["requestId"]] = event["encodedDataLength"]

    def clear(self):
        """Forget what was logged (before a reload)."""
        self.requests.clear()
        self.cached.clear()
        self.bytes.clear()

    def figures(self, base):
        """Requests that reached the server, bytes transferred, JSON requests, other hosts."""
        sent = {rid: r for rid, r in self.requests.items() if not r[1].startswith("data:")}
        network = [rid for rid in sent if rid not in self.cached]
        return {
            "requests": len(network),
            "bytes": sum(self.bytes.get(rid, 0) for rid in network),
            "json": sum(1 for rid in network if sent[rid][0] in ("Fetch", "XHR")),
            "elsewhere": sorted({url for _kind, url in sent.values() if not url.startswith(base)}),
            # path -> bytes, largest first
            "urls": dict(
                sorted(
                    ((sent[rid][1][len(base) :], self.bytes.get(rid, 0)) for rid in network),
                    key=lambda item: -item[1],
                )
            ),
        }


def sign_in(browser, base, email, password):
    """The storage state (cookies) of a session signed in through the real form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("[type=submit]")
    state = context.storage_state()
    context.close()
    return state


def weigh(browser, base, state, path):
    """Cold and warm figures of one page, each in a fresh context (empty cache)."""
    context = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log = NetworkLog(context.new_cdp_session(page))
    response = page.goto(base + path, wait_until="networkidle")
    if response.status != 200 or "/login" in page.url:
        raise RuntimeError(f"{path} answered {response.status} at {page.url}")
    cold = log.figures(base)
    log.clear()
    page.reload(wait_until="networkidle")
    warm = log.figures(base)
    context.close()
    return {"cold": cold, "warm": warm}


def measure(database_url, email, password):
    """name -> {"cold": figures, "warm": figures} for every page in PAGES."""
    from playwright.sync_api import sync_playwright

    # The browser tests' Chromium and its flags; bench/ scripts run with bench/ on the path.
    if str(benchenv.ROOT) not in sys.path:
        sys.path.append(str(benchenv.ROOT))
    from tests.browser import CHROMIUM
    from tests.browser import LAUNCH_ARGS

    with load.served(database_url) as port:
        base = f"http://{load.HOST}:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=[*LAUNCH_ARGS, OFFLINE]
            )
            state = sign_in(browser, base, email, password)
            weights = {name: weigh(browser, base, state, path) for name, path in PAGES.items()}
            browser.close()
        return weights


def rows(weights):
    """Table rows: cold bytes and requests per page, and what a warm reload asks for."""
    table = []
    for name, figures in weights.items():
        cold, warm = figures["cold"], figures["warm"]
        kb = cold["bytes"] / 1024
        target, result = "—", ""
        if name == "dashboard":
            target = f"≤ {COLD_DASHBOARD_KB} KB"
            result = report.verdict(kb <= COLD_DASHBOARD_KB and not cold["elsewhere"])
        table.append(
            [
                f"Chromium, {name}: cold load KB transferred (requests)",
                "",
                f"{kb:,.0f} KB ({cold['requests']} requests, {cold['json']} JSON)",
                target,
                result,
            ]
        )
        # The page's HTML plus its own JSON: no stylesheet, script or font asked for again.
        wanted = 1 + warm["json"]
        table.append(
            [
                f"Chromium, {name}: warm reload requests",
                "",
                f"{warm['requests']} ({warm['json']} JSON)",
                f"1 + its JSON = {wanted}",
                report.verdict(warm["requests"] == wanted and not warm["elsewhere"]),
            ]
        )
    return table


def main():
    """Weigh the pages as the heavy user and print the rows (and each page's requests)."""
    weights = measure(benchenv.bench_database_url(), benchenv.HEAVY_EMAIL, benchenv.PASSWORD)
    for name, figures in weights.items():
        for kind in ("cold", "warm"):
            listing = ", ".join(f"{url} {size:,}" for url, size in figures[kind]["urls"].items())
            print(f"{name} {kind}: {listing}")
            if figures[kind]["elsewhere"]:
                print(f"  other hosts: {figures[kind]['elsewhere']}")
    print(report.markdown(rows(weights)))


if __name__ == "__main__":
    main()
