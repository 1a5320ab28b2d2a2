"""What every domain shares: errors, the actor and the request scope, ids, pagination,
validation, and the rules of who may see and do what."""
