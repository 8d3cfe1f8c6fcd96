"""Starts the real assistant for tests: the action server and `rasa run` with
the trained model, on free ports, and stops them afterwards.

    with RasaStack(env={"DATABASE_URL": url}) as stack:
        replies = stack.rest("visitor-1", "what is detox?")
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

from bench.servers import free_port, http_ready_within

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"
START_TIMEOUT = float(os.environ.get("STACK_START_TIMEOUT", "240"))


def http_json(url: str, payload: Optional[object] = None, timeout: float = 60) -> object:
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


class StackError(RuntimeError):
    pass


class RasaStack:
    def __init__(
        self,
        env: Optional[Dict[str, str]] = None,
        credentials: Optional[os.PathLike] = None,
        actions: bool = True,
        model: Path = MODEL,
    ) -> None:
        if not Path(model).exists():
            raise StackError(f"{model} is missing: run `make train` first")
        self.workdir = Path(tempfile.mkdtemp(prefix="rasa-stack-"))
        self.rasa_port = free_port()
        self.actions_port = free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.actions_url = f"http://127.0.0.1:{self.actions_port}"
        self.credentials = Path(credentials) if credentials else ROOT / "credentials.yml"
        self.model = Path(model)
        self.with_actions = actions
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SANIC_FALLBACK_ERROR_FORMAT": "json",
            "DATABASE_URL": f"sqlite:///{self.workdir / 'rasa.db'}",
            "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook",
            **(env or {}),
        }
        self.processes: Dict[str, subprocess.Popen] = {}

    # --- lifecycle -----------------------------------------------------------
    def __enter__(self) -> "RasaStack":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        try:
            if self.with_actions:
                self.start_actions()
            self.start_rasa()
        except Exception:
            self.stop()
            raise

    def start_actions(self) -> None:
        self._spawn(
            "actions",
            ["env", f"ACTIONS_PORT={self.actions_port}", str(ROOT / "scripts" / "serve_actions.sh")],
        )
        self._wait_until_ready("actions", f"{self.actions_url}/health")

    def start_rasa(self) -> None:
        self._spawn(
            "rasa",
            [
                # Rasa's command line with runtime/ installed, as scripts/serve_rasa.sh runs it.
                str(VENV_BIN / "python"), "-m", "runtime", "run", "--model", str(self.model),
                "--port", str(self.rasa_port), "--interface", "127.0.0.1",
                "--credentials", str(self.credentials), "--endpoints", str(ROOT / "endpoints.yml"),
            ],
        )
        self._wait_until_ready("rasa", f"{self.rasa_url}/webhooks/rest/")

    def stop_rasa(self) -> None:
        self._terminate("rasa")

    def restart_rasa(self) -> None:
        self.stop_rasa()
        self.start_rasa()

    def stop(self) -> None:
        for name in list(self.processes):
            self._terminate(name)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- talking to it ---------------------------------------------------------
    def rest(self, sender: str, text: str, timeout: float = 60) -> List[dict]:
        return http_json(f"{self.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout)

    def texts(self, sender: str, text: str) -> List[str]:
        return [m["text"] for m in self.rest(sender, text) if "text" in m]

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- internals ---------------------------------------------------------------
    def _spawn(self, name: str, command: List[str]) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def _wait_until_ready(self, name: str, url: str) -> None:
        process = self.processes[name]
        if not http_ready_within(url, START_TIMEOUT, process, poll_s=0.5):
            raise StackError(f"{name} not ready after {START_TIMEOUT}s (exit code {process.poll()}):\n"
                             f"{self.log(name)[-3000:]}")

    def _terminate(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
