"""What search does for the site: parse and answer queries, similar questions, deflection
counting, snippets, and the documents and updates that keep the index true."""
