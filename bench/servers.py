"""What the benchmark measures of a server process: its first answer and its
peak memory. Starting and stopping processes is tests/support/processes.py,
shared with the tests and the cluster."""
from __future__ import annotations

import socket
import time
import urllib.error
from pathlib import Path
from typing import Optional

from connectors import web_ids
from tests.support.processes import Process, http_json


def peak_rss_mb(pid: int) -> Optional[float]:
    """The process's peak resident set size (VmHWM) so far, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def wait_for_first_answer(process: Process, webhook_url: str, timeout_s: float = 600) -> float:
    """Seconds from the process start until the REST channel answered a message."""
    deadline = time.monotonic() + timeout_s
    probe = {"sender": web_ids.for_label("startup-probe"), "message": "hello"}
    while time.monotonic() < deadline:
        process.check_alive()
        try:
            replies = http_json(webhook_url, probe, timeout=10)
            if isinstance(replies, list) and replies:
                return time.perf_counter() - process.started_at
        except urllib.error.HTTPError as error:
            # The server is up and refused the probe: waiting will not change that.
            if 400 <= error.code < 500:
                raise RuntimeError(f"{process.name} refused the start-up probe ({error.code})") from error
        except (urllib.error.URLError, ConnectionError, socket.timeout, ValueError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{process.name} gave no answer within {timeout_s}s:\n{process.log_tail()}")
