"""The core API's views, by topic: sign-in and tokens, set-up, users and roles, logs."""
