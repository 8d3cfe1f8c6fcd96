"""Starts the cluster of deploy/cluster (same Procfile, same rendered nginx and
endpoints configuration as `make run-cluster`) on free ports, with a throwaway
PostgreSQL database, its own Redis key prefix and its own RabbitMQ exchange."""
from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Dict, List

import sqlalchemy as sa

from tests.support.processes import ROOT, Process, free_port, stop_all
from tests.support.services import skip_or_fail

sys.path.insert(0, str(ROOT / "deploy" / "cluster"))
import cluster  # noqa: E402  (deploy/cluster/cluster.py)

START_TIMEOUT = float(os.environ.get("STACK_START_TIMEOUT", "420"))


def require_services(settings: "cluster.ClusterSettings") -> None:
    """PostgreSQL and Redis must be up: with CI set a missing one fails the run
    with a clear message, on a developer machine it skips."""
    try:
        cluster.check_postgres(settings.database_url)
        cluster.check_redis(settings.redis_url)
    except cluster.ServiceUnavailable as error:
        skip_or_fail(f"the cluster test needs PostgreSQL and Redis: {error}")


class ScaleCluster:
    def __init__(self, workdir: Path) -> None:
        run_id = f"{os.getpid()}{int(time.time()) % 100000}"
        base = os.environ.get("SCALE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/assistant")
        self.database_url = str(sa.engine.make_url(base).set(database=f"assistant_scale_{run_id}"))
        amqp = os.environ.get("AMQP_URL", cluster.DEFAULT_AMQP_URL)
        self.settings = cluster.ClusterSettings(
            database_url=self.database_url,
            redis_url=os.environ.get("REDIS_URL", cluster.DEFAULT_REDIS_URL),
            amqp_url=amqp if cluster.rabbitmq_reachable(amqp) else None,
            cluster_dir=workdir,
            ports={name: free_port() for name in cluster.ClusterSettings().ports},
            redis_key_prefix=f"scaletest{run_id}",
            events_queue=f"scale_test_events_{run_id}",
            events_exchange=f"scale-test-{run_id}",
        )
        self.processes: Dict[str, Process] = {}
        self.workdir = workdir
        # Staff alerts go to a webhook a test can open on this port; the alerts
        # process retries every second rather than every five minutes.
        self.alert_webhook_port = free_port()

    @property
    def url(self) -> str:
        return self.settings.url

    def start(self) -> None:
        require_services(self.settings)
        env = {**os.environ, **cluster.prepare(self.settings),
               "HANDOFF_WEBHOOK_URL": f"http://127.0.0.1:{self.alert_webhook_port}/hooks/handoff",
               "HANDOFF_ALERT_RETRY_SECONDS": "1"}
        self.with_broker = self.settings.amqp_url is not None
        commands = cluster.procfile_commands()
        names = cluster.PROCESSES + (["events"] if self.with_broker else [])
        for name in names:
            self.processes[name] = Process(name, ["bash", "-c", commands[name]], ROOT, env,
                                           self.workdir / f"{name}.log")
        ports = self.settings.ports
        for name, url in [("actions1", f"http://127.0.0.1:{ports['ACTIONS1_PORT']}/health"),
                          ("actions2", f"http://127.0.0.1:{ports['ACTIONS2_PORT']}/health"),
                          ("rasa1", f"http://127.0.0.1:{ports['RASA1_PORT']}/webhooks/rest/"),
                          ("rasa2", f"http://127.0.0.1:{ports['RASA2_PORT']}/webhooks/rest/"),
                          ("nginx", f"{self.url}/webhooks/rest/")]:
            self.processes[name].wait_until_ready(url, START_TIMEOUT)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def upstream_port(self, name: str) -> str:
        return f"127.0.0.1:{self.settings.ports[name]}"

    def kill(self, name: str) -> None:
        """SIGKILL, like a crashed machine: no graceful shutdown."""
        self.processes[name].kill()

    def stop(self) -> None:
        stop_all(list(self.processes.values()))
        self.cleanup_services()

    def cleanup_services(self) -> None:
        import redis

        try:
            client = redis.Redis.from_url(self.settings.redis_url)
            for key in client.scan_iter(f"{self.settings.redis_key_prefix}*"):
                client.delete(key)
        except Exception:
            pass
        engine = sa.create_engine(str(sa.engine.make_url(self.database_url).set(database="postgres")),
                                  isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(self.database_url).database}"'
                                       " WITH (FORCE)"))
        engine.dispose()
        if getattr(self, "with_broker", False):
            asyncio.run(self._delete_broker_objects())

    async def _delete_broker_objects(self) -> None:
        import aio_pika

        connection = await aio_pika.connect(self.settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(self.settings.events_queue)
            await channel.exchange_delete(self.settings.events_exchange)

    # --- what is stored ------------------------------------------------------------
    def stored_events(self) -> Dict[str, List[dict]]:
        engine = sa.create_engine(self.database_url)
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT sender_id, type_name, action_name, data FROM events ORDER BY id")).fetchall()
        engine.dispose()
        conversations: Dict[str, List[dict]] = {}
        for sender, type_name, action_name, data in rows:
            conversations.setdefault(sender, []).append({"type": type_name, "action": action_name, "data": data})
        return conversations

    def daily_counts(self) -> Dict[str, int]:
        engine = sa.create_engine(self.database_url)
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT event_type, SUM(count) FROM daily_event_counts GROUP BY event_type")).fetchall()
        engine.dispose()
        return {event_type: int(total) for event_type, total in rows}
