"""SMS gateways chosen by settings (ACC-4): console (masked), file, http against a real local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from docregsys.messaging.backends import (
    ConsoleBackend,
    FileBackend,
    HttpBackend,
    SmsError,
    get_backend,
    read_file_outbox,
)

PHONE = "15175070658"


@pytest.fixture
def gateway():
    """A tiny HTTP gateway on a free local port: records each request, answers `gateway.status`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            server.received.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body.decode())}
            )
            self.send_response(server.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.received = []
    server.status = 200
    server.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_backends_are_chosen_by_settings(settings):
    """ACC-4: SMS_BACKEND names the backend like EMAIL_BACKEND does."""
    for name, cls in (("console", ConsoleBackend), ("file", FileBackend), ("http", HttpBackend)):
        settings.SMS_BACKEND = name
        assert isinstance(get_backend(), cls)
    settings.SMS_BACKEND = "docregsys.messaging.backends.ConsoleBackend"
    assert isinstance(get_backend(), ConsoleBackend)


def test_console_backend_masks_the_phone(capsys):
    """ACC-4 / security: the development console never shows the full phone number."""
    ConsoleBackend().send(PHONE, "校验码 123456")
    out = capsys.readouterr().out
    assert "151****0658" in out and PHONE not in out and "123456" in out


def test_file_backend_writes_one_json_per_message_in_order(tmp_path):
    """ACC-4: the file backend is what tests and `make run` read codes from."""
    backend = FileBackend(str(tmp_path / "sms"))
    backend.send(PHONE, "第一条")
    backend.send("13912345678", "第二条")
    messages = read_file_outbox(tmp_path / "sms")
    assert [(m["to"], m["text"]) for m in messages] == [(PHONE, "第一条"), ("13912345678", "第二条")]
    assert not list((tmp_path / "sms").glob("*.tmp"))
    assert read_file_outbox(tmp_path / "nothing") == []


def test_http_backend_posts_json_with_a_bearer_token(gateway):
    """ACC-4: the production gateway gets {"phone", "text"} as UTF-8 JSON and the token."""
    HttpBackend(url=gateway.url, token="s3cret").send(PHONE, "校验码 123456")
    (request,) = gateway.received
    assert request["path"] == "/sms/send"
    assert request["json"] == {"phone": PHONE, "text": "校验码 123456"}
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_http_backend_reads_url_and_token_from_settings(gateway, settings):
    """ACC-4: SMS_HTTP_URL / SMS_HTTP_TOKEN configure the gateway."""
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = gateway.url
    settings.SMS_HTTP_TOKEN = "from-settings"
    get_backend().send(PHONE, "你好")
    assert gateway.received[0]["headers"]["Authorization"] == "Bearer from-settings"


def test_http_backend_raises_on_a_server_error(gateway):
    """ACC-4: a 500 is a failure the outbox retries."""
    gateway.status = 500
    with pytest.raises(SmsError, match="500"):
        HttpBackend(url=gateway.url, token="t").send(PHONE, "x")


def test_http_backend_raises_on_a_refusal(gateway):
    """ACC-4: a 4xx (bad token …) is a failure too."""
    gateway.status = 401
    with pytest.raises(SmsError, match="401"):
        HttpBackend(url=gateway.url, token="wrong").send(PHONE, "x")


def test_http_backend_raises_when_the_gateway_is_unreachable(gateway):
    """ACC-4: nothing listening is a failure, never a hang."""
    url = gateway.url
    gateway.shutdown()
    gateway.server_close()
    with pytest.raises(SmsError, match="unreachable"):
        HttpBackend(url=url, token="t", timeout=2).send(PHONE, "x")


def test_http_backend_without_a_url_refuses(settings):
    """ACC-4: a misconfigured gateway is an error the outbox records, not a silent success."""
    settings.SMS_HTTP_URL = ""
    with pytest.raises(SmsError):
        HttpBackend().send(PHONE, "x")


@pytest.mark.django_db
def test_the_outbox_records_a_gateway_500_and_retries(gateway, settings):
    """ACC-4: through the outbox, a 500 leaves the message pending with the error recorded."""
    from docregsys.messaging.models import Channel, OutboundMessage
    from docregsys.messaging.services import message_enqueue, outbox_drain

    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = gateway.url
    settings.SMS_HTTP_TOKEN = "t"
    gateway.status = 500
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="校验码 123456")
    assert outbox_drain() == 0
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING and "500" in message.last_error
    assert PHONE not in message.last_error
