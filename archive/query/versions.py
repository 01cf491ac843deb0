"""The versions of one article, and what changed between two of them.

An article's versions are the records of one job and one canonical URL, each
capture whose content differed from the one before (see ``version`` and
``previous`` in docs/output.md). :func:`article_versions` finds them, oldest
first; :func:`diff_versions` compares two: the fields a reader notices (title,
authors, dates, description) as old and new values, and the body as a
word-level diff grouped per changed paragraph, with a few words of context.

    >>> from archive.query.versions import article_versions, diff_versions
    >>> found = article_versions("archive-data", "https://news.example/a/")
    >>> change = diff_versions(found.versions[-2], found.versions[-1])
    >>> change.fields[0].name, change.fields[0].new
    ('title', 'Harbour ferry returns after refit')
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import NotInArchiveError
from archive.query.articles import open_articles

__all__ = ["ArticleVersions", "BodyHunk", "FieldChange", "VersionDiff", "article_versions",
           "diff_lines", "diff_versions", "version_summary"]

# The fields compared one by one, in the order a reader meets them.
DIFF_FIELDS = ("title", "authors", "published", "modified", "description")
# Words of unchanged text kept on each side of a change.
CONTEXT_WORDS = 5
_WORD = re.compile(r"\S+")


@dataclass
class ArticleVersions:
    """Every version of one article (oldest first), and the other jobs holding its URL."""

    url: str
    job: str
    versions: list[dict[str, Any]]
    other_jobs: list[str] = field(default_factory=list)

    def numbers(self) -> list[int]:
        """The version numbers, each once (two workers may capture one version twice)."""
        return sorted({row["version"] or 0 for row in self.versions})

    def get(self, number: int) -> dict[str, Any]:
        """Version ``number`` (its newest capture); NotInArchiveError names the ones there are."""
        for row in reversed(self.versions):
            if (row["version"] or 0) == number:
                return row
        raise NotInArchiveError(f"no version {number} of {self.url}: it has version"
                         f"{'s' if len(self.versions) > 1 else ''} "
                         f"{', '.join(str(n) for n in self.numbers())}")


@dataclass
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass
class BodyHunk:
    """One changed run of paragraphs: where it starts in each version (1-based
    paragraph numbers) and its segments, ``(op, words)`` with op ``=`` (context),
    ``-`` (removed) or ``+`` (added). A paragraph break inside a hunk is ``¶``."""

    old_paragraph: int
    new_paragraph: int
    segments: list[tuple[str, str]]

    def removed(self) -> list[str]:
        return [words for op, words in self.segments if op == "-"]

    def added(self) -> list[str]:
        return [words for op, words in self.segments if op == "+"]


@dataclass
class VersionDiff:
    """What changed from version ``old`` to version ``new`` of one article."""

    url: str
    old: dict[str, Any]
    new: dict[str, Any]
    fields: list[FieldChange]
    body: list[BodyHunk]

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.body)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "from": self.old, "to": self.new,
                "fields": [asdict(change) for change in self.fields],
                "body": [{"old_paragraph": hunk.old_paragraph,
                          "new_paragraph": hunk.new_paragraph,
                          "segments": [{"op": op, "text": words} for op, words in hunk.segments],
                          "removed": hunk.removed(), "added": hunk.added()}
                         for hunk in self.body]}


def article_versions(out: Path | str, url: str, **options: Any) -> ArticleVersions:
    """Every version of the article at ``url`` (its URL or canonical URL), oldest first.

    ``options`` are :func:`~archive.query.articles.open_articles`'s (store,
    endpoint_url, cache, job, as_of: the versions there were then). Raises
    NotInArchiveError when the URL is not in the archive (or is suppressed).
    When it is in several jobs, the first match's job is chosen (see ``other_jobs``).
    """
    with open_articles(out, **options, all_versions=True) as query:
        found = query.find_url(url)
        hidden = query.suppression_for(url) if not found else None
    if hidden is not None:
        raise NotInArchiveError(f"{url} is suppressed: {hidden.summary()}")
    if not found:
        as_of = f" as of {options['as_of']}" if options.get("as_of") else ""
        raise NotInArchiveError(f"no article with URL {url} in "
                                f"{options.get('store') or out}{as_of}")
    best = found[0]
    key = _key(best)
    rows = [row for row in found if row["job"] == best["job"] and _key(row) == key]
    rows.sort(key=lambda row: (row["version"] or 0, row["fetched_at"] or ""))
    others = sorted({row["job"] for row in found} - {best["job"]})
    return ArticleVersions(key, best["job"], rows, others)


def version_summary(row: dict[str, Any]) -> dict[str, Any]:
    """Where a version is: its number, capture time, payload digest and WARC pointer."""
    return {"version": row.get("version"), "fetched_at": row.get("fetched_at"),
            "payload_digest": row.get("payload_digest"), "warc": row.get("warc")}


def diff_versions(old: dict[str, Any], new: dict[str, Any], *,
                  context: int = CONTEXT_WORDS) -> VersionDiff:
    """The changes from record ``old`` to record ``new`` (two versions of one article)."""
    fields = [FieldChange(name, old.get(name), new.get(name)) for name in DIFF_FIELDS
              if _normal(old.get(name)) != _normal(new.get(name))]
    return VersionDiff(_key(new), version_summary(old), version_summary(new), fields,
                       body_hunks(old.get("text") or "", new.get("text") or "", context))


def body_hunks(old: str, new: str, context: int = CONTEXT_WORDS) -> list[BodyHunk]:
    """Paragraphs are matched first, so an edit stays in its paragraph and a paragraph
    added or removed is one hunk; the changed paragraphs are then compared word by word."""
    before, after = _paragraphs(old), _paragraphs(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    hunks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 - i1 == j2 - j1:
            # As many paragraphs on each side: each edited in place, a hunk each.
            blocks = [(i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2),
                                                           strict=True)]
        else:
            blocks = [(i1, i2, j1, j2)]
        for a1, a2, b1, b2 in blocks:
            segments = _word_segments(" ¶ ".join(before[a1:a2]), " ¶ ".join(after[b1:b2]))
            hunks.append(BodyHunk(a1 + 1, b1 + 1, _trim(segments, context)))
    return hunks


def diff_lines(diff: VersionDiff) -> list[str]:
    """``diff`` as text: each changed field's old and new value, then each body hunk
    with removed words as ``[-old-]`` and added ones as ``{+new+}``."""
    lines = [f"--- version {diff.old['version']} ({diff.old['fetched_at']})",
             f"+++ version {diff.new['version']} ({diff.new['fetched_at']})"]
    for change in diff.fields:
        lines += [f"{change.name}:", f"  - {_shown(change.old)}", f"  + {_shown(change.new)}"]
    for hunk in diff.body:
        lines.append(f"@@ paragraph {hunk.old_paragraph} -> {hunk.new_paragraph} @@")
        lines.append(" ".join(words if op == "=" else f"[-{words}-]" if op == "-"
                              else f"{{+{words}+}}" for op, words in hunk.segments))
    if not diff.changed:
        lines.append("(no change in title, authors, dates, description or body)")
    return lines


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    return "; ".join(value) if isinstance(value, list) else str(value)


def _word_segments(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _WORD.findall(old), _WORD.findall(new)
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("+", " ".join(b[j1:j2])))
    return segments


def _trim(segments: list[tuple[str, str]], context: int) -> list[tuple[str, str]]:
    """Unchanged runs cut to ``context`` words beside each change (``…`` for the cut)."""
    trimmed = []
    for index, (op, words) in enumerate(segments):
        if op != "=":
            trimmed.append((op, words))
            continue
        tokens = words.split(" ")
        first, last = index == 0, index == len(segments) - 1
        if first and len(tokens) > context:
            words = "… " + " ".join(tokens[-context:])
        elif last and len(tokens) > context:
            words = " ".join(tokens[:context]) + " …"
        elif not first and not last and len(tokens) > 2 * context:
            words = " ".join([*tokens[:context], "…", *tokens[-context:]])
        trimmed.append((op, words))
    return trimmed


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _normal(value: Any) -> Any:
    """Empty and missing are the same; whitespace inside text is not a change."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return value or None


def _key(row: dict[str, Any]) -> str:
    return row.get("canonical_url") or row["url"]
