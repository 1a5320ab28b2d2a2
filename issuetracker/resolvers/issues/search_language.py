"""The search language of `IssueFilterInput.search`, as GitHub's issue search reads:

    printer "paper jam" -toner is:open severity:critical tag:hardware company:"Acme Inc"
    category:Printers owner:me involves:me created:>2026-01-01

A word matches issues with a word that starts with it in the name, the description or a tag;
a "quoted phrase" those with exactly these words in a row; -word and -"phrase" exclude. Every
word, phrase and qualifier given must hold. Matching ignores case and accents (`search_words`).
Kinetic's `query` is read as plain words only (`parse_plain`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...models import IssueStatus, Severity
from ..core.validation import Collector
from .search_words import words

QUALIFIERS = ("is", "severity", "tag", "company", "category", "owner", "involves", "created")


@dataclass(frozen=True, slots=True)
class Term:
    """Words in a row; unless `whole`, the last may be the start of a longer word."""

    text: str
    whole: bool

    @property
    def pattern(self) -> str:
        """A LIKE pattern over `issues.search_text` (words hold no `%` or `_`)."""
        return f"% {self.text} %" if self.whole else f"% {self.text}%"

    @property
    def needle(self) -> str:
        """The text whose first place in `search_text` tells where the term occurs."""
        return f" {self.text} " if self.whole else f" {self.text}"


@dataclass(frozen=True, slots=True)
class ParsedSearch:
    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    statuses: tuple[IssueStatus, ...] = ()
    deleted: bool = False
    severities: tuple[Severity, ...] = ()
    tags: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    owner_me: bool = False
    involves_me: bool = False
    created_from: tuple[datetime, ...] = ()
    """Inclusive lower bounds, in UTC."""
    created_until: tuple[datetime, ...] = ()
    """Exclusive upper bounds, in UTC."""
    unmatchable: bool = False
    """Text with no word and no qualifier (only marks): it matches nothing."""

    def shape(self) -> tuple[object, ...]:
        """What of the search decides which SQL conditions it makes (not their values)."""
        counts = (self.terms, self.excluded, self.statuses, self.severities, self.tags)
        more = (self.companies, self.categories, self.created_from, self.created_until)
        flags = (self.deleted, self.owner_me, self.involves_me, self.unmatchable)
        return (*(len(part) for part in (*counts, *more)), *flags)


NOTHING = ParsedSearch()


def parse_plain(text: str) -> ParsedSearch:
    """Plain words: quotes, minus signs and colons are only what separates them."""
    found = (words(token) for token in text.split())
    terms = tuple(Term(" ".join(each), whole=False) for each in found if each)
    return ParsedSearch(terms=terms, unmatchable=not terms)


def parse(check: Collector, text: str) -> ParsedSearch:
    """The search `text` means; what it cannot mean is added to `check` as an error of the
    `search` field (an unknown qualifier is named, never taken for words)."""
    parsed: dict[str, list[object]] = {}
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        position = _token(check, text, position, parsed)
    fields: dict[str, Any] = {key: tuple(found) for key, found in parsed.items()}
    fields.update({key: bool(parsed.get(key)) for key in _FLAGS})
    return ParsedSearch(**fields, unmatchable=not parsed)


_FLAGS = ("deleted", "owner_me", "involves_me")


def _token(check: Collector, text: str, start: int, parsed: dict[str, list[object]]) -> int:
    """Reads the token at `start` into `parsed`; returns where the next one may start."""
    excluded = text[start] == "-" and start + 1 < len(text) and not text[start + 1].isspace()
    at = start + 1 if excluded else start
    end, value, quoted = _value(text, at)
    name, colon, rest = value.partition(":")
    if colon and not quoted and name.isalpha():
        if rest.startswith('"'):
            end, rest, _ = _value(text, at + len(name) + 1)
        if excluded:
            check.add("search", f"A qualifier cannot be excluded: -{name}:.")
        else:
            _qualifier(check, name.lower(), rest, parsed)
        return end
    term_words = words(value)
    if term_words:
        term = Term(" ".join(term_words), whole=quoted)
        parsed.setdefault("excluded" if excluded else "terms", []).append(term)
    return end


def _value(text: str, start: int) -> tuple[int, str, bool]:
    """(where it ends, the value, whether it was quoted) of the value at `start`: a "quoted
    phrase" (an unclosed quote runs to the end) or text up to the next blank."""
    if text.startswith('"', start):
        close = text.find('"', start + 1)
        end = len(text) if close < 0 else close
        return end + 1, text[start + 1 : end], True
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return end, text[start:end], False


def _qualifier(check: Collector, name: str, value: str, parsed: dict[str, list[object]]) -> None:
    read = _READERS.get(name)
    if read is None:
        known = ", ".join(f"{known}:" for known in QUALIFIERS)
        check.add("search", f"Unknown qualifier {name}: in the search (known: {known}).")
        return
    read(check, value.strip(), parsed)


def _is(check: Collector, value: str, parsed: dict[str, list[object]]) -> None:
    lowered = value.lower()
    if lowered == "deleted":
        parsed["deleted"] = [True]
    elif lowered in ("open", "closed"):
        parsed.setdefault("statuses", []).append(IssueStatus(lowered))
    else:
        check.add("search", f"is: takes open, closed or deleted, not {value!r}.")


def _severity(check: Collector, value: str, parsed: dict[str, list[object]]) -> None:
    try:
        parsed.setdefault("severities", []).append(Severity(value.lower()))
    except ValueError:
        check.add("search", f"severity: takes critical, important or info, not {value!r}.")


Reader = Callable[[Collector, str, dict[str, list[object]]], None]


def _named(key: str, name: str, lower: bool = False) -> Reader:
    def read(check: Collector, value: str, parsed: dict[str, list[object]]) -> None:
        if not value:
            check.add("search", f"{name}: needs a name.")
            return
        parsed.setdefault(key, []).append(value.lower() if lower else value)

    return read


def _me(key: str, name: str) -> Reader:
    def read(check: Collector, value: str, parsed: dict[str, list[object]]) -> None:
        if value.lower() != "me":
            check.add("search", f"{name}: takes only me, not {value!r}.")
            return
        parsed[key] = [True]

    return read


def _created(check: Collector, value: str, parsed: dict[str, list[object]]) -> None:
    """`>D`, `>=D`, `<D`, `<=D`, `D..D` (both days included, `*` for an open end), or `D` (that
    day); days are YYYY-MM-DD in UTC."""
    try:
        bounds = _date_bounds(value)
    except (ValueError, OverflowError):
        check.add("search", f"created: takes a day such as >2026-01-01 or a range, not {value!r}.")
        return
    start, end = bounds
    if start is not None:
        parsed.setdefault("created_from", []).append(start)
    if end is not None:
        parsed.setdefault("created_until", []).append(end)


def _date_bounds(value: str) -> tuple[datetime | None, datetime | None]:
    for prefix, bounds in (
        (">=", lambda day: (_midnight(day), None)),
        ("<=", lambda day: (None, _midnight(day + timedelta(days=1)))),
        (">", lambda day: (_midnight(day + timedelta(days=1)), None)),
        ("<", lambda day: (None, _midnight(day))),
    ):
        if value.startswith(prefix):
            return bounds(date.fromisoformat(value[len(prefix) :]))
    if ".." in value:
        first, _, last = value.partition("..")
        start = None if first == "*" else _midnight(date.fromisoformat(first))
        end = None if last == "*" else _midnight(date.fromisoformat(last) + timedelta(days=1))
        return start, end
    day = date.fromisoformat(value)
    return _midnight(day), _midnight(day + timedelta(days=1))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


_READERS: dict[str, Reader] = {
    "is": _is,
    "severity": _severity,
    "tag": _named("tags", "tag", lower=True),
    "company": _named("companies", "company"),
    "category": _named("categories", "category"),
    "owner": _me("owner_me", "owner"),
    "involves": _me("involves_me", "involves"),
    "created": _created,
}
