"""The bundle and the demo server, without a browser."""

from __future__ import annotations

import gzip
import json
import re
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from tests.widget.support import demo_server


def test_bundle_is_within_its_budget_and_names_no_other_host(bundle):
    code = bundle.read_bytes()
    budget = int(re.search(r"BUDGET_GZIP_BYTES = (\d+) \* 1024", (bundle.parents[1] / "build.mjs").read_text()).group(1))
    assert budget <= 40, "the budget stays close to the bundle's size"
    assert len(gzip.compress(code, compresslevel=9)) < budget * 1024
    # No other host is named in the code; the two URLs present are not requests:
    # the SVG namespace and a link in socket.io-client's version-mismatch error text.
    urls = set(re.findall(rb"https?://[A-Za-z0-9.-]+", code))
    assert urls <= {b"http://www.w3.org", b"https://socket.io"}, urls


def test_demo_server_serves_only_the_demo_and_the_bundle(bundle):
    with demo_server("http://127.0.0.1:5999") as url:
        with urlopen(url) as response:
            html = response.read().decode()
            csp = response.headers["Content-Security-Policy"]
        assert html.count("<script") == 1
        assert '"serverUrl": "http://127.0.0.1:5999"' in html
        hashed = json.loads((bundle.parent / "manifest.json").read_text())["center-chat.js"]
        assert re.fullmatch(r"center-chat\.[0-9a-f]{12}\.js", hashed)
        assert f'<script src="/widget/{hashed}" async>' in html
        assert response.headers["Cache-Control"] == "no-cache"  # pages pick up a new hash at once
        assert "script-src 'self'" in csp and "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in csp
        with urlopen(url + "widget/center-chat.js") as response:
            assert response.read() == bundle.read_bytes()
        # The hashed file: cached for a year, compressed when the browser says it can take it.
        for encoding, decompress in [("br", None), ("gzip", gzip.decompress), ("identity", lambda body: body)]:
            with urlopen(Request(url + f"widget/{hashed}", headers={"Accept-Encoding": encoding})) as response:
                body = response.read()
                assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
                assert response.headers["Vary"] == "Accept-Encoding"
                assert response.headers.get("Content-Encoding") == (None if encoding == "identity" else encoding)
                if decompress:
                    assert decompress(body) == bundle.read_bytes()
                else:
                    assert body == (bundle.parent / f"{hashed}.br").read_bytes()
                    assert len(body) < len(bundle.read_bytes()) / 3
        with urlopen(url + "es/") as response:
            assert '<html lang="es">' in response.read().decode()
        for path in ["serve.py", "../serve.py", "src/index.js", "widget/../serve.py", "node_modules/axe-core/axe.js", "site/index.html", "embed.html", "es.html"]:
            with pytest.raises(HTTPError) as error:
                urlopen(url + path)
            assert error.value.code == 404, path
        with pytest.raises(HTTPError) as error:
            urlopen(Request(url, data=b"x", method="POST"))
        assert error.value.code == 405
