"""PRN-2: a PDF is signed and checked even where an event loop already runs (an async view, a test driving
Playwright): pyhanko's asyncio.run() would refuse there, so the signing moves to a thread of its own."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from printing.engine import render_pdf
from printing.signing import sign_pdf, verify_pdf


def test_signing_and_checking_inside_a_running_event_loop():
    async def inside():
        return verify_pdf(sign_pdf(render_pdf("<p>医师电子化注册</p>"), reason="测试"))

    # A thread of its own starts the loop: the test's own thread may already run Playwright's (xdist).
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result()["valid"]
