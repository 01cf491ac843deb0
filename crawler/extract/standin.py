"""Stand-in pages: an answer that takes the place of the page asked for.

An anti-bot challenge ("Just a moment...", a captcha), a consent wall that hides the
site until cookies are accepted, a login form: the server answered, often with 200,
but not with the page. Such a page is ``blocked`` (crawler.spiders.blocked): counted,
never taken for an article, never remembered as archived, so a later run asks again.

What gives one away, from the strongest sign to the weakest:

- a response header a bot wall sets on its challenges (Cloudflare's
  ``cf-mitigated: challenge``; DataDome's ``x-datadome`` on a 403);
- a vendor's own marker in the HTML, one a real page of the site never carries
  (Cloudflare's ``_cf_chl_opt`` and ``__cf_chl_`` tokens, DataDome's
  ``captcha-delivery.com`` frame, PerimeterX's ``px-captcha``, Akamai's "Access Denied
  ... Reference #18.x", Imperva's "Incapsula incident ID", Sucuri's firewall page),
  on a page with little text of its own (``SMALL_TEXT``);
- a challenge's words or a bare captcha widget ("Checking your browser", "Verify you
  are human", a reCAPTCHA/hCaptcha/Turnstile form) on a page with next to no text
  (``TINY_TEXT``);
- a consent wall's signs (a ``consent.``/``guce.`` host, "Before you continue", "We
  value your privacy", an IAB TCF/CMP script) on a page with little else;
- a password field on a page with next to no text: a login form;
- the same tiny page served for different URLs on several hosts (:class:`SameAnswers`,
  kept by the crawl: one page alone cannot show it).

What is never a stand-in: a page that declares itself an article (JSON-LD, or
og:type=article with a date; no wall does), so a paywalled article that shows its
public part, or a story about bot walls that quotes their markers, stays an article;
and a page with more text than a stand-in ever has (``SMALL_TEXT``), which merely
mentions captchas or cookies.

No Scrapy import: the page's part runs in the extraction workers
(crawler.extract.pageanalysis), the headers' part in the crawl.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

CHALLENGE, CONSENT, LOGIN = "challenge", "consent", "login"
KINDS = (CHALLENGE, CONSENT, LOGIN)

# Visible characters (scripts, styles and noscript left out). A challenge says "wait"
# or "verify" in a sentence or two, 150-450 characters on Cloudflare's, Akamai's and
# PerimeterX's pages; the shortest article of the extraction benchmark, with its
# navigation, has several thousand.
TINY_TEXT = 700
# A stand-in that explains itself (Sucuri's block table, PerimeterX's tips, a consent
# wall listing its purposes) stays under this.
SMALL_TEXT = 2_500
# Several hosts answering with the same tiny page: a bot wall in front of them all.
SAME_ANSWER_HOSTS = 3
# A stand-in links to little (a privacy policy, a help page); a tiny real page (a short
# listing) links to more.
SAME_ANSWER_MAX_LINKS = 3
# A consent wall links to its policies and vendor lists; a page of the site under a
# cookie banner links to the site.
CONSENT_MAX_LINKS = 15

# Vendors' markers: the challenge page's own scripts, frames and wording.
_VENDOR_MARKERS = re.compile(
    r"(?P<cloudflare>_cf_chl_opt|__cf_chl_|cf-browser-verification|"
    r"<title>\s*Attention Required! \| Cloudflare)"
    r"|(?P<datadome>captcha-delivery\.com)"
    r"|(?P<perimeterx>px-captcha|perimeterx\.(?:net|com)/whywasiblocked)"
    r"|(?P<imperva>Incapsula incident ID|<iframe[^>]+src=\"/_Incapsula_Resource)"
    r"|(?P<sucuri>Sucuri WebSite Firewall|sucuri[-_]firewall[-_]block|cloudproxy@sucuri\.net)",
    re.I)
# Akamai's block page: "Reference #18.2b3c1002.1700000000.1a2b3c4" in its visible text.
_AKAMAI_REFERENCE = re.compile(r"Reference\s*#\s*\d+\.[0-9a-f]+\.\d+\.[0-9a-f]+", re.I)
_CHALLENGE_WORDS = re.compile(
    r"just a moment|checking (?:if the site connection is secure|your browser)|"
    r"verify(?:ing)? (?:that )?you are (?:a )?human|are you a robot|"
    r"pardon our interruption|access denied|you have been blocked|"
    r"enable javascript and cookies to continue|press (?:&|and) hold|security check",
    re.I)
_CAPTCHA_WIDGET = re.compile(r"class=\"[^\"]*\b(?:g-recaptcha|h-captcha|cf-turnstile)\b", re.I)
_CONSENT_WORDS = re.compile(
    r"before you continue|we value your privacy|we care about your privacy|"
    r"(?:accept|agree to) (?:all )?cookies|cookie (?:settings|preferences|consent)|"
    r"consent to (?:the use of )?(?:cookies|your data)", re.I)
_CONSENT_SCRIPT = re.compile(r"__tcfapi|__cmp\(|sp_message_container|consent\.cookiebot|"
                             r"cdn\.cookielaw\.org|quantcast\.mgr", re.I)
_CONSENT_HOST = re.compile(r"^(?:consent|guce|privacy-?consent)\.", re.I)
_PASSWORD = "//input[translate(@type, 'PASSWORD', 'password')='password']"
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_DIGITS = re.compile(r"[0-9a-f]*\d[0-9a-f]*", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class StandIn:
    kind: str  # CHALLENGE, CONSENT or LOGIN
    sign: str  # what gave it away, for the log: "cloudflare", "password field", ...


def header_standin(status: int, headers: Mapping[str, str]) -> StandIn | None:
    """What the response headers alone say (names lower-case)."""
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return StandIn(CHALLENGE, "cloudflare (cf-mitigated header)")
    if status == 403 and "x-datadome" in headers:
        return StandIn(CHALLENGE, "datadome (x-datadome header on a 403)")
    return None


def page_standin(tree: HtmlElement, html: str, url: str, *,
                 declared_article: bool) -> StandIn | None:
    """What the page itself says. ``html`` is the page's source (markers in scripts and
    attributes), ``tree`` its parse; ``declared_article``: the page says it is an
    article (crawler.discovery.pagekind.PageSignals.declared_article)."""
    if declared_article:
        return None  # an article behind a wall shows its public part: still an article
    text = visible_text(tree, SMALL_TEXT)
    small = len(text) <= SMALL_TEXT
    tiny = len(text) <= TINY_TEXT
    if small and (vendor := _VENDOR_MARKERS.search(html)):
        return StandIn(CHALLENGE, next(k for k, v in vendor.groupdict().items() if v))
    if small and _AKAMAI_REFERENCE.search(text):
        return StandIn(CHALLENGE, "akamai")
    if not small:
        return None
    title = _title(tree)
    if tiny and (_CHALLENGE_WORDS.search(title) or _CHALLENGE_WORDS.search(text)):
        return StandIn(CHALLENGE, "challenge wording")
    has_password = bool(tree.xpath(_PASSWORD))
    if tiny and not has_password and _CAPTCHA_WIDGET.search(html):
        return StandIn(CHALLENGE, "captcha form")
    if _consent_host(url, tree):
        return StandIn(CONSENT, "consent host")
    # A cookie banner over a short page of the site is not a wall: the page still
    # links on to the site's stories; a wall links to its policies at most.
    few_links = len(tree.xpath("//a[@href]")) <= CONSENT_MAX_LINKS
    if few_links and (_CONSENT_WORDS.search(title) or (
            _CONSENT_WORDS.search(text) and (tiny or _CONSENT_SCRIPT.search(html)))):
        return StandIn(CONSENT, "consent wall")
    if tiny and has_password:
        return StandIn(LOGIN, "password field")
    return None


def same_answer_key(tree: HtmlElement, url: str) -> str | None:
    """What makes two tiny pages "the same answer", or None for a page that is not tiny
    or links to more than a stand-in does: its visible text, with the host it names
    and every number or hex id (ray ids, timestamps) taken out."""
    text = visible_text(tree, TINY_TEXT)
    if len(text) > TINY_TEXT or len(tree.xpath("//a[@href]")) > SAME_ANSWER_MAX_LINKS:
        return None
    host = (urlsplit(url).hostname or "").lower()
    text = text.lower().replace(host, " ") if host else text.lower()
    text = _SPACE.sub(" ", _DIGITS.sub("0", text)).strip()
    if not text:
        return None  # a blank page says nothing about who sent it
    return hashlib.sha1(text.encode()).hexdigest()


class SameAnswers:
    """The crawl's memory of tiny pages: which hosts answered with each. A page is a
    stand-in once ``SAME_ANSWER_HOSTS`` hosts have answered different URLs with it."""

    def __init__(self, hosts: int = SAME_ANSWER_HOSTS, *, max_keys: int = 10_000) -> None:
        self.hosts = hosts
        self.max_keys = max_keys  # a crawl of millions of pages: memory stays bounded
        self._hosts_by_key: dict[str, set[str]] = {}

    def answered(self, key: str | None, url: str) -> bool:
        """``url`` was answered with the page ``key`` (:func:`same_answer_key`); True
        when enough hosts have answered with it to call it a stand-in."""
        if key is None:
            return False
        hosts = self._hosts_by_key.get(key)
        if hosts is None:
            if len(self._hosts_by_key) >= self.max_keys:
                return False
            hosts = self._hosts_by_key[key] = set()
        if len(hosts) < self.hosts:
            hosts.add(urlsplit(url).netloc.lower())
        return len(hosts) >= self.hosts


def visible_text(tree: HtmlElement, limit: int) -> str:
    """The page's visible text, whitespace collapsed; once past ``limit`` characters
    it stops reading (only "how much" matters beyond that)."""
    body = tree.find("body")
    root = body if body is not None else tree
    parts: list[str] = []
    size = 0
    hidden: set[HtmlElement] = set()
    for element in root.iter():
        parent_hidden = element.getparent() in hidden
        shown = isinstance(element.tag, str) and element.tag not in _HIDDEN
        if parent_hidden or not shown:
            hidden.add(element)
        elif element.text:
            parts.append(element.text)
            size += len(element.text.strip())
        if element.tail and not parent_hidden and element is not root:
            parts.append(element.tail)
            size += len(element.tail.strip())
        if size > limit * 2:
            break
    return _SPACE.sub(" ", " ".join(parts)).strip()


def _title(tree: HtmlElement) -> str:
    title = tree.find(".//title")
    return (title.text_content() if title is not None else "").strip()


def _consent_host(url: str, tree: HtmlElement) -> bool:
    """The page is on a consent host, or its form posts to one."""
    hosts = [urlsplit(url).hostname or ""]
    hosts += [urlsplit(action).hostname or "" for action in tree.xpath("//form/@action")]
    return any(_CONSENT_HOST.match(host) for host in hosts)
