"""Properties of the one check every text input passes (`Collector`), and of the filters and tags
built on it, over any text: surrogates, NULs, combining marks and characters whose case changes
their length included."""

import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuetracker.resolvers.core.errors import ErrorCode, ValidationFailed
from issuetracker.resolvers.core.validation import EMAIL_LENGTH, Collector, is_plain_address
from issuetracker.resolvers.issues.inputs import (
    MAX_SEARCH_LENGTH,
    TAG_LENGTH,
    IssueFilter,
    clean_tags,
)

ANY_CHARACTER = st.characters(exclude_categories=())
"""Every code point, lone surrogates and NUL among them."""
ANY_TEXT = st.text(ANY_CHARACTER, max_size=80) | st.text(
    st.sampled_from("aé\u0301\u0130\x00\ud800 \t"), max_size=80
)
"""Any text, and text dense with what the check is about: a combining accent, a capital that
lower-cases to two characters, NUL, a lone surrogate, blanks."""
LIMITS = st.integers(min_value=1, max_value=60)


def made(**given: Any) -> IssueFilter | ValidationFailed:
    """The filter, or why it was refused."""
    try:
        return IssueFilter(**given)
    except ValidationFailed as refused:
        return refused


def storable(text: str) -> bool:
    """What every database stores and gives back alike: UTF-8 without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


@settings(max_examples=300)
@given(value=ANY_TEXT, max_length=LIMITS, required=st.booleans())
def test_text_is_refused_or_storable_nfc_within_its_length(
    value: str, max_length: int, required: bool
) -> None:
    check = Collector()

    cleaned = check.text("field", value, max_length=max_length, required=required)

    assert all(error.field == "field" for error in check.errors)
    if not storable(value):
        assert cleaned is None
        assert [error.code for error in check.errors] == [ErrorCode.INVALID]
        return
    assert cleaned is not None
    assert storable(cleaned)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    if not check.errors:
        assert len(cleaned) <= max_length
        assert cleaned or not required


@given(value=ANY_TEXT, max_length=LIMITS)
def test_cleaning_twice_changes_nothing(value: str, max_length: int) -> None:
    once = Collector().text("field", value, max_length=max_length, required=False)

    if once is not None:
        assert Collector().text("field", once, max_length=max_length, required=False) == once


@given(value=ANY_TEXT)
def test_every_normal_form_of_a_text_is_one_text(value: str) -> None:
    forms = {
        form: Collector().text("field", unicodedata.normalize(form, value), max_length=500)
        for form in ("NFC", "NFD")
    }

    assert forms["NFC"] == forms["NFD"]


@given(value=ANY_TEXT, max_length=LIMITS)
def test_a_secret_is_kept_exactly_or_refused(value: str, max_length: int) -> None:
    check = Collector()

    kept = check.secret("password", value, max_length=max_length)

    if storable(value) and len(value) <= max_length:
        assert (kept, check.errors) == (value, [])
    else:
        assert kept is None
        assert [error.field for error in check.errors] == ["password"]


@given(local=ANY_TEXT, domain=st.sampled_from(["example.com", "EXAMPLE.ORG", "x" * 250 + ".io"]))
def test_an_address_is_refused_or_a_plain_lower_case_address_within_its_length(
    local: str, domain: str
) -> None:
    check = Collector()

    address = check.email("email", f"{local}@{domain}")

    if not check.errors:
        assert address is not None
        assert storable(address)
        assert len(address) <= EMAIL_LENGTH
        assert is_plain_address(address)
        assert address == address.lower()


@given(tags=st.lists(ANY_TEXT, max_size=25))
def test_tags_are_refused_or_few_distinct_storable_and_short(tags: list[str]) -> None:
    check = Collector()

    cleaned = clean_tags(check, tags)

    assert cleaned is not None
    assert {error.field for error in check.errors} <= {"tags"}
    if not check.errors:
        assert cleaned == sorted(set(cleaned))
        assert len(cleaned) <= 20
        for tag in cleaned:
            assert tag
            assert storable(tag)
            assert len(tag) <= TAG_LENGTH
            assert unicodedata.is_normalized("NFC", tag)


@given(search=st.none() | ANY_TEXT | st.text(max_size=300), tag=st.none() | ANY_TEXT)
def test_a_filter_is_refused_naming_its_fields_or_holds_storable_text(
    search: str | None, tag: str | None
) -> None:
    wanted = made(search=search, tag=tag)

    if isinstance(wanted, ValidationFailed):
        assert wanted.errors
        assert {error.field for error in wanted.errors} <= {"search", "tag"}
        return
    for text, limit in ((wanted.search, MAX_SEARCH_LENGTH), (wanted.tag, TAG_LENGTH)):
        if text is not None:
            assert storable(text)
            assert len(text) <= limit


@given(
    moment=st.datetimes(
        timezones=st.sampled_from(
            [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14))]
        )
    ),
    field=st.sampled_from(["created_after", "created_before"]),
)
def test_a_filter_time_is_refused_as_out_of_range_or_held_in_utc(
    moment: datetime, field: str
) -> None:
    wanted = made(**{field: moment})

    if isinstance(wanted, ValidationFailed):
        assert [(error.field, error.code) for error in wanted.errors] == [
            (field, ErrorCode.OUT_OF_RANGE)
        ]
        return
    held = getattr(wanted, field)
    assert held == moment
    assert held.tzinfo in (None, UTC)


@pytest.mark.parametrize(
    ("moment", "refused"),
    [
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), True),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-14))), True),
        (datetime(1, 1, 1, 14, tzinfo=timezone(timedelta(hours=14))), False),
        (datetime(1, 1, 1), False),
    ],
)
def test_the_edges_of_the_range(moment: datetime, refused: bool) -> None:
    if refused:
        with pytest.raises(ValidationFailed):
            IssueFilter(created_after=moment)
    else:
        assert IssueFilter(created_after=moment).created_after == moment
