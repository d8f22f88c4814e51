"""The JSON face under /api/: chart data, the CSV export and the bell; nothing from admin/."""

from tracker.api import export  # noqa: F401  (registers its routes on bp)
from tracker.api import notifications  # noqa: F401
from tracker.api import stats  # noqa: F401
from tracker.api.base import bp

__all__ = ["bp"]
