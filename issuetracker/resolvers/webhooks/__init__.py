"""Users' webhooks and what was delivered to them."""
