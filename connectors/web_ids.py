"""Web conversation ids: issued by the server, unforgeable, in their own namespace.

An id is `web:<128 random bits>.<HMAC tag>` (hex). The web channels (REST and
socket.io) accept only ids whose tag this server's secret produced, so a web
visitor can neither name another channel's conversation (`twilio:+1...`) nor
guess another visitor's web id.

The secret comes from WEB_CONVERSATION_SECRET. Without it each process makes
one at first use and puts it in its own environment, so processes it starts
(tests, the bench) share it; web conversations then last as long as the
process (the widget simply gets a new id after a restart).
"""
from __future__ import annotations

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
RANDOM_HEX = 32  # 128 bits
TAG_HEX = 32  # 128 bits of HMAC-SHA256
ISSUED_FORM = re.compile(rf"^{PREFIX}([0-9a-f]{{{RANDOM_HEX}}})\.([0-9a-f]{{{TAG_HEX}}})$")


def secret() -> bytes:
    value = os.environ.get(SECRET_ENV, "")
    if not value:
        value = secrets.token_hex(32)
        os.environ[SECRET_ENV] = value
        logger.info("%s is not set: web conversation ids last until this process stops.", SECRET_ENV)
    elif len(value) < MIN_SECRET_CHARS:
        raise ValueError(f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters (openssl rand -hex 32)")
    return value.encode()


def _tag(random_part: str) -> str:
    return hmac.new(secret(), random_part.encode(), hashlib.sha256).hexdigest()[:TAG_HEX]


def issue() -> str:
    """A new conversation id for a web visitor."""
    random_part = secrets.token_hex(RANDOM_HEX // 2)
    return f"{PREFIX}{random_part}.{_tag(random_part)}"


def is_issued(conversation_id: object) -> bool:
    """True only for an id this server's secret signed."""
    if not isinstance(conversation_id, str):
        return False
    match = ISSUED_FORM.match(conversation_id)
    return bool(match) and hmac.compare_digest(match.group(2), _tag(match.group(1)))


def for_label(label: str) -> str:
    """The same valid id for the same label under the same secret: for tests and
    the bench, which name their conversations ("visitor-1") and talk over REST."""
    if is_issued(label):
        return label
    random_part = hmac.new(secret(), b"label:" + label.encode(), hashlib.sha256).hexdigest()[:RANDOM_HEX]
    return f"{PREFIX}{random_part}.{_tag(random_part)}"
