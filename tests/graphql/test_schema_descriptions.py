"""Every part of the GraphQL schema a client can use says what it is (issue 12, point 7).

The schema is read as a client reads it, by introspecting the running app over HTTP, and is
held to these rules:

1. Every type, field, argument, input field and enum value has a description, deprecated
   ones included. Exempt are the introspection types (`__*`) and the five scalars of the
   GraphQL spec (`String`, `Int`, `Float`, `Boolean`, `ID`), which the spec describes.
2. A description is written as sentences: it ends with a full stop (or `?` / `!`).
3. A description of a type, field, argument or input field says something beyond its name:
   at least three words ("The issue's name." is enough). An enum value may be shorter, as
   its name often says most of it.

What a description should say (units, defaults, who may see it, what null means, the order
of a list, limits) cannot be checked by a program; reviewers check that. `graphql-schema-linter`
can also be run over `schema.graphql` as an extra (see `.graphql-schema-linterrc`); this test is
the gate.
"""

from collections.abc import Iterator
from typing import Any, NamedTuple

from ..support import Api

SCHEMA = """
{
  __schema {
    types {
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args(includeDeprecated: true) { name description }
      }
      inputFields(includeDeprecated: true) { name description }
      enumValues(includeDeprecated: true) { name description }
    }
  }
}
"""

SPEC_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
MIN_WORDS = 3
SENTENCE_ENDS = (".", "?", "!")


class Element(NamedTuple):
    path: str
    """Where it is, e.g. `Query.issues(first:)` or `Severity.CRITICAL`."""
    description: str | None
    is_enum_value: bool = False


def elements(schema: dict[str, Any]) -> Iterator[Element]:
    """Every element of the schema that rule 1 covers."""
    for type_ in schema["types"]:
        name = type_["name"]
        if name.startswith("__") or name in SPEC_SCALARS:
            continue
        yield Element(name, type_["description"])
        for field in type_["fields"] or []:
            yield Element(f"{name}.{field['name']}", field["description"])
            for argument in field["args"]:
                path = f"{name}.{field['name']}({argument['name']}:)"
                yield Element(path, argument["description"])
        for field in type_["inputFields"] or []:
            yield Element(f"{name}.{field['name']}", field["description"])
        for value in type_["enumValues"] or []:
            yield Element(f"{name}.{value['name']}", value["description"], is_enum_value=True)


async def _schema_elements(api: Api) -> list[Element]:
    data = await api.data(SCHEMA)
    found = list(elements(data["__schema"]))
    paths = {element.path for element in found}
    # The walk reaches every kind of element (else the rules below would hold vacuously).
    assert {
        "Issue",
        "Issue.name",
        "Query.issues(first:)",
        "CreateIssueInput.name",
        "Severity.CRITICAL",
    } <= paths
    return found


def _listed(problems: list[str]) -> str:
    return f"{len(problems)} schema elements break the rule:\n  " + "\n  ".join(problems)


async def test_every_type_field_argument_input_field_and_enum_value_is_described(
    api: Api,
) -> None:
    found = await _schema_elements(api)

    undescribed = [element.path for element in found if not (element.description or "").strip()]

    assert undescribed == [], _listed(undescribed)


async def test_descriptions_are_sentences(api: Api) -> None:
    found = await _schema_elements(api)

    unfinished = [
        f"{element.path}: {element.description!r}"
        for element in found
        if element.description and not element.description.rstrip().endswith(SENTENCE_ENDS)
    ]

    assert unfinished == [], _listed(unfinished)


async def test_descriptions_say_more_than_a_name(api: Api) -> None:
    found = await _schema_elements(api)

    too_short = [
        f"{element.path}: {element.description!r}"
        for element in found
        if element.description
        and not element.is_enum_value
        and len(element.description.split()) < MIN_WORDS
    ]

    assert too_short == [], _listed(too_short)
