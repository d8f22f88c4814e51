"""Unbound extension instances, bound to an app in create_app."""

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_security import Security
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from tracker.models.base import Base
from tracker.passwords import TrackerPasswordUtil

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
security = Security(password_util_cls=TrackerPasswordUtil)
limiter = Limiter(key_func=get_remote_address)
cache = Cache()
mail = Mail()
