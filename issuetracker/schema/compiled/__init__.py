"""The compiled read path: a validated query's root fields become one SQL statement each, whose
result is the field's JSON, built by the database. The rules are the ones the executor's path
uses (visibility and field rules from `resolvers/`, read as SQL); anything not covered, and any
request whose answer would be an error, goes through Strawberry's executor instead, and the two
answers are merged into one response.

- `documents`: parsing and validating once per document, with the executor's limits.
- `selections`: the fields a query asks for, with fragments and directives applied.
- `statements`: building a statement and binding each request's values to it.
- `fields`, `types/`, `connections`, `roots`: the SQL of a field of each kind, of each type's
  fields (by domain, with which fields the executor answers: `EXECUTOR_ONLY`), of Relay
  connections, and of the root fields.
- `endpoint`: answering a request: the plans, the statements, the fallback and the response.
"""

from . import types as types  # defines the compiled types (in `fields.TYPES`)
