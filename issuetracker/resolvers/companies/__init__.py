"""Companies, their members and their categories."""
