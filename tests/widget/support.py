"""Helpers shared by the widget tests: demo server, test-only stub, browser settings."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import free_port, http_ready_within

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget"
BUNDLE = WIDGET / "dist" / "center-chat.js"
AXE = WIDGET / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "reports"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 740}


def wait_for_http(url: str, timeout_s: float = 20.0) -> None:
    if not http_ready_within(url, timeout_s, poll_s=0.1):
        raise TimeoutError(f"{url} not ready within {timeout_s}s")


@contextmanager
def demo_server(rasa_url: str):
    """widget/serve.py on a free port, pointing the widget at `rasa_url`."""
    port = free_port()
    env = {**os.environ, "WIDGET_PORT": str(port), "WIDGET_HOST": "127.0.0.1", "WIDGET_RASA_URL": rasa_url}
    process = subprocess.Popen([sys.executable, str(WIDGET / "serve.py")], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class StubRasa:
    """tests/widget/stub_rasa.py in a subprocess that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("stub_rasa.py")), str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_http(f"{self.url}/socket.io/?EIO=4&transport=polling")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None
