"""People: accounts with one role each, and API tokens for scripts."""
