"""Alerts staff about a new hand-off request: a signed webhook and/or email.

Alerts carry a reference and a link to the staff console, never the visitor's
name or contact details: those stay in the database. Delivery runs in the
background with retries, so a slow or failing target never delays or breaks
the visitor's confirmation; the outcome is recorded on the request.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import smtplib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from typing import Awaitable, Callable, Dict, List, Mapping, Optional

import aiohttp

from actions.center import get_center
from actions.handoff import store

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Handoff-Signature-256"
TIMEOUT_SECONDS = 10
FIRST_RETRY_DELAY = 1.0


@dataclass(frozen=True)
class AlertSettings:
    webhook_url: str = ""
    webhook_secret: str = ""
    email_to: tuple = ()
    email_from: str = "assistant@localhost"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    console_url: str = "http://localhost:8000"
    attempts: int = 4

    @classmethod
    def from_config(cls, alerts: Mapping[str, object], environ: Mapping[str, str] = os.environ) -> "AlertSettings":
        return cls(
            webhook_url=str(alerts.get("webhook_url") or ""),
            webhook_secret=environ.get("HANDOFF_WEBHOOK_SECRET", ""),
            email_to=tuple(a.strip() for a in str(alerts.get("email_to") or "").split(",") if a.strip()),
            email_from=str(alerts.get("email_from") or "assistant@localhost"),
            smtp_host=str(alerts.get("smtp_host") or ""),
            smtp_port=int(alerts.get("smtp_port") or 587),
            smtp_user=str(alerts.get("smtp_user") or ""),
            smtp_password=environ.get("SMTP_PASSWORD", ""),
            smtp_starttls=str(alerts.get("smtp_starttls", True)).lower() not in ("false", "0", "no"),
            console_url=str(alerts.get("console_url") or "http://localhost:8000").rstrip("/"),
            attempts=max(1, int(alerts.get("attempts") or 4)),
        )

    @classmethod
    def current(cls) -> "AlertSettings":
        """The settings of the center's configuration and environment now."""
        return cls.from_config(get_center().alerts)

    @property
    def any_target(self) -> bool:
        return bool(self.webhook_url or (self.email_to and self.smtp_host))


LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def alert_payload(
    request_id: int, channel: str, for_whom: str, settings: AlertSettings, language: str = "en",
    reference: str = "",
) -> Dict[str, object]:
    return {
        "event": "handoff_request.created",
        "request_id": request_id,
        # The reference the visitor was told, so staff and visitor name the same request.
        "reference": reference or str(request_id),
        "channel": channel,
        "for_whom": for_whom,
        # The visitor's language, so a specialist who speaks it calls back.
        "language": language,
        "sent_at": datetime.now(timezone.utc).isoformat(),
        "console_url": f"{settings.console_url}/admin/handoffs/handoffrequest/{request_id}/change/",
    }


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


async def post_webhook(payload: Dict[str, object], settings: AlertSettings) -> None:
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if settings.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, settings.webhook_secret)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(settings.webhook_url, data=body, headers=headers) as response:
            if response.status >= 300:
                raise RuntimeError(f"webhook answered HTTP {response.status}")


def _send_email_blocking(payload: Dict[str, object], settings: AlertSettings) -> None:
    message = EmailMessage()
    language = LANGUAGE_NAMES.get(str(payload.get("language")), "English")
    message["Subject"] = f"New hand-off request {payload['reference']} ({language})"
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    who = "a loved one" if payload["for_whom"] == "loved_one" else "themselves"
    message.set_content(
        f"A visitor asked for a specialist to contact them (for {who}, via {payload['channel']}).\n"
        f"Reference the visitor was given: {payload['reference']}.\n"
        f"Language: {language}.\n"
        f"Open the staff console to see the details and consent:\n{payload['console_url']}\n"
    )
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


async def send_email(payload: Dict[str, object], settings: AlertSettings) -> None:
    await asyncio.to_thread(_send_email_blocking, payload, settings)


Sender = Callable[[Dict[str, object], AlertSettings], Awaitable[None]]


def senders_for(settings: AlertSettings) -> Dict[str, Sender]:
    senders: Dict[str, Sender] = {}
    if settings.webhook_url:
        senders["webhook"] = post_webhook
    if settings.email_to and settings.smtp_host:
        senders["email"] = send_email
    return senders


async def deliver(
    payload: Dict[str, object],
    settings: AlertSettings,
    senders: Optional[Dict[str, Sender]] = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> List[str]:
    """Tries every target up to `settings.attempts` times with a growing delay.
    Returns the targets that still failed (empty when all were delivered)."""
    pending = dict(senders if senders is not None else senders_for(settings))
    delay = FIRST_RETRY_DELAY
    for attempt in range(1, settings.attempts + 1):
        for name, send in list(pending.items()):
            try:
                await send(payload, settings)
                del pending[name]
            except Exception as error:  # any failure is retried; the visitor is not affected
                logger.warning(
                    "hand-off alert %s for request %s failed (attempt %d/%d): %s",
                    name, payload["request_id"], attempt, settings.attempts, type(error).__name__,
                )
        if not pending or attempt == settings.attempts:
            break
        await sleep(delay)
        delay *= 2
    return sorted(pending)


async def alert_staff(
    request_id: int, settings: AlertSettings, senders: Optional[Dict[str, Sender]] = None,
) -> str:
    """Delivers the alert for one stored request and records the outcome. Only the process
    that claims the alert sends it, and only to the targets that do not have it yet. What
    the alert says (channel, for whom, language, reference) comes from the stored row."""
    if not settings.any_target:
        store.record_alert_attempt(request_id, "skipped")
        return "skipped"
    if not store.claim_alert(request_id):
        return "claimed"  # another process is sending it, or it is done
    row = store.fetch(request_id)
    already = store.delivered_targets(row)
    pending = {name: send for name, send in (senders or senders_for(settings)).items() if name not in already}
    payload = alert_payload(request_id, row["channel"], row["for_whom"], settings,
                            row.get("language") or "en", row["reference"] or str(request_id))
    failed = await deliver(payload, settings, senders=pending)
    status = "failed" if failed else "sent"
    store.record_alert_attempt(request_id, status, already | (set(pending) - set(failed)))
    if failed:
        logger.error("hand-off alert for request %s not delivered via %s; will retry later", request_id, ", ".join(failed))
    else:
        logger.info("hand-off alert for request %s delivered", request_id)
    return status


async def retry_failed_alerts(settings: AlertSettings) -> None:
    """Gives earlier undelivered alerts another round (run after each new request)."""
    for row in store.undelivered_alerts():
        await alert_staff(row["id"], settings)
