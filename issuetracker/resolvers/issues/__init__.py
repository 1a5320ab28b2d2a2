"""Issues: reading, writing, taking part, parts, uploads, search and who hears of changes."""
