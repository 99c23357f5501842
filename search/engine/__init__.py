"""The search engine underneath the services: text analysis, the Whoosh index and its
writer, reading and ranking, and rebuilding from the database."""
