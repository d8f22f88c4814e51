"""An in-process cache backend bounded by entry count, least recently used out first: O(1) a write.

flask-caching's SimpleCache, once it holds its threshold, sorts every entry by expiry on each
write to drop one (the whole cache, every time): a full cache made the uncached dashboard ten
times slower. Here entries sit in an OrderedDict in order of use, so the one to drop is always
the first, and a write costs the same with one entry or with the threshold's. Entries expire
after their timeout as SimpleCache's do (checked when read). Values are pickled, so a caller
that changes what it got back cannot change the cached figure, and their size is known: the
cache also keeps under a byte budget, since a cached page (the practice log's rows) weighs a
hundred times a cached figure.
"""

import pickle
import threading
import time
from collections import OrderedDict

from flask_caching.backends.base import BaseCache


class BoundedCache(BaseCache):
    """At most `threshold` entries and `max_bytes` of pickled values in one process; the least
    recently used entry goes first."""

    def __init__(
        self,
        threshold=20000,
        default_timeout=300,
        ignore_delete_many_errors=False,
        max_bytes=128 * 2**20,
    ):
        super().__init__(default_timeout, ignore_delete_many_errors)
        self._threshold = max(1, threshold)
        self._max_bytes = max(1, max_bytes)
        self._bytes = 0
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        """Build it from CACHE_THRESHOLD and CACHE_DEFAULT_TIMEOUT (flask-caching calls this)."""
        kwargs.update(
            threshold=config["CACHE_THRESHOLD"],
            default_timeout=config["CACHE_DEFAULT_TIMEOUT"],
            max_bytes=config.get("CACHE_MAX_BYTES", 128 * 2**20),
        )
        return cls(*args, **kwargs)

    def __len__(self):
        return len(self._entries)

    @property
    def size_in_bytes(self):
        """The pickled size of every entry held."""
        return self._bytes

    def _drop(self, key):
        """Remove key's entry and its bytes; whether it was there. The caller holds the lock."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return False
        self._bytes -= len(entry[1])
        return True

    def _expiry(self, timeout):
        """The monotonic time the entry expires at, or None for never (timeout 0)."""
        seconds = self._normalize_timeout(timeout)
        return time.monotonic() + seconds if seconds > 0 else None

    def _live(self, key):
        """The entry under key, moved to the most recently used end; None when absent or expired.

        The caller holds the lock.
        """
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] is not None and entry[0] <= time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def get(self, key):
        """The cached value, or None."""
        with self._lock:
            entry = self._live(key)
        return None if entry is None else pickle.loads(entry[1])

    def has(self, key):
        """Whether key holds a live value."""
        with self._lock:
            return self._live(key) is not None

    def _store(self, key, value, timeout):
        """Put the entry at the most recently used end, then drop from the other end.

        The caller holds the lock.
        """
        self._drop(key)
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._entries[key] = (self._expiry(timeout), pickled)
        self._bytes += len(pickled)
        while len(self._entries) > self._threshold or (
            self._bytes > self._max_bytes and len(self._entries) > 1
        ):
            _oldest, (_expiry, dropped) = self._entries.popitem(last=False)
            self._bytes -= len(dropped)

    def set(self, key, value, timeout=None):
        """Store value under key, dropping the least recently used entries beyond the bound."""
        with self._lock:
            self._store(key, value, timeout)
        return True

    def add(self, key, value, timeout=None):
        """Store value only when key holds no live value; tell whether it was stored."""
        with self._lock:
            if self._live(key) is not None:
                return False
            self._store(key, value, timeout)
        return True

    def delete(self, key):
        """Remove key; tell whether it was there."""
        with self._lock:
            return self._drop(key)

    def clear(self):
        """Remove every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
        return True
