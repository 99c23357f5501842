"""The core's business rules: accounts, categories, threads and their moves, listings,
similar threads. Views, the API, the CLI and the features call these; they flush and
never commit (community/commit.py commits once per request)."""
