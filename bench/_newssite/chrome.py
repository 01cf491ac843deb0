"""What every page of the site carries: menus, footer, generated CSS and icons, the
consent manager's configuration and banner."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bench._newssite.stories import Story
from bench._newssite.vocabulary import SECTIONS, SITE_NAME, cap, split_list

UTILITY = (("/subscribe/", "Subscribe"), ("/newsletters/", "Newsletters"),
           ("/podcasts/", "Podcasts"), ("/puzzles/", "Puzzles"), ("/weather/", "Weather"),
           ("/help/", "Help"))
INFO = (("/about/", "About us"), ("/contact/", "Contact us"), ("/careers/", "Work for us"),
        ("/advertise/", "Advertise with us"), ("/corrections/", "Corrections"),
        ("/privacy/", "Privacy policy"), ("/cookies/", "Cookie policy"),
        ("/terms/", "Terms and conditions"), ("/accessibility/", "Accessibility"))
_CSS_DECLARATIONS = split_list(
    "margin:0 auto; padding:0 16px; display:flex; display:grid; gap:12px; font-size:1.0625rem;"
    " line-height:1.5; color:#121212; background:#fff; border-bottom:1px solid #dcdcdc;"
    " font-weight:700; text-transform:uppercase; letter-spacing:.02em; position:relative;"
    " max-width:1280px; grid-template-columns:repeat(12,1fr); align-items:center;"
    " justify-content:space-between; overflow:hidden; white-space:nowrap;"
    " text-decoration:none; list-style:none; width:100%; height:auto; object-fit:cover;"
    " transition:color .2s ease; font-family:Georgia,serif; min-height:250px; z-index:10;"
    " font-family:Helvetica,Arial,sans-serif; border-radius:4px; box-shadow:0 1px 3px #0003")
#: In every template's head and header: the site's icon and logo (page requisites
#: shared by every page, as a news site's are).
FAVICON = '<link rel="icon" href="/favicon.ico" sizes="32x32">\n'
LOGO = "/static/img/logo.png"
_ICONS = ("menu", "search", "close", "chevron", "facebook", "x", "whatsapp", "email", "link",
          "play", "comment", "bookmark")


@dataclass
class Chrome:
    """Site-wide pieces the templates share: the newest stories for the header's
    trending strip and menus, generated CSS and icons, and the consent manager's
    configuration and banner."""

    trending: list[Story]
    featured: dict[str, list[Story]] = field(default_factory=dict)
    css: dict[str, str] = field(default_factory=dict)
    sprite: str = ""
    consent: str = ""
    overlays: str = ""


def _ident(rng: random.Random, length: int = 6) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))


def _css(rng: random.Random, prefix: str, rules: int) -> str:
    out = []
    for _ in range(rules):
        declarations = ";".join(rng.sample(_CSS_DECLARATIONS, rng.randint(2, 7)))
        rule = f".{prefix}-{_ident(rng)} .{prefix}-{_ident(rng, 4)}{{{declarations}}}"
        out.append(f"@media (min-width:{rng.choice((600, 900, 1280))}px){{{rule}}}"
                   if rng.random() < 0.2 else rule)
    return "\n".join(out)


def _sprite(rng: random.Random) -> str:
    symbols = []
    for name in _ICONS:
        points = " ".join(f"{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}"
                          + rng.choice(("c", "l", "s", "C", "L", ""))
                          for _ in range(rng.randint(20, 60)))
        symbols.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="M{points}z"/>'
                       "</symbol>")
    return ('<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">'
            + "".join(symbols) + "</svg>")


_VENDORS = split_list("Media; Analytics; Ads; Exchange; Audience; Metrics; Digital; Insights")


def _consent(rng: random.Random) -> str:
    vendors = [{"id": 3 + 7 * n, "name": f"{cap(_ident(rng, 7))} {rng.choice(_VENDORS)}",
                "purposes": sorted(rng.sample(range(1, 11), 4)),
                "legIntPurposes": sorted(rng.sample(range(1, 11), 2)),
                "cookieMaxAgeSeconds": rng.choice((86400, 2592000, 31536000))}
               for n in range(28)]
    config = {"cmpId": 31, "cmpVersion": 4, "gdprApplies": True, "publisherCC": "GB",
              "vendors": vendors, "purposeOneTreatment": False}
    return (
        f"window.__tcfConfig={json.dumps(config, separators=(',', ':'))};"
        "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
        "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),"
        "dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src="
        "'/gtm/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})"
        "(window,document,'script','dataLayer','GTM-K7Q2MZ');"
    )


def make_chrome(rng: random.Random, stories: list[Story]) -> Chrome:
    chrome = Chrome(trending=stories[:6], sprite=_sprite(rng), consent=_consent(rng),
                    overlays=_overlays())
    for story in stories:
        featured = chrome.featured.setdefault(story.section.slug, [])
        if len(featured) < 4:
            featured.append(story)
    chrome.css = {"wp": _css(rng, "ldg", 90), "cms": _css(rng, "c", 70),
                  "app": _css(rng, "ssrcss", 120)}
    return chrome


def section_menu(chrome: Chrome, item: Callable[[str, str], str],
                 sub_item: Callable[[str, str], str], open_group: str, close_group: str) -> str:
    """The main navigation: every section, each with its subsections and newest stories."""
    out = []
    for section in SECTIONS:
        subs = "".join(sub_item(f"/{section.slug}/{slug}/", label)
                       for slug, label in section.subsections)
        everything = sub_item(f"/{section.slug}/", f"All {section.label.lower()}")
        promo = "".join(sub_item(story.path, story.headline)
                        for story in chrome.featured.get(section.slug, []))
        out.append(item(f"/{section.slug}/", section.label) + open_group + subs + everything
                   + promo + close_group)
    return "".join(out)


_PURPOSES = split_list(
    "Store and access information on a device; Use limited data to select advertising;"
    " Create profiles for personalised advertising; Use profiles to select personalised"
    " advertising; Create profiles to personalise content; Use profiles to select"
    " personalised content; Measure advertising performance; Measure content performance;"
    " Understand audiences through statistics; Develop and improve services")


def _overlays() -> str:
    """The consent banner and the subscription prompt that many news sites render on the
    server and hide with CSS."""
    purposes = "".join(
        f'<li class="cmp-purpose"><h3 class="cmp-purpose__name">{name}</h3><p>Vendors may'
        f" {name.lower()} where you allow it, or on the basis of legitimate interest.</p>"
        f'<label class="cmp-toggle"><input type="checkbox" name="purpose-{n}" checked>'
        '<span class="cmp-toggle__slider"></span></label></li>'
        for n, name in enumerate(_PURPOSES, 1))
    benefits = "".join(f"<li>{text}</li>" for text in split_list(
        "Unlimited access to every article; The daily edition, as it appears in print;"
        " Our newsletters and puzzles; Fewer adverts; Support independent journalism"))
    return (
        '<div id="cmp-banner" class="cmp-banner" role="dialog" aria-modal="true"'
        ' aria-labelledby="cmp-title" hidden><div class="cmp-banner__inner">'
        '<h2 id="cmp-title">We value your privacy</h2><p>We and our partners use cookies and'
        " similar technologies to store and access information on your device, to measure"
        " how our journalism is read and to show advertising that pays for it. You can accept"
        " or reject this, or choose what you allow below, and change your mind at any time"
        ' from the link at the foot of every page.</p><div class="cmp-banner__buttons">'
        '<button class="cmp-button cmp-button--accept">Accept all</button><button'
        ' class="cmp-button cmp-button--reject">Reject all</button><button class="cmp-button'
        ' cmp-button--options">Manage options</button></div><details class="cmp-details">'
        f'<summary>Purposes</summary><ul class="cmp-purposes">{purposes}</ul></details>'
        '<a class="cmp-link" href="/cookies/">Cookie policy</a></div></div>\n'
        '<div id="subscribe-modal" class="modal modal--subscribe" hidden><div class="modal__box">'
        '<button class="modal__close" aria-label="Close"><svg width="16" height="16"><use'
        ' href="#icon-close"></use></svg></button><h2 class="modal__title">You have read'
        " three free articles this month</h2><p>Subscribe for less than the price of a coffee"
        f' a week.</p><ul class="modal__benefits">{benefits}</ul><a class="modal__cta"'
        ' href="/subscribe/">Subscribe now</a><p class="modal__small">Already a subscriber?'
        ' <a href="/help/">Get help signing in</a></p></div></div>\n'
    )


def footer_links() -> list[tuple[str, str]]:
    links = [(f"/{s.slug}/", s.label) for s in SECTIONS]
    links += [(f"/{s.slug}/{slug}/", label) for s in SECTIONS for slug, label in s.subsections[:2]]
    return links + list(INFO) + list(UTILITY[:4])


FOOTER_EXTRAS = (
    '<div class="footer-follow"><h2>Follow us</h2><ul class="footer-follow__list">'
    + "".join(f'<li><button class="follow follow--{name}" data-network="{name}"><svg'
              f' width="24" height="24"><use href="#icon-{name}"></use></svg><span'
              f' class="visually-hidden">{SITE_NAME} on {name}</span></button></li>'
              for name in ("facebook", "x", "whatsapp", "email"))
    + '</ul></div><div class="footer-apps"><h2>Get the app</h2><p>Breaking news alerts,'
    ' the daily edition and our puzzles, on your phone.</p><img src="/static/img/app.png"'
    ' alt="Download on the App Store" width="120" height="40"><img'
    ' src="/static/img/google-play.png" alt="Get it on Google Play" width="135" height="40">'
    '</div><div class="footer-legal"><p>The Daily Ledger is published by Ledger Media Group'
    " Ltd, a company registered in England and Wales. Our journalism is regulated by the"
    " Independent Press Standards Organisation; if you have a complaint about something we"
    " have published, please read our complaints procedure first. Some of the links in our"
    " reviews are affiliate links: if you buy something through them we may earn a small"
    ' commission.</p><p><a href="/corrections/">Corrections and clarifications</a> ·'
    ' <a href="/cookies/">Manage cookies</a> · <a href="/privacy/">Your privacy choices</a>'
    "</p></div>"
)
