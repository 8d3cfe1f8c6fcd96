import contextlib
import os
import subprocess
import sys
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
