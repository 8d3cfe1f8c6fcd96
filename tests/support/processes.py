"""Starting the project's servers and watching them: the one process helper of
the tests (tests/support/stack.py, tests/scale), the benchmark (bench/) and
anything else that runs the servers from Python.

    env = start_up_env(DATABASE_URL="sqlite:///...")
    rasa = Process("rasa", [PYTHON, "-m", "runtime", "run", ...], ROOT, env, workdir / "rasa.log")
    rasa.wait_until_ready("http://127.0.0.1:5005/webhooks/rest/", timeout_s=240)
    ...
    rasa.stop()
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_up_env(**overrides: str) -> Dict[str, str]:
    """The environment the project's servers start in, as `make run` sets it
    (without make's own variables, which would leak into sub-makes)."""
    from connectors import web_ids

    web_ids.secret()  # servers, tests and the load generator sign web conversation ids alike
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    env.update({
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SANIC_FALLBACK_ERROR_FORMAT": "json",
    })
    env.update(overrides)
    return env


def http_ready_within(url: str, timeout_s: float, process: Optional[subprocess.Popen] = None,
                      poll_s: float = 0.2) -> bool:
    """Whether `url` answered 200 within `timeout_s`; False as soon as the
    server's `process` has exited, rather than at the deadline."""
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


def http_json(url: str, payload: Optional[object] = None, timeout: float = 60) -> object:
    """GET (no payload) or POST JSON, and the decoded JSON reply."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


class ProcessError(RuntimeError):
    pass


class Process:
    """One server process in its own process group (so stopping it stops its
    children too), with its output in `log_path`."""

    def __init__(self, name: str, command: List[str], cwd: Path, env: Dict[str, str], log_path: Path) -> None:
        self.name = name
        self.log_path = Path(log_path)
        self.started_at = time.perf_counter()
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 3000) -> str:
        return self.log()[-chars:]

    def check_alive(self) -> None:
        if not self.running():
            raise ProcessError(f"{self.name} exited with {self.popen.returncode}:\n{self.log_tail()}")

    def wait_until_ready(self, url: str, timeout_s: float, poll_s: float = 0.5) -> None:
        """Waits until `url` answers 200; a clear error with the log's end if
        the process exits first or the time runs out."""
        if not http_ready_within(url, timeout_s, self.popen, poll_s=poll_s):
            raise ProcessError(f"{self.name} not ready after {timeout_s}s (exit code {self.popen.poll()}):\n"
                               f"{self.log_tail()}")

    def signal(self, signum: int) -> None:
        if self.running():
            os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL, like a crashed machine: no graceful shutdown."""
        self.signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout_s: float = 20) -> None:
        """SIGTERM, then SIGKILL if it has not exited after `timeout_s`."""
        if not self.running():
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(timeout=10)


def stop_all(processes: List[Process], timeout_s: float = 20) -> None:
    """Stops them together: SIGTERM to all first, so their shutdowns overlap."""
    for process in processes:
        process.signal(signal.SIGTERM)
    for process in processes:
        process.stop(timeout_s)
