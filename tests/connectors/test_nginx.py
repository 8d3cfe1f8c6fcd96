"""The nginx configurations in front of the assistant, run for real with the
local nginx in front of a scripted server (tests/connectors/scripted_rasa.py):

- deploy/nginx/assistant.conf, the TLS-terminating production example, with a
  self-signed certificate: Twilio's signature of the public https URL holds
  (X-Forwarded-Proto/-Host from the trusted proxy), a client cannot forge those
  headers, and the REST channel is not public;
- deploy/cluster/nginx.conf.template: REST only from this machine.
"""
import contextlib
import json
import shutil
import socket
import subprocess
import time
import warnings
from pathlib import Path
from typing import Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.support.processes import free_port
from tests.connectors import hostile, webhooks
from tests.connectors.conftest import scripted_server

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PUBLIC_HOST = "chat.example.org"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


@pytest.fixture(scope="module")
def upstream(fake, tmp_path_factory):
    env = {**webhooks.channel_env(fake), "REDIS_URL": "", "TWILIO_TRUSTED_PROXIES": "127.0.0.1"}
    with scripted_server(env, tmp_path_factory.mktemp("behind-nginx")) as server:
        yield server


@contextlib.contextmanager
def running_nginx(directory: Path, config: str, port: int) -> Iterator[None]:
    for temp in ("client_body", "proxy", "logs"):
        (directory / temp).mkdir(exist_ok=True)
    (directory / "nginx.conf").write_text(config)
    checked = subprocess.run([NGINX, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", "stderr"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", "stderr",
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


def production_config(directory: Path, rasa_port: int, https_port: int, http_port: int) -> str:
    """deploy/nginx/assistant.conf inside an `http` block, on test ports and a test certificate."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    f"/CN={PUBLIC_HOST}", "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
                   check=True, capture_output=True)
    site = (ROOT / "deploy" / "nginx" / "assistant.conf").read_text()
    for old, new in [
        ("server 127.0.0.1:5005;", f"server 127.0.0.1:{rasa_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""), ("listen [::]:80;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/letsencrypt/live/chat.example.org/fullchain.pem", str(directory / "cert.pem")),
        ("/etc/letsencrypt/live/chat.example.org/privkey.pem", str(directory / "key.pem")),
        ("/var/log/nginx/assistant.access.log", str(directory / "logs" / "access.log")),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    return (f"pid {directory}/nginx.pid;\nevents {{ worker_connections 64; }}\nhttp {{\n"
            f"client_body_temp_path {directory}/client_body;\nproxy_temp_path {directory}/proxy;\n"
            f"error_log stderr warn;\n{site}\n}}\n")


@pytest.fixture(scope="module")
def production(upstream, tmp_path_factory):
    directory = tmp_path_factory.mktemp("nginx-tls")
    https_port, http_port = free_port(), free_port()
    rasa_port = int(upstream.url.rsplit(":", 1)[1])
    with running_nginx(directory, production_config(directory, rasa_port, https_port, http_port), https_port):
        yield f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", directory


def via_tls(base: str, path: str, call: webhooks.Webhook) -> requests.Response:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the self-signed certificate
        return requests.post(base + path, data=call.body, headers={**call.headers, "Host": PUBLIC_HOST},
                             verify=False, timeout=60)


def test_twilio_signs_the_public_https_url_and_it_verifies_behind_the_tls_proxy(production, upstream, fake):
    base, _, _ = production
    phone = f"+1555{int(time.time() * 1000) % 10**7:07d}"
    params = hostile.twilio_params(f"SM{time.time_ns()}", phone, "hello")
    call = hostile.signed_twilio("", params, signed_for=f"https://{PUBLIC_HOST}/webhooks/twilio/webhook")
    assert via_tls(base, "/webhooks/twilio/webhook", call).status_code == 204
    assert fake.wait_for(lambda: [r for r in upstream.received() if r["sender_id"] == f"twilio:{phone}"])


def test_a_client_cannot_forge_the_forwarded_host(production, upstream):
    base, _, _ = production
    phone = "+15550007777"
    params = hostile.twilio_params(f"SM{time.time_ns()}", phone, "hello")
    # Signed for a host the attacker controls, and claimed in X-Forwarded-Host: nginx replaces it.
    call = hostile.signed_twilio("", params, signed_for="https://evil.example/webhooks/twilio/webhook")
    forged = call.with_headers(X_Forwarded_Host="evil.example", X_Forwarded_Proto="https")
    assert via_tls(base, "/webhooks/twilio/webhook", forged).status_code == 403


def test_the_rest_channel_is_not_public_and_plain_http_redirects(production):
    base, plain, directory = production
    answer = via_tls(base, "/webhooks/rest/webhook", webhooks.Webhook(
        json.dumps({"message": "hi"}).encode(), {"Content-Type": "application/json"}))
    assert answer.status_code == 404 and answer.json() == {"error": "not found"}
    redirect = requests.get(plain + "/anything?x=1", headers={"Host": PUBLIC_HOST}, allow_redirects=False, timeout=10)
    assert redirect.status_code == 301 and redirect.headers["Location"] == f"https://{PUBLIC_HOST}/anything?x=1"


def test_the_access_log_holds_no_query_string(production):
    base, _, directory = production
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        requests.get(base + "/webhooks/facebook/webhook", params={"hub.verify_token": "very-secret-token"},
                     headers={"Host": PUBLIC_HOST}, verify=False, timeout=10)
    log = directory / "logs" / "access.log"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "/webhooks/facebook/webhook" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.05)
    assert "/webhooks/facebook/webhook" in log.read_text()
    assert "very-secret-token" not in log.read_text()


class SourceAddressAdapter(HTTPAdapter):
    """Connects from another loopback address, as a visitor's machine would."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        return super().init_poolmanager(*args, **kwargs)


def test_cluster_nginx_keeps_rest_to_this_machine(upstream, tmp_path):
    from deploy.cluster import cluster

    rasa_port = int(upstream.url.rsplit(":", 1)[1])
    port = free_port()
    settings = cluster.ClusterSettings(amqp_url=None, cluster_dir=tmp_path)
    settings.ports.update(CLUSTER_PORT=port, RASA1_PORT=rasa_port, RASA2_PORT=rasa_port,
                          ACTIONS_PORT=free_port(), ACTIONS1_PORT=free_port(), ACTIONS2_PORT=free_port())
    env = cluster.render(settings)
    assert env["TWILIO_TRUSTED_PROXIES"] == "127.0.0.1" and len(env["WEB_CONVERSATION_SECRET"]) >= 32
    config = (tmp_path / "nginx.conf").read_text()
    with running_nginx(tmp_path, config, port):
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        local = requests.post(url, json={"message": "hi"}, timeout=30)
        assert local.status_code == 200 and local.json()[0]["recipient_id"].startswith("web:")
        outside = requests.Session()
        outside.mount("http://", SourceAddressAdapter("127.0.0.2"))
        refused = outside.post(url, json={"message": "hi"}, timeout=30)
        assert refused.status_code == 403 and "not public" in refused.json()["error"]
        # The widget's socket.io and the platforms' webhooks stay public.
        assert outside.get(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", timeout=30).status_code == 200
        signed = webhooks.telegram_text(int(time.time()), 99, "hello")
        assert outside.post(f"http://127.0.0.1:{port}/webhooks/telegram/webhook", data=signed.body,
                            headers=signed.headers, timeout=30).status_code == 200
