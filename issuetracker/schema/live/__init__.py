"""Live subscriptions, multiplexed (Hasura's way): subscribers of the same document and
variables form a group; for each change a group is answered by one statement through the
compiled read path, for all its viewers at once when the answer does not depend on who reads
it (else once a viewer), with each subscriber's rights checked in that statement; the answer
is serialised once and the same text goes to every socket of the group.

- `plans`: what a subscription document asks, compiled into those statements.
- `fallback`: the executor's answer, a viewer at a time, for what the compiled path leaves.
- `hub`: groups and subscribers, and each change's way to them.
- `sinks`: a subscriber's socket or stream, written to without waiting on a slow reader.
"""
