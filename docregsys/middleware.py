"""Security middleware: session idle/absolute limits and no-store caching for signed-in users (ASVS V3);
the page language chosen by the user, never by the browser."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _

STARTED_KEY = "_auth_started"
SEEN_KEY = "_auth_seen"
# Writing the last-seen time on every request would save the session on every request; a minute of
# slack on a 30-minute idle limit costs nothing.
SEEN_GRANULARITY = 60
SESSION_EXPIRED = _("登录已超时，为保护您的账户安全，请重新登录。")


@receiver(user_logged_in, dispatch_uid="docregsys.session_clock")
def _start_session_clock(sender, request, user, **kwargs):
    # login() keeps the session's data when it rotates the key: a new login restarts both clocks.
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class SessionLimitsMiddleware:
    """Ends a signed-in session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if started is None or seen is None:
                # A session from before these limits (or force_login in a test): start counting now.
                session[STARTED_KEY] = started = now if started is None else started
                session[SEEN_KEY] = seen = now
            idle = now - seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or too_old:
                logout(request)
                if not _is_api(request):
                    # Pages go to login with a word of why; the API simply answers as to an anonymous caller.
                    messages.warning(request, SESSION_EXPIRED)
                    return redirect_to_login(request.get_full_path())
            elif now - seen >= SEEN_GRANULARITY:
                session[SEEN_KEY] = now
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Cache-Control: no-store on every answer to a signed-in user (pages and API), and a CSP nonce always."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read before the view: an API view without authentication classes replaces request.user by an
        # anonymous one, yet the answer still goes to a browser holding a signed-in session.
        session = getattr(request, "session", None)
        signed_in = session is not None and SESSION_KEY in session
        response = self.get_response(request)
        # DRF puts a token-authenticated user on the underlying request too, so this sees API callers.
        user = getattr(request, "user", None)
        if signed_in or (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            # Every policy carries a nonce, so a template may add a nonce'd element without a settings change.
            str(nonce)
        return response


class ChosenLanguageMiddleware:
    """Chinese unless the user picked another language (i18n/setlang's cookie); never Accept-Language.

    Replaces LocaleMiddleware: the portal's users are in China and a browser set to English (a hospital
    PC, a phone bought abroad) must not turn the pages English unasked. The project uses no
    i18n_patterns, so the URL never carries a language either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The answer depends on the cookie, which SessionMiddleware already puts in Vary for pages.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def chosen_language(request) -> str:
    """The language cookie when it names one of settings.LANGUAGES, else settings.LANGUAGE_CODE."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        try:
            return translation.get_supported_language_variant(cookie)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE
