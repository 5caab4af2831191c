"""X-3: access logs (runserver's django.server, django.request, gunicorn) never hold a full ID or phone.

Each test sends a record that carries a full ID number and phone through the handlers that logger
really reaches, with the project's LOGGING applied, and reads what they write.
"""

import datetime
import importlib.util
import io
import logging
from pathlib import Path

import pytest

ID_NUMBER = "110105198501012173"
PHONE = "13912345678"
REQUEST_LINE = f"GET /admin/qualifications/examresult/?q={ID_NUMBER}&phone={PHONE} HTTP/1.1"


def _handlers_reached(logger: logging.Logger) -> list[logging.Handler]:
    found, current = [], logger
    while current is not None:
        found += current.handlers
        current = current.parent if current.propagate else None
    return found


def _written(logger_name: str, level: int, msg: str, *args, **extra) -> str:
    """What every stream handler the logger reaches writes for one record."""
    logger = logging.getLogger(logger_name)
    handlers = [h for h in _handlers_reached(logger) if isinstance(h, logging.StreamHandler)]
    assert handlers, f"{logger_name} reaches no stream handler"
    saved = [h.setStream(io.StringIO()) for h in handlers]
    try:
        logger.log(level, msg, *args, extra=extra)
        return "".join(h.stream.getvalue() for h in handlers)
    finally:
        for handler, stream in zip(handlers, saved, strict=True):
            handler.setStream(stream)


def test_runserver_access_log_is_masked():
    """X-3: django.server (propagate=False in Django's defaults) now goes through the mask filter."""
    written = _written("django.server", logging.INFO, '"%s" %s %s', REQUEST_LINE, 200, 1234, status_code=200)
    assert written, "the access line was not written at all"
    assert ID_NUMBER not in written and PHONE not in written
    assert "1101**********2173" in written and "139****5678" in written
    assert "200 1234" in written


@pytest.mark.parametrize("logger_name", ["django.request", "django.security.csrf", "django"])
def test_django_request_and_security_logs_are_masked(logger_name):
    """X-3: django.request (4xx/5xx with the path) and the other django.* loggers are masked as well."""
    written = _written(logger_name, logging.WARNING, "Not Found: %s", f"/x/{ID_NUMBER}/{PHONE}/")
    assert written
    assert ID_NUMBER not in written and PHONE not in written


def _gunicorn_config():
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_access_log_leaves_out_query_strings_and_referers():
    """X-3: gunicorn's line has the path alone (%(U)s), not the request line (%(r)s) or the referer (%(f)s)."""
    fmt = _gunicorn_config().access_log_format
    assert "%(U)s" in fmt
    assert "%(r)s" not in fmt and "%(f)s" not in fmt and "%(q)s" not in fmt


def test_gunicorn_access_log_is_masked_through_its_own_logger_class():
    """X-3: gunicorn's real Logger, configured from gunicorn.conf.py, writes a masked access line."""
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    module = _gunicorn_config()
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", module.access_log_format)
    log = Logger(cfg)
    module.on_starting(server=None)
    stream = io.StringIO()
    try:
        for handler in log.access_log.handlers:
            handler.setStream(stream)
        request = SimpleNamespace(
            method="GET",
            path=f"/accounts/{ID_NUMBER}/",
            query=f"q={ID_NUMBER}",
            uri=f"/accounts/{ID_NUMBER}/?q={ID_NUMBER}",
            version=(1, 1),
            headers=[("REFERER", f"https://x/?phone={PHONE}"), ("USER-AGENT", "test")],
            remote_addr="10.0.0.1",
        )
        response = SimpleNamespace(status="200 OK", status_code=200, response_length=10, sent=10, headers=[])
        environ = {
            "REMOTE_ADDR": "10.0.0.1",
            "REQUEST_METHOD": "GET",
            "RAW_URI": request.uri,
            "PATH_INFO": request.path,
            "QUERY_STRING": request.query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://x/?phone={PHONE}",
        }
        log.access(response, request, environ, datetime.timedelta(seconds=0.01))
    finally:
        for name in ("gunicorn.access", "gunicorn.error"):
            logging.getLogger(name).filters.clear()
    written = stream.getvalue()
    assert "GET /accounts/" in written
    assert ID_NUMBER not in written and PHONE not in written
    assert "1101**********2173" in written
