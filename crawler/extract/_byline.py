"""Bylines: which strings are author names.

Shared by metadata (authors from JSON-LD, meta tags and visible bylines) and
body cleanup (a byline line at the top of the body is dropped), so that "what
is an author's name" is decided in one place.

Bylines open with a word for "by" in the page's language: English "By",
German "Von", French "Par"/"De", Spanish and Portuguese "Por", Italian
"Di"/"Da", Dutch "Door", Swedish/Norwegian "Av", Danish "Af". Several of these
are also name particles ("De Niro", "von der Leyen", "Da Silva"), and "Von
Montag an" is ordinary German; so a non-English prefix is taken as one only
when two capitalised words that are not particles follow it.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from lxml.html import HtmlElement

from crawler.extract._cjk_byline import cjk_name, has_cjk

__all__ = [
    "AGENCIES",
    "dedupe_names",
    "drop_agency_credits",
    "drop_site_names",
    "has_byline_prefix",
    "is_byline",
    "site_keys",
    "split_authors",
    "story_bylines",
    "strip_byline_prefix",
]

_WS = re.compile(r"\s+")

# "By", "Words by", "Reporting by", "Additional reporting by"...
_BY_PREFIX = re.compile(
    r"^(?:(?:(?:additional\s+)?reporting|written|posted|reported|words|text|story|interview|"
    r"analysis|commentary|opinion|review|column|photos?)\s+)?"
    r"by[:\s]+",
    re.I,
)
# "by" in other languages, and "Text:"-style labels; see the module docstring for the guard
_OTHER_PREFIX = re.compile(
    r"^(?:(?:text|texte|texto|testo|tekst)\s*:?\s*)?"
    r"(?:von|durch|par|de|por|di|da|door|av|af)[:\s]+"
    r"|^(?:text|texte|texto|testo|tekst|текст|автор|autor(?:in|/in|\(in\))?|author|auteur|"
    r"autore|auteur\(e\))\s*:\s*"
    # Russian "Текст Лида Буслаева": the label often comes without its colon
    r"|^(?:текст|автор)\s+",
    re.I,
)
# case-sensitive on purpose: "E." in "John E. Smith" is an initial, not Portuguese "e";
# no Spanish "y": it joins the two surnames of one person ("García y Pérez")
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:,|;|\||&|、|，|；|\s(?:and|And|AND|und|et|e|en|og|och)\s)\s*"
)
_NOT_A_NAME = re.compile(
    r"\b(?:staff|\w*admin(?:istrator)?|editors?|editorial|newsroom|desk|team|reporters?|"
    r"bureau|agencies|"
    r"correspondents?|writers?|contributors?|columnists?|photographers?|journalists?|guest|"
    r"anonymous|updated|published|redaktion|rédaction|redacción|redazione|redactie|"
    r"korrespondent(?:in)?|aktualisiert|veröffentlicht)\b"
    r"|@|https?:|www\.|\d",
    re.I,
)


_NAME_PARTICLES = frozenset({"de", "da", "do", "dos", "del", "della", "der", "den", "van", "von",
                             "la", "le", "al", "el", "bin", "ibn", "ter", "zu", "y", "di", "du"})


# a capitalised name word: "Anna", "Hans-Peter", "O'Brien", "J."
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and bool(_NAME_WORD.fullmatch(word)) and (
        word.lower() not in _NAME_PARTICLES
    )


def strip_byline_prefix(value: str) -> str:
    """ "By Ana Ruiz" / "Von Anna Müller" -> the names; other text unchanged."""
    if match := _BY_PREFIX.match(value):
        return value[match.end():]
    if match := _OTHER_PREFIX.match(value):
        rest = value[match.end():]
        words = rest.split(None, 2)
        # a first name and then a surname or particle ("Anna Müller", "Jan de Vries");
        # "Von der Leyen", "De Niro", "Von Berlin, Hamburg", "Von Montag an" stay as they are
        if len(words) >= 2 and _is_name_word(words[0]) and (
            _is_name_word(words[1].rstrip(",;")) or words[1] in _NAME_PARTICLES
        ):
            return rest
    return value


# a dateline run into the byline ("... Steinbuch, November 18"): a month or weekday alone
_CALENDAR_WORD = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$"
    r"|^(?:mon|tues|wednes|thurs|fri|satur|sun)day$|^(?:today|yesterday)$",
    re.I,
)


# a byline's buttons, read as its text: "View Comments", "Follow", "3 Comments"; and the
# label of an empty field ("Name")
_BUTTON_TEXT = re.compile(
    r"^(?:(?:view|show|read|add|leave|post)\s+)?(?:\d+\s+)?comments?$|^follow(?:\s+us)?$"
    r"|^(?:share|subscribe|more|biography|bio|profile|website|homepage|e-?mail|twitter|"
    r"facebook|instagram|linkedin)$"
    # a form's or a template's label where the name should be
    r"|^(?:name|your name|author|autor|auteur|autore)$",
    re.I,
)


def _without_trailing_date_words(part: str) -> str:
    """ "Cindy Mangomini December" (a dateline's month run into the name) -> the name; and
    the separator before it ("John Walk - Feb" -> "John Walk")."""
    words = part.split()
    if len(words) <= 2 or not _CALENDAR_WORD.match(words[-1]):
        return part
    while len(words) > 2 and _CALENDAR_WORD.match(words[-1]):
        words.pop()
    return " ".join(words).rstrip(" .:-–—·•|,")


# "Dr. Sebastian Brüggemann", "Prof. Dr. Anna Müller", "Rechtsanwalt Dennis Tölle": a
# title or profession before the name is not the name (case-sensitive: "Dr" is no name)
_TITLE = re.compile(r"^(?:(?:Prof\.|Dr\.|Dr|Prof|Dipl\.-\w+\.?|Mag\.)(?:\s*(?:med|phil|jur|"
                    r"rer\.\s*nat|h\.\s*c)\.)?\s+|(?:Rechtsanw[aä]lt(?:in)?|RA|RAin)\s+)+")


def _without_title(part: str) -> str:
    rest = _TITLE.sub("", part)
    return rest if len(rest.split()) >= 2 else part


def _looks_like_name(part: str) -> bool:
    """ "Mary Okafor" yes, "the time we arrived" no (bylines are matched on plain text)."""
    words = part.split()
    return (
        # two characters make a Chinese or Korean name ("王文")
        (2 < len(part) or (len(part) == 2 and has_cjk(part))) and len(part) <= 60
        and not all(_CALENDAR_WORD.match(word) for word in words)
        and not _BUTTON_TEXT.match(part)
        and len(words) <= 5
        and not _NOT_A_NAME.search(part)
        # no lower-case words except particles; scripts without case pass
        and all(not w[0].islower() or w in _NAME_PARTICLES for w in words)
    )


# "Rachael Link, MS, RD", "Ilana Muhlstein, MS, RDN", "Jane Roe, PhD": degrees after a
# comma are split off like names, and are not names
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,5}|[A-Z][a-z]?[A-Z]{1,3}|Ph\.?D|M\.?D|B\.?Sc|M\.?Sc|Dr\.?)(?:\s*\(\w+\))?$"
)
# "Ana Ruiz in Paris", "Anna Müller aus Berlin": where the reporter filed from
_FILED_FROM = re.compile(r"\s+(?:in|aus|from|en|à|a|em)\s+[^\W\d_][\w'’. -]*$")


def split_authors(value: str) -> list[str]:
    """Split a byline into names: "By A, B and C" -> ["A", "B", "C"], junk dropped.

    Roles ("Staff Writer"), degrees ("MS, RD") and the place a reporter filed from
    ("A and B in Paris") are not names and go.
    """
    value = strip_byline_prefix(_WS.sub(" ", unescape(value)).strip())
    parts = [_FILED_FROM.sub("", part.strip(" .:-–—·•"))
             for piece in _AUTHOR_SPLIT.split(value) for part in _sentences(piece)]
    parts = [_without_title(_without_trailing_date_words(_without_agency_suffix(part)))
             for part in parts]
    # in scripts without spaces between a name's parts: a label is no name, a role goes
    parts = [name for part in parts
             if (name := cjk_name(part) if has_cjk(part) else part) is not None]
    names = [part for i, part in enumerate(parts) if _looks_like_name(part) and not (
        i and _CREDENTIAL.match(part) and _name_key(part) not in AGENCIES)]
    return _without_outlets(names)


# "Finian Cunningham. Sputnik International", "Rajeev Dhir, NJ Advance Media": words that
# make a name an organisation's
_ORGANISATION_WORD = re.compile(
    r"\b(?:media|international|news|press|group|gmbh|inc|ltd|llc|verlag|magazine|network|"
    r"publishing|newspapers?)\b\.?$", re.I)


def _is_person(name: str) -> bool:
    return len(name.split()) >= 2 and not _ORGANISATION_WORD.search(name)


def _without_outlets(names: list[str]) -> list[str]:
    """A byline's names without the outlet (or the city) credited beside a person: "Victor
    Tangermann, Futurism" -> the person. An outlet is a name with an organisation's word,
    or one capitalised word beside names of two words or more; an agency goes later
    (:func:`drop_agency_credits`). A byline naming no person keeps all."""
    if not any(_is_person(name) for name in names):
        return names
    return [name for name in names if _is_person(name) or not (
        _ORGANISATION_WORD.search(name) or (len(name.split()) == 1 and name[:1].isupper()
                                            and _name_key(name) not in AGENCIES))]


def _without_agency_suffix(part: str) -> str:
    """ "ERIC TUCKER Associated Press" (the agency's credit run into the last name) -> the name."""
    words = part.split()
    for size in (3, 2, 1):
        if len(words) >= size + 2 and _name_key(" ".join(words[-size:])) in AGENCIES:
            return " ".join(words[:-size])
    return part


# "Finian Cunningham. Sputnik International": a full stop after a surname (two lower-case
# letters before it, so not after an initial or "Dr.", "Jr.") ends the name
_FULL_STOP = re.compile(r"(?<=[^\W\d_][a-z]{2})\.\s+(?=[^\W\d_])")


def _sentences(piece: str) -> list[str]:
    first, *rest = _FULL_STOP.split(piece, maxsplit=1)
    # only after a name of two words or more: "Mrs. Ana Ruiz" stays whole
    return [first, *rest] if rest and len(first.split()) >= 2 else [piece]


#: News agencies, as bylines name them. An agency is an author only when the byline
#: names no person: "Meg Kinnard, Associated Press" credits her employer.
AGENCIES = frozenset({
    "ap", "associated press", "the associated press", "reuters", "thomson reuters", "afp",
    "agence france-presse", "agence france presse", "dpa", "deutsche presse-agentur", "apa",
    "sda", "kna", "epd", "efe", "ansa", "pti", "ani", "ians", "upi", "xinhua", "kyodo",
    "yonhap", "tass", "ria novosti", "bloomberg", "cnn wire", "aap", "belga", "anp", "tt",
    "ntb", "ritzau", "lusa", "europa press",
})


def drop_agency_credits(names: list[str]) -> list[str]:
    """The names without agencies, unless agencies are all the byline names."""
    people = [name for name in names if _name_key(name) not in AGENCIES]
    return people or names


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


# words that turn a site's name into a department of it ("CNN Business", "Telegraph Sport")
_DEPARTMENTS = frozenset({"business", "news", "sport", "sports", "staff", "wire", "online",
                          "digital", "desk", "international", "politics", "tech", "editors",
                          "team", "bureau", "redaktion", "rédaction", "redacción"})


def site_keys(*names: str | None, host: str | None = None) -> frozenset[str]:
    """Squashed forms of a site's names and host ("www.cleveland.com" -> "clevelandcom",
    "cleveland"), for :func:`drop_site_names`."""
    keys = {_squash(name) for name in names if name}
    keys |= {_squash(name[4:]) for name in names if name and name.lower().startswith("the ")}
    if host:
        host = host.lower().removeprefix("www.")
        keys.add(_squash(host))
        labels = host.split(".")
        if len(labels) >= 2:
            keys.add(_squash(labels[-2] if len(labels[-1]) > 2 or len(labels) == 2
                             else labels[-3] if len(labels) >= 3 else labels[0]))
    return frozenset(key for key in keys if len(key) >= 2)


def drop_site_names(names: list[str], keys: frozenset[str]) -> list[str]:
    """The names without the site itself ("LinkNaija", "Cleveland.com", "CNN Business",
    "Vortex" on vortexcannon.org): a byline that names only the publisher names no
    author."""
    def is_site(name: str) -> bool:
        if name[:4].casefold() == "the ":
            name = name[4:]
        if _squash(name) in keys:
            return True
        # one word that opens the site's name or host ("Vortex" on vortexcannon.org,
        # "Beachbody" on beachbodyondemand.com): the brand, not a person
        if " " not in name and len(squashed := _squash(name)) >= 5 and any(
                key.startswith(squashed) for key in keys):
            return True
        first, *rest = name.split()
        return bool(rest) and _squash(first) in keys and all(
            word.casefold() in _DEPARTMENTS for word in rest)
    return [name for name in names if not is_site(name)]


def has_byline_prefix(line: str) -> bool:
    """Whether ``line`` opens with a byline word ("By", "Von", "Par"...) followed by names."""
    return strip_byline_prefix(line) != line


def is_byline(line: str) -> bool:
    """Whether a line of body text is a byline ("By Ana Ruiz and Tom Becker", "Von Anna Müller").

    Body cleanup drops such lines: the names are in ``authors`` already.
    """
    return len(line) <= 100 and has_byline_prefix(line) and bool(split_authors(line))


def _name_key(name: str) -> str:
    # NFKC folds compatibility forms, casefold handles "ß"/"SS"; whitespace is collapsed
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def dedupe_names(names: list[str]) -> list[str]:
    """Names in first-seen order, each once after normalisation (case, width, spacing)."""
    seen: set[str] = set()
    out = []
    for name in names:
        key = _name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


# Byline elements further apart than this many elements (in document order) sign
# different stories; one story's byline, even with a photo credit, spans fewer.
_BYLINE_GROUP_GAP = 25


def story_bylines(elements: list[HtmlElement],
                  headline: HtmlElement | None) -> list[HtmlElement]:
    """Of a page's byline elements, those of the story under ``headline``.

    Menus, rails and "most read" lists sign their teasers with the same markup as the
    story's byline (``class="byline"``, ``rel="author"``), before the headline or after
    the story. The elements fall in runs, one per place on the page; the story's is the
    run nearest its headline. One run (the common case) is kept whole.
    """
    if headline is None or len(elements) < 2:
        return elements
    wanted = set(elements) | {headline}
    position = {}
    for index, element in enumerate(headline.getroottree().iter()):
        if element in wanted:
            position[element] = index
    placed = sorted(elements, key=position.__getitem__)
    runs = [[placed[0]]]
    for element in placed[1:]:
        if position[element] - position[runs[-1][-1]] > _BYLINE_GROUP_GAP:
            runs.append([])
        runs[-1].append(element)
    if len(runs) == 1:
        return elements
    at = position[headline]
    nearest = set(min(runs, key=lambda run: min(abs(position[e] - at) for e in run)))
    return [element for element in elements if element in nearest]
