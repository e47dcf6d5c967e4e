"""Packaged templates and scripts of the visualisations, read on first use (never at import time).

Templates are Jinja2 with autoescaping on: every value from the graph reaches HTML escaped. Data for
scripts goes into ``<script type="application/json">`` blocks through :func:`script_json`, which
escapes ``<``, ``>`` and ``&`` so that no text (``</script>``, ``<!--``) can end the block.
"""

from __future__ import annotations

import base64
import json
import secrets
from functools import cache
from importlib.resources import files

import jinja2

__all__ = ["VIS_VERSION", "asset_text", "csp", "data_uri", "nonce", "render", "safe_url", "script_json", "vis_css",
           "vis_js"]

#: the vis-network build that pyvis ships (pyvis/lib/vis-9.1.2), inlined so that pages work offline
VIS_VERSION = "9.1.2"


def asset_text(name: str) -> str:
    """A file of this package (``viz/NAME``) as text."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _pyvis_lib(name: str) -> str:
    return files("pyvis").joinpath("lib", f"vis-{VIS_VERSION}", name).read_text(encoding="utf-8")


def vis_js() -> str:
    """vis-network's standalone script, from the pyvis package."""
    return _pyvis_lib("vis-network.min.js")


def vis_css() -> str:
    return _pyvis_lib("vis-network.css")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(asset_text),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    env.filters["safe_url"] = safe_url
    return env


def render(template: str, **context: object) -> str:
    """Render the packaged Jinja2 template ``template`` (autoescaped)."""
    return _environment().get_template(template).render(**context)


def script_json(value: object) -> jinja2.utils.markupsafe.Markup:
    """JSON safe to place inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return jinja2.utils.markupsafe.Markup(text)


def safe_url(url: object) -> str:
    """``url`` when it is http(s) or a path on this site, else "#" (no javascript: or data: links)."""
    text = str(url or "")
    if text.lower().startswith(("https://", "http://")) or (text.startswith("/") and not text.startswith("//")):
        return text
    return "#"


def nonce() -> str:
    """A fresh nonce for the page's Content-Security-Policy (inline handlers never run)."""
    return secrets.token_urlsafe(16)


def csp(script_nonce: str) -> str:
    """The Content-Security-Policy of generated pages: only our own nonce-tagged scripts run."""
    return (f"default-src 'none'; script-src 'nonce-{script_nonce}'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'self'")


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
