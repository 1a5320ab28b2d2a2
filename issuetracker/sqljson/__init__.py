"""SQL that builds JSON text, for PostgreSQL and SQLite alike.

Reads that are answered in one statement (the compiled GraphQL read path, the REST lists) build
their JSON inside the database with these pieces. The JSON is compact and never escapes
non-ASCII characters, the same bytes on both databases."""
