"""Personal access tokens: made, named and revoked by their owner, stored only as a hash."""

import hashlib
import secrets

from tracker.extensions import db
from tracker.models import ApiToken

TOKEN_PREFIX = "pt_"


def secret_hash(secret):
    """What is stored for a secret: its SHA-256 (the secret is random, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user_id, name):
    """A new token of the user: (the row, the secret to show once). The caller commits."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user_id, name=name.strip(), token_hash=secret_hash(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret
