"""Clerk accounts: Argon2id passwords, roles, the sensitive-information permission, sign-in and
lockout (the accounts-and-keys issue). ``roles`` holds what every front end checks."""
