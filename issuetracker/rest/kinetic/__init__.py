"""The Kinetic Response v1 dialect, under /api/v1."""
