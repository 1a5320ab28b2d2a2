"""Live updates: changes to issues announced when they commit, fanned out to the subscribers
of every process, each checked against the subscriber's rights as it is now."""
