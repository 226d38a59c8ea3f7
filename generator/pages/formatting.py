"""How numbers, dates and units read on a page: pure functions used as Jinja filters.

``None`` always formats as an em dash, so a missing fact shows as "—" and never
as "None", "nan" or "$0".
"""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlsplit
from typing import Any

from markupsafe import Markup

from generator.compute.precision import score_text

DASH = "—"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: float | None, digits: int = 2) -> str:
    """``1234.5`` -> ``1,234.5``: thousands separators, no trailing zeros."""
    if _missing(value):
        return DASH
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text  # -0.001 at two digits reads as 0, never "-0"


def usd(value: float | None) -> str:
    """Dollar amounts with the precision their size needs: $2.50, $0.55, $0.06, $0.0045."""
    if _missing(value):
        return DASH
    if value == 0:
        return "$0"
    if value >= 100:
        return f"${value:,.0f}"
    if value >= 0.1:
        return f"${value:,.2f}"
    digits = max(2, 1 - math.floor(math.log10(value)))  # two significant figures
    text = f"{value:.{digits}f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return f"${text}"


def short_tokens(value: int | None) -> str:
    """A context window as people say it: 128K, 1M, 10M."""
    if _missing(value):
        return DASH
    if value >= 1_000_000:
        size = value / 1_048_576 if value % 1_048_576 == 0 else value / 1_000_000
        return f"{number(size, 2)}M"
    if value >= 1000:
        size = value / 1024 if value % 1000 and value % 1024 == 0 else value / 1000
        return f"{number(size, 1)}K"
    return str(value)


def tokens(value: int | None) -> str:
    """``131072`` -> ``131,072 tokens (128K)``."""
    if _missing(value):
        return DASH
    short = short_tokens(value)
    exact = number(value, 0)
    return f"{exact} tokens" if short == exact else f"{exact} tokens ({short})"


def parameters(value: float | None) -> str:
    """Billions of parameters: ``70`` -> ``70B``, ``0.5`` -> ``500M``."""
    if _missing(value):
        return DASH
    if value < 1:
        return f"{number(value * 1000, 0)}M"
    return f"{number(value, 2)}B"


def gigabytes(value: float | None) -> str:
    if _missing(value):
        return DASH
    return f"{number(value, 1 if value < 100 else 0)} GB"


def date(value: dt.date | None) -> str:
    """``2024-07-23`` -> ``23 Jul 2024``: unambiguous in every locale."""
    if value is None:
        return DASH
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def ratio(value: float | None) -> str:
    """A factor: ``9.26`` -> ``9.3×``; under 10 with one decimal, above without."""
    if _missing(value):
        return DASH
    return f"{number(value, 1 if value < 10 else 0)}×"


def yes_no(value: bool | None) -> str:
    if value is None:
        return DASH
    return "Yes" if value else "No"


FILTERS = {
    "number": number,
    "usd": usd,
    "tokens": tokens,
    "short_tokens": short_tokens,
    "parameters": parameters,
    "gigabytes": gigabytes,
    "date": date,
    "ratio": ratio,
    "yes_no": yes_no,
}


def score(value: float | None) -> str:
    """A benchmark score with one decimal always, so 86.0 and 88.7 read alike."""
    return DASH if _missing(value) else f"{value:,.1f}"


def percent(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage: ``0.45`` -> ``45%``; ``percent(0.005, 1)`` -> ``0.5%``."""
    return DASH if _missing(value) else f"{number(value * 100, digits)}%"


def bench(value: float | None, scale_max: float = 100) -> str:
    """A benchmark result at the precision its scale needs: ``94.6%`` (0..1), ``86.0``, ``8.25``."""
    return DASH if _missing(value) else score_text(value, scale_max)


FILTERS["percent"] = percent
FILTERS["score"] = score
FILTERS["bench"] = bench


def host(url: str) -> str:
    """A URL's host without ``www.``, as a short link text: ``ai.meta.com``."""
    netloc = urlsplit(url).netloc
    return netloc[4:] if netloc.startswith("www.") else netloc


def is_url(value: object) -> bool:
    """Jinja test ``is url``: an http(s) URL, safe to put in an href."""
    return isinstance(value, str) and urlsplit(value).scheme in ("http", "https") \
        and bool(urlsplit(value).netloc)


def is_blank(value: object) -> bool:
    """Jinja test ``is blank_cell``: a cell that shows only the dash of a missing value,
    whatever markup is around it (``<span class="muted">—</span>``)."""
    return Markup(str(value)).striptags().strip() == DASH


FILTERS["host"] = host
TESTS = {"url": is_url, "blank_cell": is_blank}
