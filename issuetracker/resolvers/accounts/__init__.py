"""Accounts: users, sign-up and sign-in, tokens, passwords, limits and the account e-mails."""
