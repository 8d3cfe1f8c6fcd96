"""Durable store of hand-off requests, in the tracker store's database.

The table's one definition is the staff console's Django model
(console/handoffs/models.py) with its migrations; `handoff_requests` below mirrors
it for SQLAlchemy, and tests/console/test_console_handoff_schema.py checks the two
column by column. Should the action server start on a database the console has not
migrated yet, `create_all` makes the same table, and the console's migration adopts it.
A retried action call carries the same request key, so it finds the first record
instead of writing a second one.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from actions.handoff.reference import new_reference

DEFAULT_DATABASE_URL = "sqlite:///var/rasa.db"
# An alert still undelivered after this many attempts is left to staff.
MAX_ALERT_ATTEMPTS = 20
# A claim on an alert older than this was made by a process that stopped mid-delivery.
STALE_CLAIM = timedelta(minutes=10)
# Fresh references tried when one clashes with a stored one (1 in ~1e11 each).
REFERENCE_ATTEMPTS = 5

metadata = sa.MetaData()
handoff_requests = sa.Table(
    "handoff_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("request_key", sa.String(64), nullable=False, unique=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("first_name", sa.String(100)),
    sa.Column("contact_kind", sa.String(10), nullable=False),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("best_time", sa.String(255), nullable=False),
    sa.Column("for_whom", sa.String(20), nullable=False),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    # The visitor's language ("en" or "es"), shown to staff so the right specialist calls back.
    sa.Column("language", sa.String(8), nullable=False, default="en", server_default="en"),
    sa.Column("status", sa.String(20), nullable=False, default="new", server_default="new"),
    sa.Column("status_changed_at", sa.DateTime(timezone=True)),
    sa.Column("status_changed_by", sa.String(150)),
    # The console's work queue: who calls back, their notes, the outcome when closing.
    sa.Column("assignee", sa.String(150)),
    sa.Column("notes", sa.Text),
    sa.Column("outcome", sa.String(20)),
    # Delivery of the staff alert: pending -> sending (claimed) -> sent | failed (retried later) | skipped.
    sa.Column("alert_status", sa.String(20), nullable=False, default="pending", server_default="pending"),
    sa.Column("alert_attempts", sa.Integer, nullable=False, default=0, server_default="0"),
    # What the visitor is told (actions/handoff/reference.py); NULL for rows made before it.
    sa.Column("reference", sa.String(16), unique=True),
    # When a process claimed the alert to send it: only one process sends it at a time.
    sa.Column("alert_claimed_at", sa.DateTime(timezone=True)),
    # The targets that have the alert ("email,webhook"): a retry sends only to the others.
    sa.Column("alert_delivered", sa.String(64)),
)
# Columns added after the first release: a table made before them gets them (engine_for).
LATE_COLUMNS = ("reference", "alert_claimed_at", "alert_delivered")


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    first_name: str
    contact_kind: str
    contact: str
    best_time: str
    for_whom: str
    consent_at: datetime
    language: str = "en"

    def key(self, turn_marker: str) -> str:
        """Same conversation, same confirming turn and same details: same key."""
        material = "|".join(
            [self.conversation_id, turn_marker, self.contact_kind, self.contact, self.best_time, self.for_whom]
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


@lru_cache(maxsize=4)
def engine_for(url: str) -> sa.engine.Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, pool_pre_ping=True, future=True)
    metadata.create_all(engine)
    _add_late_columns(engine)
    return engine


def _add_late_columns(engine: sa.engine.Engine) -> None:
    """A table created before a column of LATE_COLUMNS existed gets it (plain, nullable)."""
    present = {c["name"] for c in sa.inspect(engine).get_columns("handoff_requests")}
    with engine.begin() as connection:
        for name in LATE_COLUMNS:
            if name in present:
                continue
            column_type = handoff_requests.c[name].type.compile(dialect=engine.dialect)
            connection.execute(sa.text(f"ALTER TABLE handoff_requests ADD COLUMN {name} {column_type}"))
            if handoff_requests.c[name].unique:
                connection.execute(sa.text(
                    f"CREATE UNIQUE INDEX IF NOT EXISTS ix_handoff_requests_{name} ON handoff_requests ({name})"))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    """The columns hold times with a zone (PostgreSQL `timestamptz`); naive values are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def save_request(request: HandoffRequest, request_key: str, url: Optional[str] = None) -> Tuple[int, bool]:
    """Stores the request once. Returns (id, created)."""
    engine = engine_for(url or database_url())
    row = {
        "request_key": request_key,
        "conversation_id": request.conversation_id,
        "channel": request.channel,
        "first_name": request.first_name,
        "contact_kind": request.contact_kind,
        "contact": request.contact,
        "best_time": request.best_time,
        "for_whom": request.for_whom,
        "consent": True,
        "consent_at": _aware(request.consent_at),
        "created_at": utcnow(),
        "language": request.language or "en",
        "status": "new",
        "alert_status": "pending",
        "alert_attempts": 0,
    }
    try:
        return _insert_with_fresh_reference(engine, row), True
    except IntegrityError:
        with engine.connect() as connection:
            existing = connection.execute(
                sa.select(handoff_requests.c.id).where(handoff_requests.c.request_key == request_key)
            ).scalar_one()
            return int(existing), False


def _insert_with_fresh_reference(engine: sa.engine.Engine, row: dict) -> int:
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with engine.begin() as connection:
                result = connection.execute(handoff_requests.insert().values(**row, reference=new_reference()))
                return int(result.inserted_primary_key[0])
        except IntegrityError:
            # The request is already stored (a retried call), or the reference clashed.
            if attempt == REFERENCE_ATTEMPTS - 1 or _has_key(engine, row["request_key"]):
                raise
    raise IntegrityError("no free reference", None, Exception())


def _has_key(engine: sa.engine.Engine, request_key: str) -> bool:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(handoff_requests.c.id).where(handoff_requests.c.request_key == request_key)
        ).first() is not None


def reference_of(request_id: int, url: Optional[str] = None) -> str:
    """The reference the visitor is given (the id for rows made before references)."""
    reference = fetch(request_id, url)["reference"]
    return reference or str(request_id)


def _claimable(now: datetime):
    """An alert no process is sending: new, or failed and not given up, or claimed by a
    process that stopped mid-delivery (its claim is older than STALE_CLAIM)."""
    c = handoff_requests.c
    return sa.or_(
        c.alert_status == "pending",
        sa.and_(c.alert_status == "failed", c.alert_attempts < MAX_ALERT_ATTEMPTS),
        sa.and_(c.alert_status == "sending", c.alert_claimed_at < now - STALE_CLAIM,
                c.alert_attempts < MAX_ALERT_ATTEMPTS),
    )


def claim_alert(request_id: int, url: Optional[str] = None) -> bool:
    """Takes the request's alert for this process in one atomic UPDATE. False when another
    process (an action server, the alerts process) is sending it, or it is done."""
    now = utcnow()
    engine = engine_for(url or database_url())
    with engine.begin() as connection:
        result = connection.execute(
            handoff_requests.update()
            .where(handoff_requests.c.id == request_id)
            .where(_claimable(now))
            .values(alert_status="sending", alert_claimed_at=now)
        )
        return result.rowcount == 1


def delivered_targets(row) -> frozenset:
    return frozenset(filter(None, (row["alert_delivered"] or "").split(",")))


def record_alert_attempt(
    request_id: int, status: str, delivered: Iterable[str] = (), url: Optional[str] = None
) -> None:
    """status: "sent", "failed" (retried later) or "skipped" (no alert target configured);
    delivered: every target that has the alert so far."""
    engine = engine_for(url or database_url())
    with engine.begin() as connection:
        connection.execute(
            handoff_requests.update()
            .where(handoff_requests.c.id == request_id)
            .values(
                alert_status=status,
                alert_delivered=",".join(sorted(delivered)) or None,
                alert_attempts=handoff_requests.c.alert_attempts + (0 if status == "skipped" else 1),
            )
        )


def undelivered_alerts(url: Optional[str] = None) -> list:
    """Requests whose staff alert has not gone out yet and may be sent: failed ones, and
    new or claimed ones left behind by a process that stopped before sending."""
    engine = engine_for(url or database_url())
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(handoff_requests)
                .where(_claimable(utcnow()))
                .order_by(handoff_requests.c.id)
            ).mappings()
        )


def fetch(request_id: int, url: Optional[str] = None):
    engine = engine_for(url or database_url())
    with engine.connect() as connection:
        return connection.execute(
            sa.select(handoff_requests).where(handoff_requests.c.id == request_id)
        ).mappings().one()
