"""An issue tracker server, GraphQL first, with two REST compatibility faces."""
