"""Per-day event counts for the staff console, fed by Rasa's Pika event broker.

Rasa publishes every stored event to RabbitMQ (deploy/cluster/endpoints.yml,
queue rasa_events_daily_counts). This consumer adds each one to

    daily_event_counts(day DATE, event_type VARCHAR(64), count INTEGER,
                       PRIMARY KEY (day, event_type))

in the same database as the tracker store (DATABASE_URL); `day` is the UTC
date of the event's timestamp and `event_type` Rasa's event name ("user",
"bot", "action", "session_started", ...). The console reads the table; only
this consumer writes it. A message is acknowledged after its count is
committed, so a crash re-delivers it rather than losing it (at-least-once:
a crash between commit and acknowledgement can count one event twice).

    AMQP_URL=amqp://guest:guest@127.0.0.1:5672/ DATABASE_URL=postgresql://... \
        .venv/bin/python deploy/cluster/event_counts.py
"""
from __future__ import annotations

import asyncio
import datetime
import json
import logging
import os
import signal

import aio_pika
import sqlalchemy as sa

logger = logging.getLogger("event_counts")

metadata = sa.MetaData()
daily_event_counts = sa.Table(
    "daily_event_counts", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("event_type", sa.String(64), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

UPSERT = sa.text(
    "INSERT INTO daily_event_counts (day, event_type, count) VALUES (:day, :event_type, 1) "
    "ON CONFLICT (day, event_type) DO UPDATE SET count = daily_event_counts.count + 1"
)


def day_and_type(body: bytes):
    event = json.loads(body)
    timestamp = event.get("timestamp")
    moment = (datetime.datetime.fromtimestamp(float(timestamp), datetime.timezone.utc)
              if isinstance(timestamp, (int, float)) else datetime.datetime.now(datetime.timezone.utc))
    return moment.date(), str(event.get("event") or "unknown")[:64]


def count(engine: sa.engine.Engine, body: bytes) -> None:
    day, event_type = day_and_type(body)
    with engine.begin() as connection:
        connection.execute(UPSERT, {"day": day, "event_type": event_type})


async def consume(amqp_url: str, database_url: str, queue_name: str, exchange_name: str) -> None:
    engine = sa.create_engine(database_url, pool_pre_ping=True)
    metadata.create_all(engine)
    connection = await aio_pika.connect_robust(amqp_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        # Declared the way Rasa's broker declares them, so either may start first.
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(queue_name, durable=True)
        await queue.bind(exchange, "")

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            try:
                await asyncio.to_thread(count, engine, message.body)
            except (ValueError, TypeError):
                logger.warning("dropped a malformed event message")
                await message.reject(requeue=False)
                return
            except sa.exc.SQLAlchemyError as error:
                logger.error("could not store a count (%s); message goes back to the queue", type(error).__name__)
                await message.nack(requeue=True)
                await asyncio.sleep(1)
                return
            await message.ack()

        await queue.consume(on_message)
        logger.info("counting events from queue %s into daily_event_counts", queue_name)
        await stop.wait()
    engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(consume(
        os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/assistant"),
        os.environ.get("EVENTS_QUEUE", "rasa_events_daily_counts"),
        os.environ.get("EVENTS_EXCHANGE", "rasa-exchange"),
    ))


if __name__ == "__main__":
    main()
