import contextlib
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` run without `python -m` from the repo root
    sys.path.insert(0, str(ROOT))

from tests.support.processes import free_port, http_ready_within
from connectors.credentials import render
from tests.connectors.fake_platforms import FakePlatforms
from tests.connectors import webhooks
from tests.connectors.webhooks import channel_env


def render_credentials(directory: Path, env: Dict[str, str]) -> Path:
    """The effective credentials file, rendered as `make run` renders it."""
    text, enabled, _ = render((ROOT / "credentials.yml").read_text(), env)
    assert enabled == ["telegram", "slack", "twilio", "facebook"]
    path = directory / "credentials.yml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def fake() -> Iterator[FakePlatforms]:
    with FakePlatforms() as platforms:
        yield platforms


@pytest.fixture(autouse=True)
def _clean_fake(request: pytest.FixtureRequest) -> None:
    if "fake" in request.fixturenames:
        request.getfixturevalue("fake").clear()


class ScriptedServer:
    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.log = log

    def webhook(self, channel: str) -> str:
        return f"{self.url}/webhooks/{channel}/webhook"

    def received(self) -> list:
        return requests.get(self.url + "/received", timeout=10).json()


@contextlib.contextmanager
def scripted_server(env: Dict[str, str], directory: Path) -> Iterator[ScriptedServer]:
    """tests/connectors/scripted_rasa.py on a free port with the rendered credentials."""
    credentials = render_credentials(directory, env)
    port = free_port()
    log = directory / f"server-{port}.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/connectors/scripted_rasa.py"), "--credentials", str(credentials),
             "--port", str(port)],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log_file,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        if not http_ready_within(url + "/ready", 90, process):
            raise RuntimeError(log.read_text()[-3000:])
        yield ScriptedServer(url, log)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def scripted(fake: FakePlatforms, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptedServer]:
    with scripted_server({**channel_env(fake), "REDIS_URL": ""}, tmp_path_factory.mktemp("scripted")) as server:
        yield server


_probes = itertools.count(int(time.time()) % 100000 * 1000 + 900)


def sent_besides_a_probe(url: str, fake: FakePlatforms, channel: str) -> list:
    """What the channel sent, once a valid probe posted now to `url` (the
    channel's webhook) has been answered.

    Calls are handled in order, so when the probe's reply is out, anything an
    earlier call would have sent is out too: no fixed sleep, no guessed delay."""
    number = next(_probes)
    if channel == "telegram":
        probe, recipient = webhooks.telegram_text(number, number, "probe"), ("chat_id", str(number))
    elif channel == "slack":
        probe, recipient = webhooks.slack_message(f"Ev{number}", f"U{number}", f"D{number}", "probe"), ("channel", f"D{number}")
    elif channel == "facebook":
        probe, recipient = webhooks.facebook_text(f"m_{number}", str(number), "probe"), ("recipient", {"id": str(number)})
    else:
        phone = f"+1555{number % 10**7:07d}"
        probe, recipient = webhooks.twilio_sms(url, f"SM{number}", phone, "probe"), ("To", phone)
    assert probe.post(url).status_code in (200, 204)
    name, value = recipient
    is_probe = lambda call: call.params.get(name) == value  # noqa: E731
    fake.wait_for(lambda: [c for c in fake.sent(channel) if is_probe(c)], settle=0)
    return [c for c in fake.sent(channel) if not is_probe(c)]


def log_with(server: ScriptedServer, line: str, timeout: float = 10.0) -> str:
    """The server's log once it holds `line` (or after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and line not in server.log.read_text():
        time.sleep(0.05)
    return server.log.read_text()


def local_redis(db: int = 0) -> str:
    """The local Redis URL; skips when Redis is down, except under CI (fails there)."""
    import redis

    url = f"redis://127.0.0.1:6379/{db}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    return url
