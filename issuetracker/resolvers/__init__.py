"""THE logic, by domain: every read and write, validation, permissions and events. It knows
no transport: the faces (schema/, rest/, pages/) call it with a request scope."""
