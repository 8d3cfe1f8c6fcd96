"""The `alerts` process: `python -m actions.handoff.retry_alerts`.

- Retries undelivered staff alerts on a timer. The action server retries failed
  alerts after each new request; this process also sends them when no new
  request comes, once the webhook or mail server is back.
- Runs the retention purge on a schedule (by default at start and then daily):
  the staff console's `purge_old_conversations`, which deletes conversations
  and hand-off requests past CONSOLE_RETENTION_DAYS / CONSOLE_HANDOFF_RETENTION_DAYS.

`make run` starts it (deploy/Procfile). Several may run on one database, beside
several action servers: each alert is claimed by one process in one atomic
UPDATE before it is sent (store.claim_alert), so staff get it once.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Awaitable, Callable, List

from actions.handoff import alerts

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INTERVAL_S = 300
DEFAULT_PURGE_HOURS = 24.0
PURGE_COMMAND = [sys.executable, str(ROOT / "console" / "manage.py"), "purge_old_conversations"]


async def retry_once() -> None:
    settings = alerts.AlertSettings.current()
    if settings.any_target:
        await alerts.retry_failed_alerts(settings)


async def purge_once() -> bool:
    """One retention purge; True if it ran. Its output holds counts only; a
    failure is logged by exit code and error class (a traceback may quote data)."""
    process = await asyncio.create_subprocess_exec(
        *PURGE_COMMAND, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        last_line = (err.decode(errors="replace").strip().splitlines() or [""])[-1]
        error_class = last_line.split(":", 1)[0] if ":" in last_line else "unknown error"
        logger.error("retention purge failed (exit %s, %s); next try at the next round", process.returncode, error_class)
        return False
    logger.info("retention purge: %s", out.decode(errors="replace").strip())
    return True


async def every(interval_s: float, work: Callable[[], Awaitable[object]], what: str) -> None:
    while True:
        try:
            await work()
        except Exception as error:  # noqa: BLE001 - a database outage must not end the loop
            logger.error("%s failed: %s; next try in %ss", what, type(error).__name__, interval_s)
        await asyncio.sleep(interval_s)


def purge_interval_s() -> float:
    """RETENTION_PURGE_HOURS (default 24); 0 turns the scheduled purge off."""
    hours = float(os.environ.get("RETENTION_PURGE_HOURS") or DEFAULT_PURGE_HOURS)
    if hours < 0:
        raise ValueError("RETENTION_PURGE_HOURS must be 0 (off) or a positive number of hours")
    return hours * 3600


def jobs(retry_interval_s: float, purge_interval: float, once: bool) -> List[Awaitable[object]]:
    if once:
        return [retry_once()] + ([purge_once()] if purge_interval else [])
    scheduled: List[Awaitable[object]] = [every(retry_interval_s, retry_once, "retrying hand-off alerts")]
    if purge_interval:
        scheduled.append(every(purge_interval, purge_once, "retention purge"))
    return scheduled


async def run(jobs_to_run: List[Awaitable[object]]) -> None:
    await asyncio.gather(*jobs_to_run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="one round of each, then exit (for cron)")
    parser.add_argument("--interval", type=float,
                        default=float(os.environ.get("HANDOFF_ALERT_RETRY_SECONDS", DEFAULT_INTERVAL_S)),
                        help="seconds between alert retries (HANDOFF_ALERT_RETRY_SECONDS, default 300)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    asyncio.run(run(jobs(arguments.interval, purge_interval_s(), arguments.once)))


if __name__ == "__main__":
    main()
