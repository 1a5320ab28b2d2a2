"""The ConnectNow Issue Tracker API under /api (see shared/seeds/000_*.txt)."""
