"""Small text helpers shared by services: slugs and tag names."""
import re
import unicodedata

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                           "ß": "ss", "ẞ": "SS"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text, max_length=80):
    """ASCII slug for URLs: "Kündigung später?" -> "kuendigung-spaeter"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "thread"


_TAG_CHARS = re.compile(r"[^\w\-+.#]+", re.UNICODE)


def normalize_tag(name):
    """Tags are lowercase words; spaces become dashes."""
    name = unicodedata.normalize("NFC", (name or "").strip().lower())
    return _TAG_CHARS.sub("-", name).strip("-.")[:40]
