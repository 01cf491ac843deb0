"""Which addresses a crawl may connect to: the egress policy, as pure functions.

A crawl connects to public addresses only, except

- the hosts its job names (seeds, feeds, sitemaps, ``allowed_domains``), each on the
  port named: ``http://127.0.0.1:8080/`` names 127.0.0.1 on port 8080 only; a URL
  or domain without a port names its host on 80 and 443 (the one site over http and
  https);
- what an operator allows explicitly (``EGRESS_ALLOW``, the job key ``egress_allow``):
  ranges (``10.0.0.0/8``), addresses and host names, each with or without a port.

Everything else that is not a public address is refused: loopback, private (RFC
1918, ``fc00::/7``), link-local, carrier-grade NAT, unspecified, multicast,
broadcast and reserved ranges, and the IPv6 forms that carry such an IPv4 address
(``::ffff:127.0.0.1``, NAT64, 6to4). A host is read the way a resolver reads it, so
``2130706433``, ``0x7f.1`` and ``017700000001`` are 127.0.0.1. Cloud metadata
endpoints are refused by name and address, and a range never admits one: only an
allowance naming that exact address (or the job naming the host) does.

Nothing here resolves or connects: :mod:`crawler.egress.resolver` applies the policy
to the addresses a name resolves to, right before the connection is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import unquote, urlsplit

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# Why an address is refused; the words appear in the log.
LOOPBACK = "loopback"
PRIVATE = "private"
LINK_LOCAL = "link-local"
CGNAT = "carrier-grade NAT"
UNSPECIFIED = "unspecified"
MULTICAST = "multicast"
BROADCAST = "broadcast"
RESERVED = "reserved"
METADATA = "cloud metadata"
MALFORMED = "malformed address"
PROXY = "proxy not allowed"

DEFAULT_PORTS = {"http": 80, "https": 443}
# A host named without a port is the site on either of them.
SITE_PORTS = (80, 443)

# First match wins (broadcast before the 240/4 it lies in). IANA's special-purpose
# registries; Python 3.11's is_global misses several (ff02::1, fec0::/10, ::a.b.c.d).
_V4_RANGES = [(IPv4Network(net), why) for net, why in (
    ("0.0.0.0/8", UNSPECIFIED),
    ("10.0.0.0/8", PRIVATE),
    ("100.64.0.0/10", CGNAT),
    ("127.0.0.0/8", LOOPBACK),
    ("169.254.0.0/16", LINK_LOCAL),
    ("172.16.0.0/12", PRIVATE),
    ("192.0.0.0/24", RESERVED),  # IETF protocol assignments (Oracle's metadata is here)
    ("192.0.2.0/24", RESERVED),  # documentation
    ("192.88.99.0/24", RESERVED),  # 6to4 relays
    ("192.168.0.0/16", PRIVATE),
    ("198.18.0.0/15", RESERVED),  # benchmarking
    ("198.51.100.0/24", RESERVED),
    ("203.0.113.0/24", RESERVED),
    ("224.0.0.0/4", MULTICAST),
    ("255.255.255.255/32", BROADCAST),
    ("240.0.0.0/4", RESERVED),
)]
_V6_RANGES = [(IPv6Network(net), why) for net, why in (
    ("::/128", UNSPECIFIED),
    ("::1/128", LOOPBACK),
    ("64:ff9b:1::/48", PRIVATE),  # local-use NAT64
    ("100::/64", RESERVED),  # discard
    ("2001::/23", RESERVED),  # IETF protocol assignments, Teredo
    ("2001:db8::/32", RESERVED),  # documentation
    ("3fff::/20", RESERVED),  # documentation
    ("5f00::/16", RESERVED),  # segment routing
    ("fc00::/7", PRIVATE),
    ("fe80::/10", LINK_LOCAL),
    ("fec0::/10", PRIVATE),  # site-local, deprecated but routed on old networks
    ("ff00::/8", MULTICAST),
)]
# IPv6 forms whose last 32 bits are the IPv4 address actually reached.
_EMBEDDING = [IPv6Network(net) for net in (
    "::ffff:0:0/96",  # IPv4-mapped
    "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
    "64:ff9b::/96",  # NAT64
    "::/96",  # IPv4-compatible (deprecated); :: and ::1 are matched before
)]
_6TO4 = IPv6Network("2002::/16")

METADATA_ADDRESSES = frozenset(ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
    "169.254.170.2",  # AWS ECS task credentials
    "fd00:ec2::254",  # AWS IMDS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud
    "169.254.0.23",  # Tencent Cloud
))
METADATA_NAMES = frozenset((
    "metadata.google.internal", "metadata.goog", "metadata", "instance-data",
    "instance-data.ec2.internal", "metadata.tencentyun.com",
))
LOOPBACK_NAMES = frozenset(("localhost", "localhost.localdomain", "ip6-localhost",
                            "ip6-loopback"))

_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")
_DIGITS = re.compile(r"^[0-9]+$")
_HEX = re.compile(r"^0x[0-9a-f]*$")


# -- hosts and addresses -----------------------------------------------------------------

def normalise_host(host: str) -> str:
    """Lower case, without IPv6 brackets, a trailing dot or an escaped zone id's ``%25``."""
    host = unquote(host.strip().lower())
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host[:-1] if host.endswith(".") and len(host) > 1 else host


def parse_address(host: str) -> IPAddress | None:
    """The address ``host`` spells, or None when it is a name.

    IPv4 is read as resolvers (``inet_aton``) and browsers (WHATWG URL) read it: one to
    four parts, each decimal, ``0x`` hex or ``0`` octal, the last filling the remaining
    bytes. A host whose last label is a number but that is no address raises
    ValueError: no resolver must be left to guess what it means."""
    text = normalise_host(host)
    if ":" in text:
        return ip_address(text)  # ValueError: malformed
    parts = text.split(".")
    if not (_DIGITS.match(parts[-1]) or _HEX.match(parts[-1])):
        return None
    if len(parts) > 4:
        raise ValueError(f"{host!r}: more than four numbers")
    values = [_number(part, host) for part in parts]
    *leading, last = values
    if any(v > 255 for v in leading) or last >= 256 ** (5 - len(values)):
        raise ValueError(f"{host!r}: a number out of range")
    value = last
    for i, v in enumerate(leading):
        value += v << (8 * (3 - i))
    return IPv4Address(value)


def _number(part: str, host: str) -> int:
    if _HEX.match(part):
        return int(part[2:] or "0", 16)
    if _DIGITS.match(part):
        if len(part) > 1 and part.startswith("0"):
            if set(part) - set("01234567"):
                raise ValueError(f"{host!r}: {part!r} is no octal number")
            return int(part, 8)
        return int(part)
    raise ValueError(f"{host!r}: {part!r} is no number")


def host_key(host: str) -> str:
    """The one spelling of a host for comparisons: an address in its standard form
    (``0x7f.1`` -> ``127.0.0.1``), a name lower-cased."""
    try:
        address = parse_address(host)
    except ValueError:
        address = None
    return str(address) if address is not None else normalise_host(host)


def reached(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 form carries (mapped, translated, NAT64, compatible,
    6to4), else the address itself. ``::`` and ``::1`` are themselves."""
    if isinstance(address, IPv4Address) or address in _V6_RANGES[0][0] or \
            address in _V6_RANGES[1][0]:
        return address
    if address in _6TO4:
        return address.sixtofour or address
    if any(address in net for net in _EMBEDDING):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def classify(address: IPAddress) -> str | None:
    """Why ``address`` is refused (``LOOPBACK``, ``PRIVATE``, ...), or None: public."""
    address = reached(address)
    if address in METADATA_ADDRESSES:
        return METADATA
    ranges = _V4_RANGES if isinstance(address, IPv4Address) else _V6_RANGES
    for network, why in ranges:
        if address in network:
            return why
    return None if address.is_global else RESERVED


def name_refusal(host: str) -> str | None:
    """Why a host *name* is refused before any lookup: a cloud metadata or loopback name."""
    name = normalise_host(host)
    if name in METADATA_NAMES:
        return METADATA
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return LOOPBACK
    return None


# -- allowances ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Allowance:
    """One ``EGRESS_ALLOW`` entry: a range or address, or a host name; any port or one."""

    text: str
    network: IPNetwork | None = None
    host: str | None = None
    port: int | None = None

    def admits_name(self, host: str, port: int) -> bool:
        # Port 0: a lookup made without a port (Twisted's reactor.resolve(), which
        # Scrapy uses only for the CONNECT tunnel to a proxy the proxy guard has
        # already checked, port included).
        return self.host is not None and self.host == host and \
            (self.port is None or port in (0, self.port))

    def admits_address(self, address: IPAddress, port: int) -> bool:
        if self.network is None or self.port not in (None, port):
            return False
        address = reached(address)
        if address not in self.network:
            return False
        # A range never opens a metadata endpoint: only that exact address does.
        return address not in METADATA_ADDRESSES or self.network.num_addresses == 1


def parse_allowance(entry: str) -> Allowance:
    """``10.0.0.0/8``, ``10.0.0.5``, ``127.0.0.5:9000``, ``[fd00::1]:8080``,
    ``cdn.internal`` or ``cdn.internal:8443``; ValueError says what is wrong."""
    text = entry.strip()
    if not text:
        raise ValueError("an empty entry")
    if "://" in text:
        raise ValueError(f"{text!r} is a URL: give a host, address or range, e.g. "
                         f"{urlsplit(text).netloc or 'cdn.internal'!r}")
    host, port = _split_port(text)
    if "/" in host:
        try:
            return Allowance(text, network=ip_network(host, strict=False), port=port)
        except ValueError:
            raise ValueError(f"{text!r} is no address range (like 10.0.0.0/8)") from None
    try:
        address = parse_address(host)
    except ValueError:
        raise ValueError(f"{text!r} is no address") from None
    if address is not None:
        return Allowance(text, network=ip_network(address), port=port)
    name = normalise_host(host)
    if not _NAME.match(name):
        raise ValueError(f"{text!r} is no host name, address or range")
    return Allowance(text, host=name, port=port)


def _split_port(text: str) -> tuple[str, int | None]:
    """``host:port`` (``[v6]:port``) into its parts; a bare IPv6 address has no port."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError(f"{text!r}: expected [IPv6]:port")
        return host, _port(rest[1:], text) if rest else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, _port(port, text)
    return text, None


def _port(port: str, text: str) -> int:
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
    return int(port)


def parse_allowances(entries: Iterable[str], where: str = "EGRESS_ALLOW") -> list[Allowance]:
    """Every entry, or ValueError naming ``where`` and the first bad one."""
    out = []
    for entry in entries:
        try:
            out.append(parse_allowance(entry))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return out


# -- the policy ---------------------------------------------------------------------------

class EgressPolicy:
    """The job's named hosts and the operator's allowances, and the decisions they make."""

    def __init__(self, named: Iterable[tuple[str, int]] = (),
                 allowances: Sequence[Allowance] = ()) -> None:
        self.named = frozenset((host_key(host), port) for host, port in named)
        self.allowances = tuple(allowances)

    @classmethod
    def for_job(cls, urls: Iterable[str], domains: Iterable[str] = (),
                allow: Iterable[str] = ()) -> EgressPolicy:
        """The hosts of ``urls`` (seeds, feeds, sitemaps) and ``domains``
        (``allowed_domains``: ``host`` or ``host:port``) are named by the job."""
        named: list[tuple[str, int]] = []
        for url in urls:
            parts = urlsplit(url)
            if parts.hostname:
                port = parts.port or DEFAULT_PORTS.get(parts.scheme, 80)
                named += _site(parts.hostname, None if port in SITE_PORTS else port)
        for domain in domains:
            host, port = _split_port(domain)
            named += _site(host, port)
        return cls(named, parse_allowances(allow))

    def names(self, host: str, port: int) -> bool:
        """The job names ``host`` on ``port``, or an allowance names the host."""
        key = host_key(host)
        if (key, port) in self.named or \
                (port == 0 and any(h == key for h, _ in self.named)):
            return True
        return any(a.admits_name(key, port) for a in self.allowances)

    def refusal(self, host: str, port: int, address: str | IPAddress) -> str | None:
        """Why connecting to ``address`` (what ``host`` resolved to) on ``port`` is
        refused, or None."""
        if self.names(host, port):
            return None
        try:
            ip = ip_address(address) if isinstance(address, str) else address
        except ValueError:
            return MALFORMED
        if any(a.admits_address(ip, port) for a in self.allowances):
            return None
        return classify(ip)

    def before_lookup(self, host: str, port: int) -> str | None:
        """Why ``host`` is refused before any lookup (an address literal, in any
        spelling; a metadata or loopback name), or None when only its addresses can
        tell."""
        if self.names(host, port):
            return None
        try:
            address = parse_address(host)
        except ValueError:
            return MALFORMED
        if address is not None:
            return self.refusal(host, port, address)
        return name_refusal(host)

    def proxy_refusal(self, proxy: str) -> str | None:
        """A proxy connects wherever it is asked to, so only one an allowance names
        (host, address or range, as its URL writes it) is used."""
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        try:
            host = parts.hostname or ""
            port = parts.port or DEFAULT_PORTS.get(parts.scheme, 80)
        except ValueError:
            return PROXY
        key = host_key(host)
        if any(a.admits_name(key, port) for a in self.allowances):
            return None
        try:
            address = parse_address(host)
        except ValueError:
            return PROXY
        if address is not None and any(a.admits_address(address, port)
                                       for a in self.allowances):
            return None
        return PROXY


def _site(host: str, port: int | None) -> list[tuple[str, int]]:
    return [(host, port)] if port is not None else [(host, p) for p in SITE_PORTS]
