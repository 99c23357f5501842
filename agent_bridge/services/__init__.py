"""The agent bridge's business rules: escalation and its rules, tickets, assignment,
the desk's queue, private details, the public-data check, the dashboard's figures.
Views, the API, receivers and jobs call these; they flush and never commit."""
