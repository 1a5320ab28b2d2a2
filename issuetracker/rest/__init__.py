"""The REST compatibility faces: thin parsers and formatters over `resolvers/`."""
