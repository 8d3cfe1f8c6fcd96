#!/usr/bin/env python3
"""Serves the center's demo page with the chat widget embedded.

Only the demo site (widget/site/) and the built bundle (widget/dist/) are
served, under fixed names; anything else is a 404. Standard library only.

Environment (command-line flags override):
  WIDGET_HOST      address to bind (default 127.0.0.1)
  WIDGET_PORT      port (default 8080)
  WIDGET_RASA_URL  Rasa server the widget talks to (default http://localhost:5005)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SITE_DIR = HERE / "site"
BUNDLE = HERE / "dist" / "center-chat.js"
RASA_URL_PLACEHOLDER = "__RASA_URL__"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


def rasa_origin(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"WIDGET_RASA_URL must be an http(s) URL, got {rasa_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    origin = rasa_origin(rasa_url)
    websocket_origin = "ws" + origin[len("http"):]  # http->ws, https->wss
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {origin} {websocket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def build_routes(rasa_url: str) -> dict[str, tuple[str, callable]]:
    """Maps each URL path to (content type, loader). Nothing else is reachable."""
    config_value = json.dumps(rasa_url)[1:-1]  # safe inside the JSON config string

    def index() -> bytes:
        html = (SITE_DIR / "index.html").read_text(encoding="utf-8")
        return html.replace(RASA_URL_PLACEHOLDER, config_value).encode("utf-8")

    routes: dict[str, tuple[str, callable]] = {
        "/": (CONTENT_TYPES[".html"], index),
        "/index.html": (CONTENT_TYPES[".html"], index),
        "/widget/center-chat.js": (CONTENT_TYPES[".js"], BUNDLE.read_bytes),
    }
    for path in SITE_DIR.iterdir():
        if path.is_file() and path.name != "index.html" and path.suffix in CONTENT_TYPES:
            routes[f"/{path.name}"] = (CONTENT_TYPES[path.suffix], path.read_bytes)
    return routes


class DemoHandler(BaseHTTPRequestHandler):
    server_version = "center-demo"
    sys_version = ""

    def __init__(self, *args, routes, csp, **kwargs):
        self.routes = routes
        self.csp = csp
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        route = self.routes.get(path)
        if route is None:
            self.send_text(HTTPStatus.NOT_FOUND, "not found\n", send_body)
            return
        content_type, load = route
        try:
            body = load()
        except FileNotFoundError:
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, "widget bundle not built: run `make setup-widget`\n", send_body)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_security_headers()
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def send_text(self, status: HTTPStatus, text: str, send_body: bool) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_security_headers()
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def send_security_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed\n", True)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        # Method, path and status only: no client address, no query string.
        if len(args) >= 2:
            request_line = str(args[0]).split(" ")
            path = urlsplit(request_line[1]).path if len(request_line) > 1 else "-"
            sys.stderr.write(f"demo: {request_line[0]} {path} {args[1]}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.environ.get("WIDGET_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WIDGET_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("WIDGET_RASA_URL", "http://localhost:5005"))
    args = parser.parse_args(argv)
    try:
        csp = content_security_policy(args.rasa_url)
    except ValueError as error:
        parser.error(str(error))
    if not BUNDLE.exists():
        print("warning: widget/dist/center-chat.js is missing; run `make setup-widget`", file=sys.stderr)
    handler = partial(DemoHandler, routes=build_routes(args.rasa_url), csp=csp)
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    print(f"demo site on http://{args.host}:{server.server_port}/ (widget -> {args.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
