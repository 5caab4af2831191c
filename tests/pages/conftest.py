"""Browser contexts for page tests: a Chinese-speaking visitor, as most of the portal's users are."""

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # LocaleMiddleware honours Accept-Language; Chromium's default en-US would turn the pages English.
    return {**browser_context_args, "locale": "zh-CN"}
