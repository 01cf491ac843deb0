"""The name resolver every connection of a crawl goes through, with the egress policy
applied to its answers.

Scrapy's HTTP/1.1 handler connects through Twisted's ``HostnameEndpoint``, which asks
the reactor's name resolver for the addresses of the host *and port* it is about to
connect to (address literals included: ``127.0.0.1`` and ``0x7f.1`` are looked up
too), then connects to the addresses it was given and no others. Installed as that
resolver (``TWISTED_DNS_RESOLVER``), :class:`GuardedResolver` hands on only the
addresses the policy allows, so the check is made on exactly the address connected
to, for every request and every redirect hop, and a name that answers a public
address to the check and a private one to the connection (DNS rebinding) gets no
second chance: there is one answer, and it is filtered.

The lookups themselves are Scrapy's (``EGRESS_DNS_RESOLVER``, by default
``scrapy.resolver.CachingThreadedResolver``: cached, ``DNS_TIMEOUT``). Scrapy builds
this resolver for the whole process, before any crawl's job is known; the guard
middleware (:mod:`crawler.middlewares.egress`) gives it the job's policy before the
first request goes out. Until then it allows public addresses and ``EGRESS_ALLOW``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from scrapy.resolver import HostResolution
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer

from crawler.egress.policy import EgressPolicy, parse_allowances

logger = logging.getLogger(__name__)


@dataclass
class Verdict:
    """What a host resolved to: the addresses allowed, and those refused with why."""

    allowed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def why_refused(self) -> str | None:
        """Why the host is refused: all it resolved to was refused (an unresolvable
        name is not refused; its download fails as it would anyway)."""
        if self.refused and not self.allowed:
            return self.refused[0][1]
        return None


@implementer(IHostnameResolver)
class GuardedResolver:
    def __init__(self, reactor: Any, policy: EgressPolicy, *, inner: Any = None) -> None:
        self.reactor = reactor
        self.policy = policy
        # Scrapy's resolver, installed beneath this one (install_on_reactor).
        self.inner = inner
        self.lookup: IHostnameResolver | None = None
        self._warned: set[tuple[str, int]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Self:
        # Scrapy passes its CrawlerProcess here, not a Crawler: settings only.
        settings = crawler.settings
        inner = build_from_crawler(load_object(settings.get("EGRESS_DNS_RESOLVER")), crawler,
                                   reactor=reactor)
        return cls(reactor, EgressPolicy(allowances=parse_allowances(
            settings.getlist("EGRESS_ALLOW"))), inner=inner)

    def install_on_reactor(self) -> None:
        if self.inner is not None:
            # Scrapy's resolver installs itself, simple (IPv4 with a timeout) or not;
            # the reactor then offers it as a name resolver, which this one wraps.
            self.inner.install_on_reactor()
        self.lookup = self.reactor.nameResolver
        self.reactor.installNameResolver(self)

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str,
                        portNumber: int = 0,
                        addressTypes: Sequence[type[IAddress]] | None = None,
                        transportSemantics: str = "TCP") -> IHostResolution:
        """IHostnameResolver: the addresses of ``hostName`` the policy allows on
        ``portNumber``; the connection about to be made goes to one of them or none."""
        return self._resolve(resolutionReceiver, hostName, portNumber, addressTypes,
                             transportSemantics, self._warn)

    def check(self, host: str, port: int) -> Deferred[Verdict]:
        """The same decision, for a request not yet sent (no connection is made)."""
        verdict = Verdict()
        done: Deferred[Verdict] = Deferred()

        def refused(host: str, port: int, address: str, why: str) -> None:
            verdict.refused.append((address, why))

        self._resolve(_Collector(verdict, done), host, port, None, "TCP", refused)
        return done

    def _resolve(self, receiver: IResolutionReceiver, host: str, port: int,
                 address_types: Sequence[type[IAddress]] | None, semantics: str,
                 refused: Callable[[str, int, str, str], None]) -> IHostResolution:
        why = self.policy.before_lookup(host, port)
        if why is not None:  # an address literal or a metadata name: no lookup at all
            refused(host, port, host, why)
            resolution = HostResolution(host)
            receiver.resolutionBegan(resolution)
            receiver.resolutionComplete()
            return resolution
        assert self.lookup is not None, "install_on_reactor() first"
        return self.lookup.resolveHostName(
            _Filtered(receiver, self.policy, host, port, refused), host, port,
            address_types, semantics)

    def _warn(self, host: str, port: int, address: str, why: str) -> None:
        if (host, port) not in self._warned:
            self._warned.add((host, port))
            logger.warning("Egress guard: not connecting to %s:%d at %s (%s)",
                           host, port, address, why)


@implementer(IResolutionReceiver)
class _Filtered:
    """Passes on the addresses the policy allows; reports the others."""

    def __init__(self, receiver: IResolutionReceiver, policy: EgressPolicy, host: str,
                 port: int, refused: Callable[[str, int, str, str], None]) -> None:
        self.receiver = receiver
        self.policy = policy
        self.host = host
        self.port = port
        self.refused = refused

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        ip = getattr(address, "host", "")
        why = self.policy.refusal(self.host, self.port, ip)
        if why is None:
            self.receiver.addressResolved(address)
        else:
            self.refused(self.host, self.port, ip, why)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


@implementer(IResolutionReceiver)
class _Collector:
    def __init__(self, verdict: Verdict, done: Deferred[Verdict]) -> None:
        self.verdict = verdict
        self.done = done

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        pass

    def addressResolved(self, address: IAddress) -> None:
        self.verdict.allowed.append(getattr(address, "host", ""))

    def resolutionComplete(self) -> None:
        self.done.callback(self.verdict)
