"""What a client accepts, and so how it is answered: JSON (`application/json`, or
`application/graphql-response+json` with the specification's strict statuses), or a stream
(`text/event-stream` as graphql-sse speaks it, or `multipart/mixed` as Apollo Client's
multipart subscriptions do). Queries and mutations prefer JSON; subscriptions need a stream."""

import functools
from dataclasses import dataclass

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
EVENT_STREAM = "text/event-stream"
MULTIPART_MIXED = "multipart/mixed"
STREAMS = (EVENT_STREAM, MULTIPART_MIXED)
SINGLE_ANSWER_PREFERENCE = (GRAPHQL_RESPONSE, JSON, EVENT_STREAM, MULTIPART_MIXED)
JSON_RANGES = ("application/*", "*/*")


@dataclass(frozen=True)
class Accepted:
    qualities: dict[str, float]
    """Each media type the client accepts, by its quality (above 0)."""
    subscription_spec: bool = False
    """`multipart/mixed;subscriptionSpec=...`: results wrapped as Apollo's protocol has them."""

    @classmethod
    def of(cls, header: str) -> "Accepted":
        """What an `Accept` header asks for. Clients send the same few headers again and
        again: each is read once (the answer is never changed)."""
        return _kept(header) if len(header) <= MAX_HEADER_KEPT else cls.read(header)

    @classmethod
    def read(cls, header: str) -> "Accepted":
        if not header.strip():
            return cls({JSON: 1.0})
        qualities: dict[str, float] = {}
        subscription_spec = False
        for entry in header.split(","):
            media, *parameters = (part.strip() for part in entry.split(";"))
            names = {name.strip().lower() for name, _, _ in (p.partition("=") for p in parameters)}
            media = media.lower()
            known = JSON if media in JSON_RANGES else media
            quality = _quality(parameters)
            if known in SINGLE_ANSWER_PREFERENCE and quality > qualities.get(known, 0.0):
                qualities[known] = quality
                subscription_spec = subscription_spec or (
                    known == MULTIPART_MIXED and "subscriptionspec" in names
                )
        return cls(qualities, subscription_spec)

    @property
    def streams(self) -> bool:
        return any(media in self.qualities for media in STREAMS)

    def for_answer(self, subscription: bool) -> str | None:
        """The media type to answer in; None when the client accepts none that fits."""
        candidates = STREAMS if subscription else SINGLE_ANSWER_PREFERENCE
        accepted = [media for media in candidates if media in self.qualities]
        return max(accepted, key=lambda media: self.qualities[media], default=None)

    @property
    def for_refusal(self) -> str:
        """Refusals are JSON: the strict kind when the client asked for it or for a stream,
        whose clients read a 4xx as a refusal."""
        return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in self.qualities else JSON

    @property
    def strict(self) -> bool:
        return GRAPHQL_RESPONSE in self.qualities or self.streams


MAX_HEADER_KEPT = 256
"""Longer headers are read every time, so no client fills the cache with large ones."""


@functools.lru_cache(maxsize=256)
def _kept(header: str) -> Accepted:
    return Accepted.read(header)


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
