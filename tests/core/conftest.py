"""Fixtures shared by the core suites."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import runtime

# The core suites run the production runtime (runtime/), as `rasa run` does.
runtime.install()


class Received:
    def __init__(self):
        self.requests = []


@pytest.fixture
def webhook_server():
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/handoff", received
    server.shutdown()
