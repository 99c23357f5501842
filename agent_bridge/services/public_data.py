"""The warning before private data is posted in public: a question, answer or edit
whose text contains an IBAN, phone number, e-mail address or customer number is
refused until the writer confirms, and the asker is offered to send it privately
to the support team instead.

One ``write.check`` hook of the core (see ``community/hooks.py``), so the forms and
the API behave the same whichever endpoint saves the text. Browsers get the warning
page; API clients a 422 ``public_data`` naming the fields, and confirm with
``"public_data_ok": true``.
"""
from flask import render_template, request
from flask_babel import lazy_gettext as _l

from community.errors import NeedsConfirmation
from community.forms import ActionForm

from . import privacy

CONFIRM = "public_data"
CONFIRM_FIELD = f"{CONFIRM}_ok"


def check_write(write):
    """The ``write.check`` hook: official replies (staff) and confirmed writes pass."""
    if write.official or CONFIRM in write.confirmed:
        return
    found = privacy.public_data_in(write.texts)
    if not found:
        return
    kinds = privacy.kinds_of(found)
    labels = ", ".join(str(privacy.KINDS[kind]) for kind in kinds)
    raise NeedsConfirmation(
        _l("The text seems to contain private data (%(kinds)s), and everyone can read this "
           "community. Send it again with \"public_data_ok\": true to post it anyway.",
           kinds=labels),
        confirm=CONFIRM, code="public_data", details={"kinds": kinds},
        fields={name: _l("Contains %(kinds)s.", kinds=", ".join(
            str(privacy.KINDS[kind]) for kind in found_kinds))
            for name, found_kinds in found.items()},
        page=lambda: _warning_page(write, found))


def _warning_page(write, found):
    """What a browser sees instead of the saved post: the kinds found, "send it
    privately" (for the asker), "edit my text" and "post it publicly anyway"."""
    fields = [(k, v) for k, v in request.form.items(multi=True)
              if k not in ("csrf_token", "submit", "preview")]
    private_text = "\n\n".join(write.texts[name] for name in write.texts if name in found)
    thread = write.thread
    return render_template(
        "agent_bridge/public_data_warning.html",
        found=[privacy.KINDS[k] for k in privacy.kinds_of(found)],
        fields=fields, action=request.path, thread=thread, confirm_field=CONFIRM_FIELD,
        may_send_privately=thread is not None and thread.author_id == write.user.id,
        body=private_text, form=ActionForm())
