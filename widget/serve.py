#!/usr/bin/env python3
"""Serves the center's demo page with the chat widget embedded.

Only the demo site (widget/site/: / in English, /es/ in Spanish) and the
built bundle (widget/dist/) are served, under fixed names; anything else is a
404. The bundle's content-hashed name (dist/manifest.json) is cached for a
year and sent gzip- or brotli-compressed, as the center's server should
(widget/nginx.example.conf). Standard library only.

Environment (command-line flags override):
  WIDGET_HOST      address to bind (default 127.0.0.1)
  WIDGET_PORT      port (default 8080)
  WIDGET_RASA_URL  Rasa server the widget talks to (default http://localhost:5005)
"""

from __future__ import annotations

import argparse
import gzip
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
DIST = HERE / "dist"
BUNDLE = DIST / "center-chat.js"
MANIFEST = DIST / "manifest.json"
RASA_URL_PLACEHOLDER = "__RASA_URL__"
WIDGET_SRC_PLACEHOLDER = "__WIDGET_SRC__"
WIDGET_EMBED_PLACEHOLDER = "__WIDGET_EMBED__"
EMBED = "embed.html"  # the widget's script tag, the snippet a page embeds
PAGES = {"/": "index.html", "/index.html": "index.html", "/es/": "es.html"}
LONG_CACHE = "public, max-age=31536000, immutable"
# Preferred first: brotli is smaller, gzip is understood everywhere.
ENCODINGS = [("br", ".br"), ("gzip", ".gz")]

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


def hashed_bundle_name() -> str:
    """center-chat.<hash>.js, as the last build wrote it."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["center-chat.js"]


class Route:
    """What one path serves: content type, body loader, caching, compressed copies."""

    def __init__(self, content_type: str, load, cache: str = "no-cache", compressed: Path | None = None):
        self.content_type = content_type
        self.load = load
        self.cache = cache
        self.compressed = compressed  # the file whose .br/.gz siblings may be sent instead


def build_routes(rasa_url: str) -> dict[str, Route]:
    """Maps each URL path to its Route. Nothing else is reachable."""
    config_value = json.dumps(rasa_url)[1:-1]  # safe inside the JSON config string

    def page(name: str):
        def load() -> bytes:
            html = (SITE_DIR / name).read_text(encoding="utf-8")
            # Both pages embed the widget the same way: one copy of the script tag.
            html = html.replace(WIDGET_EMBED_PLACEHOLDER, (SITE_DIR / EMBED).read_text(encoding="utf-8").strip())
            html = html.replace(WIDGET_SRC_PLACEHOLDER, f"/widget/{hashed_bundle_name()}")
            return html.replace(RASA_URL_PLACEHOLDER, config_value).encode("utf-8")
        return load

    routes: dict[str, Route] = {path: Route(CONTENT_TYPES[".html"], page(name)) for path, name in PAGES.items()}
    # The stable name, for development; pages use the hashed one.
    routes["/widget/center-chat.js"] = Route(CONTENT_TYPES[".js"], BUNDLE.read_bytes, compressed=BUNDLE)
    if MANIFEST.exists():
        hashed = DIST / hashed_bundle_name()
        routes[f"/widget/{hashed.name}"] = Route(CONTENT_TYPES[".js"], hashed.read_bytes, LONG_CACHE, compressed=hashed)
    for path in SITE_DIR.iterdir():
        if path.is_file() and path.suffix in CONTENT_TYPES and path.name not in (*PAGES.values(), EMBED):
            routes[f"/{path.name}"] = Route(CONTENT_TYPES[path.suffix], path.read_bytes)
    return routes


def accepted_encodings(header: str | None) -> set[str]:
    """Content codings of an Accept-Encoding header, without those refused with q=0."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() and quality > 0:
            accepted.add(name.strip().lower())
    return accepted


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
        encoding = None
        try:
            body = route.load()
            if route.compressed is not None:
                accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
                for name, suffix in ENCODINGS:
                    copy = route.compressed.with_name(route.compressed.name + suffix)
                    if name in accepted and copy.exists():
                        body, encoding = copy.read_bytes(), name
                        break
                    if name == "gzip" and name in accepted:  # the stable name has no stored copy
                        body, encoding = gzip.compress(body, compresslevel=9), name
                        break
        except (FileNotFoundError, KeyError, ValueError):
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, "widget bundle not built: run `make setup-widget`\n", send_body)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", route.cache)
        if route.compressed is not None:
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
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
