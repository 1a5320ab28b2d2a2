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

Adding a read field to a type compiled here:

1. The rule, if it has one. A plain column has none; a relation, or who is shown a value, is
   written once in `resolvers/<domain>/relations.py` (a `Relation`, or a function of a row's
   alias giving SQL), where the executor's batches and both REST dialects read it too.
2. The executor's field: on the Strawberry type in `schema/<domain>/types.py`, a relation read
   through a batch in `resolvers/<domain>/batches.py` (built on the relation) behind a
   DataLoader in `schema/loaders.py`.
3. Its compiled form: an entry in `types/<domain>.py` (`column`, `expression`, `to_one`,
   `to_many`, `connection_of` over the relation), or a line in `types.EXECUTOR_ONLY` saying
   why the executor answers it. A test fails while a field has neither.
4. A test asking for it: every query the suite sends is also run on both paths by the
   differential test (`tests/graphql/test_compiled_reads.py`), byte for byte.
5. The REST dialects only where their documents have the key: `rest/kinetic/issue_sql.py`
   beside its reference `formats.issue_json`, `rest/connectnow/issue_sql.py` beside its
   formats.
6. `make schema`.
"""

from . import types as types  # defines the compiled types (in `fields.TYPES`)
