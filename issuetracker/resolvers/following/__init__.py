"""Following issues and categories by e-mail."""
