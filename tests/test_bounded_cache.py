"""The default in-process cache holds at most its threshold, least recently used out first."""

import importlib

from flask import Flask
from flask_caching import Cache

import tracker.config
from tracker.figures.bounded_cache import BoundedCache


def test_bounded_cache_never_holds_more_than_its_threshold():
    cache = BoundedCache(threshold=3)
    for number in range(10):
        cache.set(f"k{number}", number)
    assert len(cache) == 3
    assert [cache.get(f"k{number}") for number in range(10)] == [None] * 7 + [7, 8, 9]


def test_bounded_cache_keeps_under_its_byte_budget():
    cache = BoundedCache(threshold=100, max_bytes=3_500)
    for number in range(10):
        cache.set(f"page{number}", "x" * 1_000)
    assert len(cache) == 3 and cache.size_in_bytes <= 3_500
    assert [cache.get(f"page{number}") is not None for number in range(10)] == (
        [False] * 7 + [True] * 3
    )
    cache.delete("page9")
    cache.set("page8", "y")
    assert len(cache) == 2 and cache.size_in_bytes < 1_100
    # One entry larger than the budget is still kept, alone, rather than refused.
    cache.set("big", "z" * 10_000)
    assert len(cache) == 1 and cache.get("big") is not None


def test_bounded_cache_evicts_the_least_recently_used_entry():
    cache = BoundedCache(threshold=3)
    for key in ("a", "b", "c"):
        cache.set(key, key.upper())
    # Reading "a" makes "b" the least recently used.
    assert cache.get("a") == "A"
    cache.set("d", "D")
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), cache.get("d")) == ("A", "C", "D")


def test_bounded_cache_overwrite_keeps_one_entry_and_refreshes_it():
    cache = BoundedCache(threshold=2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("a", 3)
    cache.set("c", 4)
    assert len(cache) == 2
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


def test_bounded_cache_entries_expire_after_their_timeout(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("tracker.figures.bounded_cache.time.monotonic", lambda: now[0])
    cache = BoundedCache(threshold=10, default_timeout=60)
    cache.set("short", "s", timeout=5)
    cache.set("default", "d")
    cache.set("forever", "f", timeout=0)
    now[0] += 6
    assert (cache.get("short"), cache.has("default")) == (None, True)
    now[0] += 60
    assert (cache.get("default"), cache.get("forever")) == (None, "f")
    assert len(cache) == 1


def test_bounded_cache_hands_out_copies():
    cache = BoundedCache(threshold=2)
    figure = {"days": [1, 2]}
    cache.set("figure", figure)
    cache.get("figure")["days"].append(3)
    figure["days"].append(4)
    assert cache.get("figure") == {"days": [1, 2]}


def test_bounded_cache_add_delete_and_clear():
    cache = BoundedCache(threshold=2)
    assert cache.add("a", 1) is True
    assert cache.add("a", 2) is False
    assert cache.get("a") == 1
    assert cache.delete("a") is True and cache.delete("a") is False
    cache.set("b", 1)
    assert cache.clear() is True and len(cache) == 0


def test_flask_caching_builds_the_bounded_cache_from_the_config():
    app = Flask(__name__)
    app.config.update(
        CACHE_TYPE=tracker.config.IN_PROCESS_CACHE, CACHE_THRESHOLD=2, CACHE_DEFAULT_TIMEOUT=30
    )
    cache = Cache(app)
    with app.app_context():
        for key in ("a", "b", "c"):
            cache.set(key, key)
        assert (cache.get("a"), cache.get("c")) == (None, "c")
    backend = app.extensions["cache"][cache]
    assert isinstance(backend, BoundedCache)
    assert (len(backend), backend.default_timeout) == (2, 30)


def test_default_cache_is_redis_when_configured_else_the_bounded_one(monkeypatch):
    monkeypatch.delenv("CACHE_TYPE", raising=False)
    monkeypatch.delenv("CACHE_REDIS_URL", raising=False)
    try:
        assert importlib.reload(tracker.config).Config.CACHE_TYPE == tracker.config.IN_PROCESS_CACHE
        monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0")
        assert importlib.reload(tracker.config).Config.CACHE_TYPE == "RedisCache"
    finally:
        monkeypatch.undo()
        importlib.reload(tracker.config)
