"""WeasyPrint set up once per process (PRN-2): the project's own CJK font, one FontConfiguration and one
cache shared by every document, parsed stylesheets kept, and no fetching beyond the project's files.

STACK.md's traps: the font family sits on `html` (not `body`) so the `@page` margin boxes use it too, and
the worker imports this at start (`docregsys.celery`), not per task.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-zenhei.ttc"
CSS_DIR = Path(__file__).resolve().parent / "pdf_css"
FONT_FAMILY = "WenQuanYi Zen Hei"

_lock = threading.Lock()


class _Engine:
    def __init__(self):
        from PIL import ImageFile
        from weasyprint import CSS, HTML

        # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would make the photo
        # and attachment checks (ID-7) accept a truncated JPEG in any process that has rendered a PDF. Our
        # documents embed only images we checked or made, so the strict default is put back.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        class ProjectFilesOnly(URLFetcher):
            """Only data: URIs (photos, QR codes) and the project's font: a document never reaches out."""

            def fetch(self, url, headers=None):
                if url.startswith("data:") or url == FONT_FILE.as_uri():
                    return super().fetch(url, headers)
                raise ValueError("documents may only embed data: URIs")

        self.HTML, self.CSS = HTML, CSS
        self.url_fetcher = ProjectFilesOnly(allowed_protocols={"data", "file"})
        self.font_config = FontConfiguration()
        font = CSS(
            string=f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{FONT_FILE.as_uri()}'); }}",
            font_config=self.font_config,
            url_fetcher=self.url_fetcher,
        )
        self.base = [font, self.stylesheet("base.css")]
        self.cache: dict = {}

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one engine per process, kept for its lifetime
    def stylesheet(self, name: str):
        path = CSS_DIR / name
        if path.parent != CSS_DIR or not path.is_file():
            raise ValueError(f"no stylesheet {name!r} in {CSS_DIR}")
        return self.CSS(filename=str(path), font_config=self.font_config, url_fetcher=self.url_fetcher)


@functools.cache
def _engine() -> _Engine:
    return _Engine()


def render_pdf(html: str, *, stylesheet: str | None = None) -> bytes:
    """The PDF of an HTML string, with base.css and the given stylesheet of printing/pdf_css/."""
    engine = _engine()
    sheets = [*engine.base, *([engine.stylesheet(stylesheet)] if stylesheet else [])]
    # The shared cache and font configuration are not thread-safe; a worker process renders one at a time.
    with _lock:
        document = engine.HTML(string=html, url_fetcher=engine.url_fetcher)
        return document.write_pdf(stylesheets=sheets, font_config=engine.font_config, cache=engine.cache)


def warm() -> None:
    """Load WeasyPrint and the font once (the worker calls this at start, so the first job is not slow)."""
    render_pdf("<p>医师电子化注册</p>")
