"""The URLs a stylesheet names, read in one forward scan.

Only what fetching needs is read: ``@import`` targets, ``url(...)`` (and whether it
sits inside an ``@font-face`` block) and the bare strings of ``image-set()``.
Comments and strings are skipped as CSS skips them, so a ``url(`` inside a comment
or a ``content: "..."`` string is not one, and a ``/*`` inside a string opens no
comment (stripping comments in a first pass would get that wrong).

Linear time whatever the input: one forward ``search`` of a pattern of fixed
tokens, then short anchored matches whose quantifiers are possessive (``*+``),
so that no input ("url(" * 100000, a million quotes, an endless comment) can make
the regular expression engine backtrack. Malformed input ends the way CSS says it
does: an unclosed comment or string runs to the end of the sheet or line, a
``url(`` that is not closed properly ("bad url") runs to the next ``)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def _tokens(*words: str) -> re.Pattern[str]:
    """A pattern for any of ``words``, in any case (as CSS's own keywords), written so
    that every alternative starts with a literal character: then the search skips
    the characters no token starts with at C speed (with ``re.I``, or a look-behind,
    Python's engine tries every alternative at every character: 7 times slower)."""
    alternatives = []
    for word in words:
        rest = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c)
                       for c in word[1:])
        firsts = {word[0].lower(), word[0].upper()}
        alternatives += [re.escape(first) + rest for first in sorted(firsts)]
    return re.compile("|".join(alternatives))


# What is worth stopping at: whether "url(" starts a name, and whether "set(" ends
# "image-set(" or "-webkit-image-set(", are checked after (as a token, "image-set("
# would make the search stop at every "i" and "-" of the sheet: 1.5 times slower).
_KEYWORDS = ("/*", '"', "'", "url(", "@import", "@font-face", "set(")
_TOKENS = _tokens(*_KEYWORDS)
# The same, inside @font-face (braces counted) or image-set() (parentheses counted).
_NESTED_TOKENS = _tokens(*_KEYWORDS, "{", "}", "(", ")", ";")
_SPACE = "[ \t\n\r\f]"
_STRING_BODY = {
    '"': re.compile(r'((?:[^"\\\n\r\f]|\\.)*+)("?)', re.S),
    "'": re.compile(r"((?:[^'\\\n\r\f]|\\.)*+)('?)", re.S),
}
# An escape in an unquoted url(): a hex escape takes the one space after it.
_BARE_ESCAPE = r"\\(?:[0-9a-fA-F]{1,6}[ \t\n\r\f]?|.)"
_URL_BODY = re.compile(
    rf"{_SPACE}*+(?:\"((?:[^\"\\\n\r\f]|\\.)*+)\"|'((?:[^'\\\n\r\f]|\\.)*+)'"
    rf"|((?:[^)\\\"'( \t\n\r\f]|{_BARE_ESCAPE})*+)){_SPACE}*+\)", re.S)
_IMPORT_TARGET = re.compile(rf"{_SPACE}*+(?:([\"'])|(url\())", re.I)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|[\n\r\f])|(.)|$)", re.S)
_NAME_CHAR = re.compile(r"[\w-]")

# What each URL is to the caller: an @import target, a url() inside @font-face, or
# another url() or image-set() string (a font or an image, by its path).
IMPORT, FONT_FACE, URL = "import", "font-face", "url"


def css_urls(css: str) -> Iterator[tuple[str, str]]:
    """``(value, role)`` of every URL the stylesheet names, in order, as written
    (escapes undone, not resolved); ``role`` is :data:`IMPORT`, :data:`FONT_FACE`
    or :data:`URL`."""
    pos = 0
    font_face = 0  # > 0: the depth of braces inside an @font-face block
    font_face_next = False  # @font-face read, its "{" not yet
    image_set = 0  # > 0: the depth of parentheses inside image-set()
    while True:
        nested = font_face or font_face_next or image_set
        match = (_NESTED_TOKENS if nested else _TOKENS).search(css, pos)
        if match is None:
            return
        token, pos = match.group().lower(), match.end()
        if token == "/*":
            end = css.find("*/", pos)
            if end < 0:
                return
            pos = end + 2
        elif token in _STRING_BODY:
            value, pos = _string_at(css, pos, token)
            if image_set == 1 and value:
                yield value, URL
        elif token == "url(":
            if _inside_name(css, match.start()):
                continue  # a function whose name ends in "url"
            value, pos = _url_at(css, pos)
            if value:
                yield value, FONT_FACE if font_face else URL
        elif token == "@import":
            value, pos = _import_at(css, pos)
            if value:
                yield value, IMPORT
        elif token == "@font-face":
            font_face_next = True
        elif token == "set(":
            if image_set or _is_image_set(css, match.start()):
                image_set += 1  # inside, another function: its parenthesis counts
        elif token == "{":
            if font_face_next:
                font_face_next, font_face = False, 1
            elif font_face:
                font_face += 1
        elif token == "}":
            font_face = max(font_face - 1, 0)
        elif token == ";":
            font_face_next = False  # "@font-face;" opens no block
        elif token == "(":
            if image_set:
                image_set += 1
        elif token == ")":
            image_set = max(image_set - 1, 0)


def _inside_name(css: str, start: int) -> bool:
    """Whether a name-like token at ``start`` is only the end of a longer name."""
    return start > 0 and _NAME_CHAR.match(css, start - 1) is not None


def _is_image_set(css: str, start: int) -> bool:
    """Whether the "set(" at ``start`` ends "image-set(" or "-webkit-image-set("."""
    for name in ("image-", "-webkit-image-"):
        begin = start - len(name)
        if begin >= 0 and css[begin:start].lower() == name and not _inside_name(css, begin):
            return True
    return False


def _string_at(css: str, pos: int, quote: str) -> tuple[str, int]:
    """The string whose opening quote ends at ``pos``, and where it ends."""
    match = _STRING_BODY[quote].match(css, pos)
    assert match is not None  # the body may be empty, the closing quote missing
    return _unescape(match.group(1)), match.end()


def _url_at(css: str, pos: int) -> tuple[str | None, int]:
    """The value of the ``url(`` that ends at ``pos``, and where it ends; a bad URL
    (unclosed, a quote or space inside) is None and runs to the next ``)``."""
    match = _URL_BODY.match(css, pos)
    if match is None:
        end = css.find(")", pos)
        return None, len(css) if end < 0 else end + 1
    quoted, single, bare = match.groups()
    value = quoted if quoted is not None else single if single is not None else bare
    return _unescape(value), match.end()


def _import_at(css: str, pos: int) -> tuple[str | None, int]:
    """The target of the ``@import`` that ends at ``pos``: a string or a url()."""
    match = _IMPORT_TARGET.match(css, pos)
    if match is None:
        return None, pos
    if match.group(1):
        return _string_at(css, match.end(), match.group(1))
    return _url_at(css, match.end())


def _unescape(value: str) -> str:
    """CSS escapes undone: ``\\)`` is ``)``, ``\\20`` a space, an escaped newline nothing."""
    return _ESCAPE.sub(_unescaped, value) if "\\" in value else value


def _unescaped(match: re.Match[str]) -> str:
    hexa, _newline, char = match.groups()
    if hexa:
        code = int(hexa, 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return char or ""
