"""A local webhook receiver for staff alerts: records each POST (headers, body)."""
from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List, Tuple


class Received:
    def __init__(self) -> None:
        self.requests: List[Tuple[dict, bytes]] = []


@contextlib.contextmanager
def webhook_receiver(port: int = 0) -> Iterator[Tuple[str, Received]]:
    """(url, received) while it runs; port 0 picks a free one."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/handoff", received
    finally:
        server.shutdown()
