"""Starts the real assistant for tests: the action server and Rasa's server
(`python -m runtime run`, with the runtime changes, as scripts/serve_rasa.sh
runs it) with the trained model, on free ports, and stops them afterwards.

    with RasaStack(env={"DATABASE_URL": url}) as stack:
        replies = stack.rest("visitor-1", "what is detox?")
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from connectors import web_ids
from tests.support.processes import (
    PYTHON, ROOT, VENV_BIN, Process, ProcessError, free_port, http_json, start_up_env,
)

__all__ = ["MODEL", "ROOT", "VENV_BIN", "RasaStack", "StackError", "http_json"]

MODEL = ROOT / "models" / "current.tar.gz"
START_TIMEOUT = float(os.environ.get("STACK_START_TIMEOUT", "240"))
StackError = ProcessError


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
        web_ids.secret()  # before the environment is copied: the server signs ids with it
        self.workdir = Path(tempfile.mkdtemp(prefix="rasa-stack-"))
        self.rasa_port = free_port()
        self.actions_port = free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.actions_url = f"http://127.0.0.1:{self.actions_port}"
        self.credentials = Path(credentials) if credentials else ROOT / "credentials.yml"
        self.model = Path(model)
        self.with_actions = actions
        self.env = start_up_env(**{
            "DATABASE_URL": f"sqlite:///{self.workdir / 'rasa.db'}",
            "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook",
            **(env or {}),
        })
        self.processes: Dict[str, Process] = {}

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
        self._spawn("actions", ["env", f"ACTIONS_PORT={self.actions_port}", str(ROOT / "scripts" / "serve_actions.sh")])
        self.processes["actions"].wait_until_ready(f"{self.actions_url}/health", START_TIMEOUT)

    def start_rasa(self) -> None:
        self._spawn("rasa", [
            PYTHON, "-m", "runtime", "run", "--model", str(self.model),
            "--port", str(self.rasa_port), "--interface", "127.0.0.1",
            "--credentials", str(self.credentials), "--endpoints", str(ROOT / "endpoints.yml"),
        ])
        self.processes["rasa"].wait_until_ready(f"{self.rasa_url}/webhooks/rest/", START_TIMEOUT)

    def stop_rasa(self) -> None:
        self._stop("rasa")

    def stop_actions(self) -> None:
        self._stop("actions")

    def restart_rasa(self) -> None:
        self.stop_rasa()
        self.start_rasa()

    def stop(self) -> None:
        for name in list(self.processes):
            self._stop(name)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- talking to it ---------------------------------------------------------
    def rest(self, sender: str, text: str, timeout: float = 60) -> List[dict]:
        """`sender` is a label: the same label is the same (server-signed) web conversation."""
        payload = {"sender": web_ids.for_label(sender), "message": text}
        return http_json(f"{self.rasa_url}/webhooks/rest/webhook", payload, timeout)

    def texts(self, sender: str, text: str) -> List[str]:
        return [m["text"] for m in self.rest(sender, text) if "text" in m]

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- internals ---------------------------------------------------------------
    def _spawn(self, name: str, command: List[str]) -> None:
        self.processes[name] = Process(name, command, ROOT, self.env, self.workdir / f"{name}.log")

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            process.stop()

    _terminate = _stop  # the name tests used before stop_actions()
