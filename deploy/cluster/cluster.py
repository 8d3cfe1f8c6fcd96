"""`make run-cluster`: two Rasa servers and two action servers behind nginx, on
PostgreSQL (tracker store), Redis (lock store) and, when RabbitMQ answers,
the Pika event broker feeding deploy/cluster/event_counts.py.

    python deploy/cluster/cluster.py run      # render config, check services, start all (honcho)
    python deploy/cluster/cluster.py render   # only write the configuration to $CLUSTER_DIR

Settings (environment): DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/assistant,
created when missing), REDIS_URL (redis://127.0.0.1:6379/0), AMQP_URL
(amqp://guest:guest@127.0.0.1:5672/; EVENT_BROKER=off disables it), CLUSTER_PORT
(nginx, public: 5005), ACTIONS_PORT (nginx for actions: 5055), RASA1_PORT/RASA2_PORT
(5011/5012), ACTIONS1_PORT/ACTIONS2_PORT (5061/5062), CLUSTER_DIR (var/cluster).
tests/scale uses the same functions on free ports and throwaway databases.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/assistant"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
EVENTS_QUEUE = "rasa_events_daily_counts"
PROCESSES = ["rasa1", "rasa2", "actions1", "actions2", "alerts", "nginx"]


class ServiceUnavailable(RuntimeError):
    pass


@dataclass
class ClusterSettings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    amqp_url: Optional[str] = DEFAULT_AMQP_URL  # None: no event broker
    cluster_dir: Path = ROOT / "var" / "cluster"
    ports: Dict[str, int] = field(default_factory=lambda: {
        "CLUSTER_PORT": 5005, "ACTIONS_PORT": 5055, "RASA1_PORT": 5011, "RASA2_PORT": 5012,
        "ACTIONS1_PORT": 5061, "ACTIONS2_PORT": 5062})
    listen_host: str = "127.0.0.1"
    redis_key_prefix: str = "assistant"
    events_queue: str = EVENTS_QUEUE
    events_exchange: str = "rasa-exchange"

    @classmethod
    def from_env(cls) -> "ClusterSettings":
        settings = cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            redis_url=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
            amqp_url=None if os.environ.get("EVENT_BROKER", "").lower() in ("off", "false", "0")
            else os.environ.get("AMQP_URL") or DEFAULT_AMQP_URL,
            cluster_dir=Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster").resolve(),
            listen_host=os.environ.get("CLUSTER_HOST", "127.0.0.1"),
        )
        if os.environ.get("RASA_PORT") and not os.environ.get("CLUSTER_PORT"):
            settings.ports["CLUSTER_PORT"] = int(os.environ["RASA_PORT"])
        for name in settings.ports:
            if os.environ.get(name):
                settings.ports[name] = int(os.environ[name])
        return settings

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['CLUSTER_PORT']}"


# --- services --------------------------------------------------------------------
def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def check_postgres(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise ServiceUnavailable(f"DATABASE_URL must be PostgreSQL for the cluster (got {parts.scheme})")
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    if not _reachable(host, port):
        raise ServiceUnavailable(f"PostgreSQL is not reachable at {host}:{port} (DATABASE_URL)")


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except Exception as error:  # any failure means the lock store cannot work
        raise ServiceUnavailable(f"Redis is not reachable at {_without_password(url)} (REDIS_URL): "
                                 f"{type(error).__name__}") from None


def rabbitmq_reachable(url: str) -> bool:
    parts = urlsplit(url)
    return _reachable(parts.hostname or "127.0.0.1", parts.port or 5672)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}{parts.path}"


def ensure_database(url: str) -> None:
    """Creates the PostgreSQL database named in the URL when it does not exist."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    target = make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": target.database}).scalar()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
                print(f"Created database {target.database}", flush=True)
    finally:
        server.dispose()


# --- configuration ------------------------------------------------------------------
def _fill(template: str, values: Dict[str, object]) -> str:
    for key, value in values.items():
        template = template.replace(f"@@{key}@@", str(value))
    if "@@" in template:
        raise ValueError("unfilled placeholder in a cluster template")
    return template


def render(settings: ClusterSettings) -> Dict[str, str]:
    """Writes nginx.conf and endpoints.yml into the cluster directory and returns
    the environment for the Procfile's processes (secrets passed as variables)."""
    directory = settings.cluster_dir
    directory.mkdir(parents=True, exist_ok=True)
    redis = urlsplit(settings.redis_url)
    env: Dict[str, str] = {"REDIS_PASSWORD": unquote(redis.password or "")}
    broker = ""
    if settings.amqp_url:
        amqp = urlsplit(settings.amqp_url)
        env.update(AMQP_URL=settings.amqp_url, AMQP_USERNAME=unquote(amqp.username or "guest"),
                   AMQP_PASSWORD=unquote(amqp.password or "guest"))
        broker = "\n".join([
            "# Every stored event is also published to RabbitMQ (per-day counts for the console).",
            "event_broker:", "  type: pika", "  url: ${AMQP_URL}", "  username: ${AMQP_USERNAME}",
            "  password: ${AMQP_PASSWORD}", f"  exchange_name: {settings.events_exchange}",
            "  queues:", f"    - {settings.events_queue}", ""])
    values = {**settings.ports, "CLUSTER_DIR": directory, "LISTEN_HOST": settings.listen_host,
              "REDIS_HOST": redis.hostname or "127.0.0.1", "REDIS_PORT": redis.port or 6379,
              "REDIS_DB": (redis.path.strip("/") or "0"),
              "REDIS_PASSWORD_LINE": "  password: ${REDIS_PASSWORD}\n" if redis.password else "",
              "REDIS_KEY_PREFIX": settings.redis_key_prefix, "EVENT_BROKER": broker}
    (directory / "nginx.conf").write_text(_fill((HERE / "nginx.conf.template").read_text(), values))
    (directory / "endpoints.yml").write_text(_fill((HERE / "endpoints.yml.template").read_text(), values))
    for temp in ("client_body", "proxy", "logs"):
        (directory / temp).mkdir(exist_ok=True)
    env.update({name: str(port) for name, port in settings.ports.items()})
    env.update(
        CLUSTER_DIR=str(directory), DATABASE_URL=settings.database_url,
        RASA_ENDPOINTS=str(directory / "endpoints.yml"),
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{settings.ports['ACTIONS_PORT']}/webhook",
        RASA_HOST="127.0.0.1",
        # A server that dies mid-turn leaves its ticket in Redis: the conversation's
        # next turn waits until it expires. Longer than any turn, short enough to recover.
        TICKET_LOCK_LIFETIME=os.environ.get("TICKET_LOCK_LIFETIME", "20"),
        NGINX=shutil.which("nginx") or "/usr/sbin/nginx",
        EVENTS_QUEUE=settings.events_queue, EVENTS_EXCHANGE=settings.events_exchange,
        # Several Rasa servers may start at once: each checks the schema itself.
        PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
        SANIC_FALLBACK_ERROR_FORMAT="json",
        # Every Rasa server must accept the web conversation ids the others issued
        # (kept in this process's environment too, for a test that talks to them).
        WEB_CONVERSATION_SECRET=os.environ.setdefault("WEB_CONVERSATION_SECRET", secrets.token_hex(32)),
        # nginx (on this machine) sets X-Forwarded-Proto/-Host for Twilio's signature.
        TWILIO_TRUSTED_PROXIES=os.environ.get("TWILIO_TRUSTED_PROXIES") or "127.0.0.1",
    )
    return env


def procfile_commands() -> Dict[str, str]:
    commands = {}
    for line in (HERE / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


def prepare(settings: ClusterSettings) -> Dict[str, str]:
    """Checks the services, creates the database and renders the configuration."""
    check_postgres(settings.database_url)
    check_redis(settings.redis_url)
    if settings.amqp_url and not rabbitmq_reachable(settings.amqp_url):
        print(f"RabbitMQ is not reachable at {_without_password(settings.amqp_url)}: "
              "running without the event broker", flush=True)
        settings.amqp_url = None
    ensure_database(settings.database_url)
    return render(settings)


def main(argv: List[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    settings = ClusterSettings.from_env()
    try:
        cluster_env = prepare(settings) if command == "run" else render(settings)
    except ServiceUnavailable as error:
        print(f"run-cluster: {error}", file=sys.stderr)
        return 2
    if command == "render":
        print(f"Wrote {settings.cluster_dir}/nginx.conf and endpoints.yml")
        return 0
    processes = PROCESSES + (["events"] if settings.amqp_url else [])
    print(f"Cluster REST:     {settings.url}/webhooks/rest/webhook")
    print(f"Cluster socket.io {settings.url}/socket.io   (nginx -> Rasa :{settings.ports['RASA1_PORT']}, "
          f":{settings.ports['RASA2_PORT']}; actions :{settings.ports['ACTIONS1_PORT']}, "
          f":{settings.ports['ACTIONS2_PORT']})", flush=True)
    os.chdir(ROOT)
    os.execve(str(ROOT / ".venv" / "bin" / "honcho"),
              ["honcho", "start", "--no-colour", "-f", str(HERE / "Procfile"), "-d", str(ROOT), *processes],
              {**os.environ, **cluster_env})


if __name__ == "__main__":
    sys.exit(main(sys.argv))
