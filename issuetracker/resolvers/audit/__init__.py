"""The audit log: changes that matter to an owner, written in the change's own transaction
(`record`), read by a company's owners and admins and by each user for their own account."""
