"""The compiled read path: a validated query's root fields become one SQL statement each, whose
result is the field's JSON, built by the database. The rules are the ones the executor's path
uses (visibility and field rules from `resolvers/`, read as SQL). A lookup that finds nothing is
null with NOT_FOUND, as the executor answers it (`missing`); the root fields not covered, and any
whose arguments would be refused, go through Strawberry's executor, once, and the two answers
(errors too) are merged into one response (`executed`).

- `documents`: parsing and validating once per document, with the executor's limits.
- `selections`: the fields a query asks for, with fragments and directives applied.
- `statements`: building a statement and binding each request's values to it.
- `fields`, `types/`, `connections`, `roots`: the SQL of a field of each kind, of each type's
  fields (by domain, with which fields the executor answers: `EXECUTOR_ONLY`), of Relay
  connections (on the logic's keyset window; their cursors in `cursors`), and of the root
  fields (the lists' in `list_roots`, the issue list the logic's `listing`).
- `answering`: answering a request: the plans, the statements, the fallback and the response.
"""

from . import types as types  # defines the compiled types (in `fields.TYPES`)
