"""Moderation's business rules. Like the core's services they flush but never
commit: the caller commits once, so the change, its audit entry and its notices
land together or not at all."""
from community.errors import ValidationError


def invalid(field, message):
    """A ValidationError whose message also stands next to ``field`` in the form."""
    return ValidationError(message, fields={field: message})
