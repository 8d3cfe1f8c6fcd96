"""Web conversation ids: issued by the server, unforgeable, in their own namespace.

An id is `web:` + base64url(128 random bits + 128-bit HMAC-SHA256 tag of
them), 47 characters, e.g. `web:q3Jd...` (`[A-Za-z0-9_-]` after `web:`). The web channels (REST and
socket.io) accept only ids whose tag this server's secret produced, so a web
visitor can neither name another channel's conversation (`twilio:+1...`) nor
guess another visitor's web id.

The secret comes from WEB_CONVERSATION_SECRET. Without it each process makes
one at first use and puts it in its own environment, so processes it starts
(tests, the bench) share it; web conversations then last as long as the
process (the widget simply gets a new id after a restart).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets

logger = logging.getLogger(__name__)

PREFIX = "web:"
SECRET_ENV = "WEB_CONVERSATION_SECRET"
MIN_SECRET_CHARS = 32
RANDOM_BYTES = 16  # 128 bits
TAG_BYTES = 16  # 128 bits of HMAC-SHA256
ENCODED_CHARS = 43  # base64url of 32 bytes, without padding
ISSUED_FORM = re.compile(rf"^{PREFIX}[A-Za-z0-9_-]{{{ENCODED_CHARS}}}$")


def secret() -> bytes:
    value = os.environ.get(SECRET_ENV, "")
    if not value:
        value = secrets.token_hex(32)
        os.environ[SECRET_ENV] = value
        logger.info("%s is not set: web conversation ids last until this process stops.", SECRET_ENV)
    elif len(value) < MIN_SECRET_CHARS:
        raise ValueError(f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters (openssl rand -hex 32)")
    return value.encode()


def _tag(random_part: bytes) -> bytes:
    return hmac.new(secret(), random_part, hashlib.sha256).digest()[:TAG_BYTES]


def _encode(random_part: bytes) -> str:
    return PREFIX + base64.urlsafe_b64encode(random_part + _tag(random_part)).decode().rstrip("=")


def issue() -> str:
    """A new conversation id for a web visitor."""
    return _encode(secrets.token_bytes(RANDOM_BYTES))


def is_issued(conversation_id: object) -> bool:
    """True only for an id this server's secret signed."""
    if not isinstance(conversation_id, str) or not ISSUED_FORM.match(conversation_id):
        return False
    try:
        raw = base64.urlsafe_b64decode(conversation_id[len(PREFIX):] + "=")
    except (binascii.Error, ValueError):
        return False
    # Re-encoding must give the same text: one id, one spelling (no spare bits).
    return hmac.compare_digest(_encode(raw[:RANDOM_BYTES]), conversation_id)


def for_label(label: str) -> str:
    """The same valid id for the same label under the same secret: for tests and
    the bench, which name their conversations ("visitor-1") and talk over REST."""
    if is_issued(label):
        return label
    return _encode(hmac.new(secret(), b"label:" + label.encode(), hashlib.sha256).digest()[:RANDOM_BYTES])
