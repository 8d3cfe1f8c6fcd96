"""Starting the bots' servers for the benchmark and watching their processes."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

from connectors import web_ids

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(**overrides: str) -> Dict[str, str]:
    web_ids.secret()  # servers and the load generator sign web conversation ids alike
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    env.update({
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SANIC_FALLBACK_ERROR_FORMAT": "json",
    })
    env.update(overrides)
    return env


def peak_rss_mb(pid: int) -> Optional[float]:
    """The process's peak resident set size (VmHWM) so far, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class Process:
    """One server process in its own process group, with its log in `log_path`."""

    def __init__(self, name: str, command: List[str], cwd: Path, env: Dict[str, str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self.started_at = time.perf_counter()
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def post_json(url: str, payload: object, timeout: float = 10) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_for_first_answer(process: Process, webhook_url: str, timeout_s: float = 600) -> float:
    """Seconds from the process start until the REST channel answered a message."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        process.check_alive()
        try:
            replies = post_json(webhook_url, {"sender": "startup-probe", "message": "hello"})
            if isinstance(replies, list) and replies:
                return time.perf_counter() - process.started_at
        except (urllib.error.URLError, ConnectionError, socket.timeout, ValueError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{process.name} gave no answer within {timeout_s}s:\n{process.log_tail()}")


def http_ready_within(url: str, timeout_s: float, process: Optional[subprocess.Popen] = None,
                      poll_s: float = 0.2) -> bool:
    """Whether `url` answered 200 within `timeout_s`; False as soon as the
    server's `process` has exited, rather than at the deadline.
    (The test stacks start their servers with this too.)"""
    deadline = time.monotonic() + timeout_s
    while process is None or process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:  # refused, reset, timed out, or an HTTP error status
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(poll_s)
    return False


def wait_for_http(process: Process, url: str, timeout_s: float = 300) -> None:
    if not http_ready_within(url, timeout_s, process.popen):
        process.check_alive()
        raise RuntimeError(f"{process.name} not ready within {timeout_s}s:\n{process.log_tail()}")
