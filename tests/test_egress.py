"""The egress guard's decisions, with no network: the address policy over every range it
refuses, and the resolver filtering what a stubbed lookup answers. The middlewares and
the configuration checks are in tests/test_egress_middleware.py; the crawls that prove
"no connection" end to end in tests/test_egress_crawl.py.
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

import pytest
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer

from crawler.egress.policy import (
    BROADCAST,
    CGNAT,
    LINK_LOCAL,
    LOOPBACK,
    MALFORMED,
    METADATA,
    MULTICAST,
    PRIVATE,
    PROXY,
    RESERVED,
    UNSPECIFIED,
    EgressPolicy,
    classify,
    host_key,
    parse_address,
    parse_allowance,
)
from crawler.egress.resolver import GuardedResolver, Verdict


class TestAddressSpellings:
    @pytest.mark.parametrize("host", [
        "127.0.0.1", "2130706433", "0x7f.1", "017700000001", "0x7f000001", "127.1",
        "0177.0.0.1", "0x7F.0.0.1", "127.0.0.1.", "127.000.000.001",
    ])
    def test_every_spelling_a_resolver_reads_is_the_address(self, host):
        assert parse_address(host) == ip_address("127.0.0.1")
        assert host_key(host) == "127.0.0.1"

    @pytest.mark.parametrize(("host", "address"), [
        ("[::ffff:7f00:1]", "::ffff:7f00:1"), ("[::1]", "::1"), ("0", "0.0.0.0"),
        ("10.1", "10.0.0.1"), ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ])
    def test_other_literals(self, host, address):
        assert parse_address(host) == ip_address(address)

    @pytest.mark.parametrize("host", ["news.example", "www.herald.example", "cdn1.example",
                                      "0x7f.example"])
    def test_names_are_not_addresses(self, host):
        assert parse_address(host) is None

    @pytest.mark.parametrize("host", ["1.2.3.4.5", "256.1.1.1", "1.2.3.256", "09.1",
                                      "example.123", "4294967296", "[::g]"])
    def test_numbers_that_are_no_address_are_malformed(self, host):
        with pytest.raises(ValueError):
            parse_address(host)
        assert EgressPolicy().before_lookup(host, 80) == MALFORMED


class TestClassify:
    @pytest.mark.parametrize(("address", "why"), [
        ("127.0.0.1", LOOPBACK), ("127.0.0.2", LOOPBACK), ("::1", LOOPBACK),
        ("10.0.0.1", PRIVATE), ("172.16.5.4", PRIVATE), ("172.31.255.255", PRIVATE),
        ("192.168.1.1", PRIVATE), ("fc00::1", PRIVATE), ("fd12:3456::1", PRIVATE),
        ("fec0::1", PRIVATE), ("64:ff9b:1::1", PRIVATE),
        ("169.254.1.1", LINK_LOCAL), ("fe80::1", LINK_LOCAL), ("fe80::1%eth0", LINK_LOCAL),
        ("100.64.0.1", CGNAT), ("100.127.255.254", CGNAT),
        ("0.0.0.0", UNSPECIFIED), ("0.1.2.3", UNSPECIFIED), ("::", UNSPECIFIED),
        ("224.0.0.1", MULTICAST), ("239.255.255.250", MULTICAST), ("ff02::1", MULTICAST),
        ("255.255.255.255", BROADCAST),
        ("240.0.0.1", RESERVED), ("192.0.2.1", RESERVED), ("198.18.0.1", RESERVED),
        ("2001:db8::1", RESERVED), ("100::1", RESERVED), ("2001::1", RESERVED),
        # IPv6 forms of IPv4 addresses are what they carry.
        ("::ffff:127.0.0.1", LOOPBACK), ("::ffff:10.0.0.1", PRIVATE),
        ("::127.0.0.1", LOOPBACK), ("::ffff:0:a00:1", PRIVATE),
        ("64:ff9b::a00:1", PRIVATE), ("64:ff9b::7f00:1", LOOPBACK),
        ("2002:a00:1::", PRIVATE), ("2002:7f00:1::1", LOOPBACK),
        # Cloud metadata, in any form.
        ("169.254.169.254", METADATA), ("::ffff:169.254.169.254", METADATA),
        ("fd00:ec2::254", METADATA), ("169.254.170.2", METADATA),
        ("100.100.100.200", METADATA), ("192.0.0.192", METADATA),
    ])
    def test_refused(self, address, why):
        assert classify(ip_address(address)) == why

    @pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "1.1.1.1",
                                         "2606:4700::1111", "::ffff:93.184.216.34",
                                         "64:ff9b::808:808", "2002:808:808::1"])
    def test_public(self, address):
        assert classify(ip_address(address)) is None


class TestNamedHosts:
    """The job names a host by its seeds, feeds, sitemaps and allowed_domains: that host
    on that port only."""

    policy = EgressPolicy.for_job(
        ["http://127.0.0.1:8080/", "https://intranet.example/feed.xml",
         "http://10.0.0.7:8000/sitemap.xml"],
        ["[::1]:9000", "files.internal"])

    @pytest.mark.parametrize(("host", "port"), [
        ("127.0.0.1", 8080), ("2130706433", 8080), ("intranet.example", 443),
        ("intranet.example", 80), ("10.0.0.7", 8000), ("::1", 9000), ("[::1]", 9000),
        ("files.internal", 80), ("files.internal", 443),
    ])
    def test_named(self, host, port):
        assert self.policy.names(host, port)
        assert self.policy.refusal(host, port, "10.9.9.9") is None
        assert self.policy.before_lookup(host, port) is None

    @pytest.mark.parametrize(("host", "port", "address"), [
        ("127.0.0.1", 8081, "127.0.0.1"), ("127.0.0.2", 8080, "127.0.0.2"),
        ("localhost", 8080, "127.0.0.1"), ("intranet.example", 8443, "10.1.1.1"),
        ("www.intranet.example", 443, "10.1.1.1"), ("sub.files.internal", 80, "10.2.2.2"),
        ("::1", 9001, "::1"),
    ])
    def test_only_that_host_and_port(self, host, port, address):
        assert not self.policy.names(host, port)
        assert self.policy.refusal(host, port, address) is not None

    def test_a_public_host_passes_unnamed(self):
        assert EgressPolicy().refusal("news.example", 443, "93.184.216.34") is None


class TestAllowances:
    policy = EgressPolicy(allowances=[parse_allowance(e) for e in (
        "10.0.0.0/8", "127.0.0.5:9000", "cdn.internal", "media.internal:8443",
        "[fd00::1]:8080", "169.254.0.0/16", "100.100.100.200")])

    @pytest.mark.parametrize(("host", "port", "address"), [
        ("anything.example", 80, "10.1.2.3"), ("anything.example", 80, "::ffff:10.1.2.3"),
        ("10.1.2.3", 1234, "10.1.2.3"), ("x.example", 9000, "127.0.0.5"),
        ("cdn.internal", 80, "192.168.9.9"), ("cdn.internal", 7777, "127.0.0.1"),
        ("media.internal", 8443, "172.16.0.1"), ("v6.example", 8080, "fd00::1"),
        ("link.example", 80, "169.254.3.3"), ("ali.example", 80, "100.100.100.200"),
    ])
    def test_allowed(self, host, port, address):
        assert self.policy.refusal(host, port, address) is None

    @pytest.mark.parametrize(("host", "port", "address", "why"), [
        ("x.example", 9001, "127.0.0.5", LOOPBACK), ("media.internal", 443, "172.16.0.1",
                                                     PRIVATE),
        ("cdn2.internal", 80, "192.168.9.9", PRIVATE), ("v6.example", 8081, "fd00::1",
                                                        PRIVATE),
        # A range never opens a metadata endpoint; only its exact address does.
        ("meta.example", 80, "169.254.169.254", METADATA),
    ])
    def test_not_allowed(self, host, port, address, why):
        assert self.policy.refusal(host, port, address) == why

    @pytest.mark.parametrize("entry", ["10.0.0.0/8", "10.0.0.1", "10.0.0.1:80", "[::1]:80",
                                       "fd00::/8", "cdn.internal", "cdn.internal:8443",
                                       "2130706433"])
    def test_entries(self, entry):
        assert parse_allowance(entry).text == entry

    @pytest.mark.parametrize(("entry", "says"), [
        ("http://cdn.internal/", "is a URL"), ("10.0.0.0/33", "no address range"),
        ("cdn.internal:99999", "port"), ("cdn internal", "no host name"), ("", "empty"),
        ("[::1]x", "[IPv6]:port"), ("1.2.3.4.5", "no address"),
    ])
    def test_bad_entries_say_why(self, entry, says):
        with pytest.raises(ValueError, match=says.replace("[", r"\[")):
            parse_allowance(entry)


class TestBeforeLookup:
    policy = EgressPolicy.for_job(["http://127.0.0.1:8080/"])

    @pytest.mark.parametrize(("host", "why"), [
        ("metadata.google.internal", METADATA), ("metadata", METADATA),
        ("Metadata.Google.Internal.", METADATA), ("instance-data", METADATA),
        ("169.254.169.254", METADATA), ("[fd00:ec2::254]", METADATA),
        ("localhost", LOOPBACK), ("printer.localhost", LOOPBACK),
        ("0x7f.1", LOOPBACK), ("[::ffff:127.0.0.1]", LOOPBACK), ("10.0.0.1", PRIVATE),
    ])
    def test_refused_without_a_lookup(self, host, why):
        assert self.policy.before_lookup(host, 80) == why

    def test_other_names_need_their_addresses(self):
        assert self.policy.before_lookup("news.example", 443) is None


class TestProxy:
    def test_only_a_proxy_an_allowance_names_is_used(self):
        policy = EgressPolicy.for_job(["http://127.0.0.1:3128/"], allow=[
            "proxy.corp:3128", "10.0.0.0/8"])
        assert policy.proxy_refusal("http://proxy.corp:3128") is None
        assert policy.proxy_refusal("http://user:pw@proxy.corp:3128") is None
        assert policy.proxy_refusal("10.1.1.1:8080") is None
        assert policy.proxy_refusal("http://proxy.corp:8080") == PROXY
        assert policy.proxy_refusal("http://public-proxy.example:80") == PROXY
        # Named by the job as a site is not named as a proxy.
        assert policy.proxy_refusal("http://127.0.0.1:3128") == PROXY


# -- the resolver -----------------------------------------------------------------------

@implementer(IHostnameResolver)
class StubLookup:
    """Answers every name with the addresses given; counts the lookups."""

    def __init__(self, *answers: str) -> None:
        self.answers = answers
        self.lookups: list[tuple[str, int]] = []

    def resolveHostName(self, receiver: IResolutionReceiver, hostName: str,
                        portNumber: int = 0, addressTypes: Any = None,
                        transportSemantics: str = "TCP") -> None:
        self.lookups.append((hostName, portNumber))
        receiver.resolutionBegan(None)
        for answer in self.answers:
            kind = IPv6Address if ":" in answer else IPv4Address
            receiver.addressResolved(kind("TCP", answer, portNumber))
        receiver.resolutionComplete()


@implementer(IResolutionReceiver)
class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.complete = True


def guarded(policy: EgressPolicy, lookup: StubLookup) -> GuardedResolver:
    resolver = GuardedResolver(None, policy)
    resolver.lookup = lookup
    return resolver


def verdict_of(resolver: GuardedResolver, host: str, port: int) -> Verdict:
    results: list[Verdict] = []
    resolver.check(host, port).addCallback(results.append)
    return results[0]


class TestGuardedResolver:
    ANSWERS = ("10.0.0.1", "169.254.169.254", "::ffff:10.0.0.1", "93.184.216.34")

    def test_only_allowed_addresses_reach_the_connection(self):
        receiver = Receiver()
        guarded(EgressPolicy(), StubLookup(*self.ANSWERS)).resolveHostName(
            receiver, "public-looking.example", 443)
        assert receiver.addresses == ["93.184.216.34"] and receiver.complete

    def test_a_name_that_answers_only_private_addresses_is_refused(self):
        resolver = guarded(EgressPolicy(), StubLookup(*self.ANSWERS[:3]))
        receiver = Receiver()
        resolver.resolveHostName(receiver, "public-looking.example", 443)
        assert receiver.addresses == [] and receiver.complete  # nothing to connect to
        verdict = verdict_of(resolver, "public-looking.example", 443)
        assert verdict.allowed == []
        assert verdict.refused == [("10.0.0.1", PRIVATE), ("169.254.169.254", METADATA),
                                   ("::ffff:10.0.0.1", PRIVATE)]
        assert verdict.why_refused == PRIVATE

    def test_every_answer_is_filtered_so_rebinding_gains_nothing(self):
        lookup = StubLookup("93.184.216.34")
        resolver = guarded(EgressPolicy(), lookup)
        assert verdict_of(resolver, "rebind.example", 80).why_refused is None
        lookup.answers = ("127.0.0.1",)  # the name turns private before the connection
        receiver = Receiver()
        resolver.resolveHostName(receiver, "rebind.example", 80)
        assert receiver.addresses == []

    def test_allowances_and_named_hosts_pass(self):
        policy = EgressPolicy.for_job(["http://intranet.example:8080/"], allow=["10.0.0.0/8"])
        receiver = Receiver()
        guarded(policy, StubLookup(*self.ANSWERS)).resolveHostName(
            receiver, "public-looking.example", 443)
        assert receiver.addresses == ["10.0.0.1", "::ffff:10.0.0.1", "93.184.216.34"]
        receiver = Receiver()
        guarded(policy, StubLookup("192.168.0.9")).resolveHostName(
            receiver, "intranet.example", 8080)
        assert receiver.addresses == ["192.168.0.9"]

    def test_literals_and_metadata_names_are_never_looked_up(self):
        lookup = StubLookup("93.184.216.34")
        resolver = guarded(EgressPolicy(), lookup)
        for host in ("127.0.0.2", "2130706433", "metadata.google.internal"):
            receiver = Receiver()
            resolver.resolveHostName(receiver, host, 80)
            assert receiver.addresses == [] and receiver.complete
        assert lookup.lookups == []

    def test_an_unresolvable_name_is_not_a_refusal(self):
        assert verdict_of(guarded(EgressPolicy(), StubLookup()), "gone.example", 80
                          ).why_refused is None
