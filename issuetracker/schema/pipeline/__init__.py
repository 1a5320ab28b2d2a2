"""One way into GraphQL for every transport (JSON POST, GET, multipart uploads, server-sent
events, `multipart/mixed` and WebSocket `subscribe` frames): find the document, sent or
persisted; validate it; apply introspection control, persisted-only mode, the transport's own
rules, page sizes and the cost limit, then the client's hourly budget; then answer it, compiled
or executed. A transport only reads its requests and writes its answers.

- `requests`: a GraphQL request as every transport hands it over.
- `refusals`: the answers a request can meet before any of it runs.
- `persisted`: documents named by their hash.
- `cost`, `introspection_cost`: what a request costs before it runs; `actual_cost`: what its
  answer really cost.
- `rate_limits`: what a request spent of its client's budget, as headers and `throttleStatus`.
- `checks`: the checks, in order.
- `execution`: answering a checked request: compiled, executed, or as a stream of events.
"""
