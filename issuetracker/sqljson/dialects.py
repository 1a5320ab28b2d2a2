"""The pieces of JSON-building SQL, spelled for each database.

Every method returns an SQL expression whose value is JSON text; none is ever NULL unless its
input is, and `nullable` turns a NULL into `null`. Expressions join with `||`."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def json_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def json_object(pairs: Sequence[tuple[str, str]]) -> str:
    """`{"key":value,...}` from JSON-valued SQL expressions."""
    if not pairs:
        return "'{}'"
    parts = []
    for position, (key, value) in enumerate(pairs):
        opening = "{" if position == 0 else ","
        parts.append(literal(f"{opening}{json_key(key)}:"))
        parts.append(value)
    return "(" + " || ".join(parts) + " || '}')"


def nullable(json_value: str) -> str:
    return f"coalesce({json_value}, 'null')"


@dataclass(frozen=True)
class Dialect:
    name: str

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"

    def param(self, number: int) -> str:
        """The `number`th parameter (1-based); the same number may be used again."""
        return f"${number}" if self.is_postgres else f"?{number}"

    def int_param(self, number: int) -> str:
        return f"{self.param(number)}::int" if self.is_postgres else self.param(number)

    def in_int_list(self, column: str, number: int) -> str:
        """`column` is one of a list parameter's integers (sent as `int_list`)."""
        if self.is_postgres:
            return f"{column} = ANY({self.param(number)}::int[])"
        return f"{column} IN (SELECT value FROM json_each({self.param(number)}))"

    def datetime_value(self, moment: datetime) -> object:
        """A time as a parameter compared with stored times (SQLite stores text)."""
        return moment if self.is_postgres else moment.isoformat(" ")

    def id_list_rows(self, number: int) -> tuple[str, str, str]:
        """The rows of an integer list parameter, in its order, with the alias `k`:
        (FROM clause, the id, its position)."""
        if self.is_postgres:
            return (
                f"unnest({self.param(number)}::int[]) WITH ORDINALITY AS k(id, ord)",
                "k.id",
                "k.ord",
            )
        return f"json_each({self.param(number)}) AS k", "k.value", "k.key"

    def int_list(self, values: Sequence[int]) -> object:
        """A list of integers as a parameter value."""
        return list(values) if self.is_postgres else json.dumps(list(values))

    def text(self, expression: str) -> str:
        if self.is_postgres:
            return f"to_json(({expression})::text)::text"
        return f"json_quote({expression})"

    def integer(self, expression: str) -> str:
        return f"({expression})::text" if self.is_postgres else f"CAST({expression} AS TEXT)"

    def boolean(self, expression: str) -> str:
        return f"CASE WHEN {expression} THEN 'true' WHEN NOT {expression} THEN 'false' END"

    def datetime(self, expression: str) -> str:
        """ISO 8601 in UTC, as Python's `isoformat()` writes it (no fraction when zero)."""
        if self.is_postgres:
            text = (
                f"replace(to_char(({expression}) AT TIME ZONE 'UTC',"
                " 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '')"
            )
            return f"('\"' || {text} || '+00:00\"')"
        return f"json_quote(it_datetime({expression}))"

    def rails_time(self, expression: str, zone: str) -> str:
        """Rails' time in the time zone `zone` (SQL): milliseconds, and `Z` for a zero offset."""
        if not self.is_postgres:
            return f"json_quote(it_kinetic_time({expression}, {zone}))"
        local = f"(({expression}) AT TIME ZONE {zone})"
        offset = f"({local} - (({expression}) AT TIME ZONE 'UTC'))"
        sign = (
            f"CASE WHEN {offset} = interval '0' THEN 'Z'"
            f" WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI')"
            f" ELSE '+' || to_char({offset}, 'HH24:MI') END"
        )
        text = f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') || {sign}"
        return f"('\"' || {text} || '\"')"

    def laravel_time(self, expression: str) -> str:
        """Laravel's `2021-04-26T22:25:35.000000Z`."""
        if self.is_postgres:
            text = (
                f"to_char(({expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            )
            return f"('\"' || {text} || '\"')"
        return f"json_quote(it_laravel_time({expression}))"

    def sortable_time(self, expression: str) -> str:
        """SQL text of a stored time that sorts as the times do: SQLite's stored fixed-form
        text; PostgreSQL's, to the microsecond in UTC."""
        if not self.is_postgres:
            return expression
        return f"to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"

    def date(self, expression: str) -> str:
        if self.is_postgres:
            return f"('\"' || to_char({expression}, 'YYYY-MM-DD') || '\"')"
        return f"json_quote({expression})"

    def uuid(self, expression: str) -> str:
        if self.is_postgres:
            return f"('\"' || ({expression})::text || '\"')"
        return f"json_quote(lower({expression}))"

    def as_uuid(self, expression: str) -> str:
        """A text parameter compared with a UUID column (SQLite stores them as text)."""
        return f"{expression}::uuid" if self.is_postgres else expression

    def uuid_text(self, expression: str) -> str:
        """A UUID as SQL text (not JSON), lower-case."""
        return f"({expression})::text" if self.is_postgres else f"lower({expression})"

    def char(self, code: int) -> str:
        """SQL text of the one character `code`."""
        return f"chr({int(code)})" if self.is_postgres else f"char({int(code)})"

    def enum_name(self, expression: str) -> str:
        """Enum values are stored lower-case; their names are the same upper-case."""
        return f"('\"' || upper({expression}) || '\"')"

    def base64_id(self, prefix: str, expression: str) -> str:
        """URL-safe base64 without padding of `prefix:id`, as a JSON string (a Relay global id
        or a cursor)."""
        if self.is_postgres:
            encoded = (
                f"translate(encode(convert_to({literal(prefix + ':')} || ({expression}),"
                " 'UTF8'), 'base64'), E'+/=\\n', '-_')"
            )
            return f"('\"' || {encoded} || '\"')"
        return f"json_quote(it_base64_id({literal(prefix)}, {expression}))"

    def concat(self, value: str, order: str) -> str:
        """The aggregate joining JSON values with commas, in `order`. On SQLite the rows must
        arrive in that order (from an ordered subquery), since its aggregate cannot sort."""
        if self.is_postgres:
            return f"string_agg({value}, ',' ORDER BY {order})"
        return f"group_concat({value}, ',')"

    def in_concat_order(self, rows: str, order: str) -> str:
        """The statement `rows` with its rows in `order` (on its alias `r`) for `concat` to
        read: SQLite's aggregate joins rows as they arrive; PostgreSQL's sorts them itself."""
        return rows if self.is_postgres else f"SELECT * FROM ({rows}) AS r ORDER BY {order}"

    def padded_rank(self, expression: str) -> str:
        """A row number as four digits, so that numbers sort as text."""
        if self.is_postgres:
            return f"lpad(({expression})::text, 4, '0')"
        return f"printf('%04d', {expression})"

    def position(self, text: str, part: str) -> str:
        """SQL: where `part` first starts in `text`, from 1 (0 when it is not in it)."""
        return f"{'strpos' if self.is_postgres else 'instr'}({text}, {part})"

    def limit(self, expression: str) -> str:
        return f"LIMIT {expression}"

    def least(self, first: str, second: str) -> str:
        return f"least({first}, {second})" if self.is_postgres else f"min({first}, {second})"

    @property
    def stores_times_as_text(self) -> bool:
        """SQLite keeps times as fixed-form text, which sorts as the times do."""
        return not self.is_postgres

    def int_list_ids(self, parameter: str, alias: str) -> tuple[str, str]:
        """The rows of an integer list parameter (`parameter`, sent as `int_list`) under
        `alias`: (FROM clause, the id)."""
        if self.is_postgres:
            return f"unnest({parameter}::int[]) AS {alias}(id)", f"{alias}.id"
        return f"json_each({parameter}) AS {alias}", f"{alias}.value"

    def ids_locked_in_order(self, table: str, ids: str) -> str:
        """The ids of `table`'s rows that `ids` (SQL) selects, for a write to them: PostgreSQL
        locks the rows in id order first, so two such writes never wait on each other
        crosswise; SQLite's one write lock already keeps writes apart."""
        if self.is_postgres:
            return f"SELECT id FROM {table} WHERE id IN ({ids}) ORDER BY id FOR UPDATE"
        return ids


POSTGRES = Dialect("postgres")
SQLITE = Dialect("sqlite")
