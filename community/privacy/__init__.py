"""Data protection in the core: export, erasure and redaction of every copy, retention,
the legal pages and the record of processing activities (docs/privacy.md). ``setup``
wires them into an app; the rules shared with the features are in
``community/services/privacy.py``."""
