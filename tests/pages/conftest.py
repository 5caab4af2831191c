"""Browser contexts for page tests: a Chinese-speaking visitor, as most of the portal's users are."""

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The pages ignore Accept-Language (docregsys.middleware.ChosenLanguageMiddleware); zh-CN still makes
    # the browser's own texts (file pickers, validation bubbles) Chinese, as the portal's users see them.
    return {**browser_context_args, "locale": "zh-CN"}
