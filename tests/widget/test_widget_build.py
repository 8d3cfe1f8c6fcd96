"""The bundle and the demo server, without a browser."""

from __future__ import annotations

import gzip
import re
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from tests.widget.support import demo_server


def test_bundle_is_under_60_kb_gzipped_and_names_no_other_host(bundle):
    code = bundle.read_bytes()
    assert len(gzip.compress(code, compresslevel=9)) < 60 * 1024
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
        assert "script-src 'self'" in csp and "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in csp
        with urlopen(url + "widget/center-chat.js") as response:
            assert response.read() == bundle.read_bytes()
        for path in ["serve.py", "../serve.py", "src/index.js", "widget/../serve.py", "node_modules/axe-core/axe.js", "site/index.html"]:
            with pytest.raises(HTTPError) as error:
                urlopen(url + path)
            assert error.value.code == 404, path
        with pytest.raises(HTTPError) as error:
            urlopen(Request(url, data=b"x", method="POST"))
        assert error.value.code == 405
