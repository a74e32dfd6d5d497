"""URL handling for entries: resolving relative links against the feed URL, and the canonical
form of a link used as an entry's identity when the feed gives no GUID. Canonical links drop
the fragment, default ports and the tracking parameters that newsletters and social networks
append, so the same article shared with different campaign tags is recognised as one item."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "yclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "twclid",
        "ttclid",
        "ncid",
        "_openstat",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")


def resolve_link(link: str | None, base: str) -> str | None:
    """Absolute http(s) URL for a possibly relative link; None for empty or non-web links."""
    if not link:
        return None
    link = link.strip()
    if not link:
        return None
    try:
        absolute = urljoin(base, link)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in ("http", "https") else None


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def canonical_link(url: str) -> str:
    """The link with scheme and host lower-cased, default port, fragment and trackers removed."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(key)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query_pairs), ""))


def host_of(url: str) -> str:
    """Lower-cased host name of a URL, the unit of per-host politeness."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
