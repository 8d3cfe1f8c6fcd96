"""A local stand-in for the Telegram, Slack, Graph (Messenger) and Twilio APIs.

One threaded HTTP server on 127.0.0.1; each platform lives under its own path
prefix, which is what the connectors' api_base settings point at. Every call
is recorded so tests can assert what would have been sent.
"""
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit

BOT_USERNAME = "center_test_bot"


@dataclass
class ApiCall:
    platform: str  # telegram | slack | facebook | twilio
    method: str  # sendMessage, chat.postMessage, me/messages, Messages.json ...
    path: str
    params: Dict[str, Any] = field(default_factory=dict)
    headers: Dict[str, str] = field(default_factory=dict)


def _parse_body(content_type: str, body: bytes) -> Dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    return {key: values[0] if len(values) == 1 else values for key, values in parse_qs(body.decode()).items()}


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: List[ApiCall] = []  # cleared before each test
        self.history: List[ApiCall] = []  # never cleared: calls made at server start
        self._lock = threading.Lock()
        platforms = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                params = _parse_body(self.headers.get("Content-Type") or "", self.rfile.read(length))
                params.update({k: v[0] for k, v in parse_qs(url.query).items()})
                status, answer = platforms._answer(url.path, params, dict(self.headers))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # The api_base settings of the connectors.
    @property
    def telegram_base(self) -> str:
        return self.base_url + "/telegram"

    @property
    def slack_base(self) -> str:
        return self.base_url + "/slack/api/"

    @property
    def facebook_base(self) -> str:
        return self.base_url + "/facebook/v12.0"

    @property
    def twilio_base(self) -> str:
        return self.base_url + "/twilio"

    def __enter__(self) -> "FakePlatforms":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, params: Dict[str, Any], headers: Dict[str, str]) -> "tuple[int, Any]":
        platform, _, rest = path.lstrip("/").partition("/")
        if platform == "telegram":
            method = rest.rsplit("/", 1)[-1]
        elif platform == "slack":
            method = rest.removeprefix("api/")
        elif platform == "facebook":
            method = rest.split("/", 1)[-1]
        else:
            method = rest.rsplit("/", 1)[-1]
        with self._lock:
            self.calls.append(ApiCall(platform, method, path, params, headers))
            self.history.append(self.calls[-1])
            number = len(self.calls)

        if platform == "telegram":
            if method == "getMe":
                user = {"id": 4242, "is_bot": True, "first_name": "Center", "username": BOT_USERNAME}
                return 200, {"ok": True, "result": user}
            if method == "sendMessage":
                chat = {"id": int(params.get("chat_id", 0)), "type": "private"}
                message = {"message_id": number, "date": int(time.time()), "chat": chat, "text": params.get("text")}
                return 200, {"ok": True, "result": message}
            return 200, {"ok": True, "result": True}
        if platform == "slack":
            return 200, {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}
        if platform == "facebook":
            recipient = (params.get("recipient") or {}).get("id")
            return 200, {"recipient_id": recipient, "message_id": f"m_{number}"}
        if platform == "twilio":
            sid = f"SM{number:032d}"
            message = {"sid": sid, "to": params.get("To"), "from": params.get("From"),
                       "body": params.get("Body"), "status": "queued", "num_segments": "1"}
            return 201, message
        return 404, {"error": "unknown platform"}

    # --- what tests look at ----------------------------------------------------

    def sent(self, platform: str) -> List[ApiCall]:
        """Messages posted to users on a platform (not getMe/setWebhook/...)."""
        methods = {"telegram": "sendMessage", "slack": "chat.postMessage",
                   "facebook": "me/messages", "twilio": "Messages.json"}
        with self._lock:
            return [c for c in self.calls if c.platform == platform and c.method == methods[platform]]

    def wait_for(self, condition: Callable[[], Any], timeout: float = 30.0, settle: float = 0.5) -> Any:
        """Polls until condition() is truthy, then waits `settle` s for stray extra calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                time.sleep(settle)
                return condition()
            time.sleep(0.05)
        return condition()

    def wait_for_sent(self, platform: str, count: int = 1, timeout: float = 30.0, settle: float = 1.0) -> List[ApiCall]:
        """Messages sent on a platform once at least `count` arrived (and `settle` s passed)."""
        self.wait_for(lambda: len(self.sent(platform)) >= count, timeout, settle)
        return self.sent(platform)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()


def sent_text(call: ApiCall) -> Optional[str]:
    """The user-visible text of one outgoing message call."""
    if call.platform == "telegram":
        return call.params.get("text")
    if call.platform == "slack":
        return call.params.get("text")
    if call.platform == "facebook":
        return (call.params.get("message") or {}).get("text")
    if call.platform == "twilio":
        return call.params.get("Body")
    return None
