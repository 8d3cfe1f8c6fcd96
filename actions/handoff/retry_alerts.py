"""Retries undelivered staff alerts on a timer: `python -m actions.handoff.retry_alerts`.

The action server retries failed alerts after each new request; this process
also sends them when no new request comes, once the webhook or mail server is
back. `make run` starts it (deploy/Procfile). Run one per database: two would
both retry the same request and staff would get the alert twice.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os

from actions.handoff import alerts

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300


async def retry_once() -> None:
    settings = alerts.AlertSettings.current()
    if settings.any_target:
        await alerts.retry_failed_alerts(settings)


async def retry_forever(interval_s: float) -> None:
    while True:
        try:
            await retry_once()
        except Exception as error:  # noqa: BLE001 - a database outage must not end the loop
            logger.error("retrying hand-off alerts failed: %s; next try in %ss", type(error).__name__, interval_s)
        await asyncio.sleep(interval_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="one round, then exit (for cron)")
    parser.add_argument("--interval", type=float,
                        default=float(os.environ.get("HANDOFF_ALERT_RETRY_SECONDS", DEFAULT_INTERVAL_S)),
                        help="seconds between rounds (HANDOFF_ALERT_RETRY_SECONDS, default 300)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    asyncio.run(retry_once() if arguments.once else retry_forever(arguments.interval))


if __name__ == "__main__":
    main()
