"""No template of ours carries inline code the CSP would block (issue 8 §4): a guard for every later page."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(p for p in ROOT.glob("*/templates") if ".venv" not in p.parts)]

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
OPENING_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.DOTALL)


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(p for p in directory.rglob("*") if p.suffix in {".html", ".txt", ".svg"})


def _inline_code(text: str) -> list[str]:
    text = TEMPLATE_COMMENT.sub("", text)  # comments may name what they replaced
    found = []
    for pattern, what in (
        (STYLE_ATTRIBUTE, "style attribute"),
        (EVENT_HANDLER, "on… event handler"),
        (JAVASCRIPT_URL, "javascript: URL"),
    ):
        found += [f"{what}: {m.group(0).strip()[:60]}" for m in pattern.finditer(text)]
    for match in OPENING_TAG.finditer(text):
        tag, attributes = match.group(1).lower(), match.group(2)
        allowed = "nonce=" in attributes or (
            tag == "script" and ("src=" in attributes or "application/json" in attributes)
        )
        if not allowed:
            found.append(f"inline <{tag}> without a nonce: {match.group(0)[:60]}")
    return found


def test_the_guard_recognises_inline_code():
    """Issue 8 §4: the scanner itself finds each kind of inline code and lets the allowed forms pass."""
    assert _inline_code('<p style="color:red">') and _inline_code("<button onclick='x()'>")
    assert _inline_code("<script>alert(1)</script>") and _inline_code("<style>p{}</style>")
    assert _inline_code('<a href="javascript:void(0)">')
    assert not _inline_code('<script src="/static/js/captcha.js" defer></script>')
    assert not _inline_code('<style nonce="{{ request.csp_nonce }}">p{}</style>')
    assert not _inline_code('<script type="application/json" id="data">{}</script>')
    assert not _inline_code('<svg><path fill="#fff" stroke-width="2"/></svg>')
    assert not _inline_code("{% comment %}Django's block wrote a bare <style>{% endcomment %}")


def test_no_template_holds_inline_script_style_or_handlers():
    """Issue 8 §4 (ASVS V14.4.3): scripts and styles live in static/; a kept inline element carries the nonce."""
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in _templates()
        for problem in _inline_code(path.read_text())
    ]
    assert not problems, "\n".join(problems)
