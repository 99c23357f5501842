"""Connector ``request_tracker``: Request Tracker 5 through its REST 2 API.

Out (outbox): an escalated thread becomes an RT ticket in ``FORUM_RT_QUEUE`` (its id
is stored as the ticket's ``external_id``); the customer's replies become
correspondence, private details a comment (never public), solving the ticket in
the forum resolves it in RT. Each carries its event id in its subject, so a retry
after a lost answer finds what the first attempt stored instead of posting it
twice (RT has no idempotency keys). In (the worker's poll): agents' ``Correspond``
transactions on linked tickets become the official reply once, under the RT
user's real name; ``Comment`` stays internal; status changes map back. What the
forum's own RT account did is never posted back.
"""
import json
import logging
from urllib.parse import quote

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.errors import ServiceError
from community.extensions import db
from community.markup import plain_text

from ..models import Ticket
from . import http, inbound
from .base import Connector as _Base
from .base import Health
from .models import ConnectorState

log = logging.getLogger(__name__)

NAME = "request_tracker"
PAGE = 50
MAX_PAGES_PER_POLL = 20

# RT status → forum ticket status. "new" and "stalled" keep the forum's status.
FROM_RT = {"open": "open", "resolved": "solved", "rejected": "closed", "deleted": "closed"}
# Forum ticket status → RT status (sent when the change was made in the forum).
TO_RT = {"open": "open", "solved": "resolved", "closed": "resolved"}


class Connector(_Base):
    name = NAME
    outbound = True
    polls = True

    @property
    def base(self):
        return (self.config.get("RT_URL") or "").rstrip("/")

    @property
    def queue(self):
        return self.config.get("RT_QUEUE") or "General"

    def poll_every(self):
        return int(self.config.get("RT_POLL_SECONDS") or 60)

    def settings_problem(self):
        if not self.base.startswith(("http://", "https://")):
            return "FORUM_RT_URL is not set to an http(s) address"
        if not self.config.get("RT_TOKEN"):
            return "FORUM_RT_TOKEN is missing"
        return None

    # --- REST 2 --------------------------------------------------------------------

    def _call(self, method, path, payload=None, timeout=None):
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Authorization": f"token {self.config['RT_TOKEN']}",
                   "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        answer = http.request(method, f"{self.base}/REST/2.0{path}", body=body, headers=headers,
                              timeout=timeout or self.config["BRIDGE_CONNECTOR_TIMEOUT"])
        return answer.json() if answer.body else None

    def _search(self, collection, query, fields, page=1, per_page=PAGE):
        path = (f"/{collection}?query={quote(query)}&fields={fields}&orderby=id&order=ASC"
                f"&per_page={per_page}&page={page}")
        return self._call("GET", path)["items"]

    # --- out -----------------------------------------------------------------------

    def deliver(self, event):
        self._deliver(event, again=False)

    def redeliver(self, event):
        self._deliver(event, again=True)

    def _deliver(self, event, again):
        problem = self.settings_problem()
        if problem:
            raise RuntimeError(problem)
        ticket = db.session.get(Ticket, event["ticket"]["id"])
        if event["event"] == "created":
            return self._create(ticket, event, again)
        if ticket.external_id is None:
            raise RuntimeError(f"ticket {ticket.id} has no RT ticket yet")
        rt_id = ticket.external_id
        data = event["data"]
        if event["event"] == "customer_replied":
            self._post_once(rt_id, "correspond", event, again,
                            f"{data['post']['body']}\n\n— {event['customer']['name']}, "
                            f"{data['post']['url']}")
        elif event["event"] == "private_detail":
            self._post_once(rt_id, "comment", event, again,
                            f"{_l('Private details from the customer (never public):')}"
                            f"\n\n{data.get('body', '')}")
        elif data.get("kind") == "official_reply":
            # Answered in the forum's own desk: RT keeps the whole conversation.
            self._post_once(rt_id, "correspond", event, again,
                            f"{data['post']['body']}\n\n— {data['agent']['name']}, "
                            f"{data['post']['url']}")
        elif event["event"] == "erasure":
            self._anonymise_requestors(rt_id, event, again)
        elif event["event"] in ("solved", "updated") and data.get("status") in TO_RT:
            # Safe to repeat: RT answers a status it already has with no transaction.
            self._call("PUT", f"/ticket/{rt_id}", {"Status": TO_RT[data["status"]]})

    def _post_once(self, rt_id, kind, event, again, content):
        """Correspondence or comment, named by the event in its subject (the
        ticket's subject shape: thread title and reference)."""
        if again and self._posted(rt_id, event["id"]):
            return  # the earlier attempt arrived; only its answer was lost
        self._call("POST", f"/ticket/{rt_id}/{kind}", {
            "Subject": f"{event['thread']['title'][:180]} [{event['id']}]",
            "Content": str(content), "ContentType": "text/plain"})

    def _anonymise_requestors(self, rt_id, event, again):
        """The customer erased their account (docs/privacy.md): their RT user gets the
        anonymous name and address, a deleted question's subject goes, and a comment
        says why. RT keeps its transactions (its shredder removes them if required).
        Needs the AdminUsers right; repeating it sets the same values again."""
        data, customer = event["data"], event["customer"]
        address = data.get("anonymous_email") or customer["email"]
        for requestor in self._call("GET", f"/ticket/{rt_id}").get("Requestor") or []:
            wanted = {"RealName": customer["name"], "EmailAddress": address, "Name": address}
            answer = self._call("PUT", f"/user/{quote(str(requestor['id']))}", wanted)
            # RT answers 200 with one message per field, a refusal too: read it back.
            now = self._call("GET", f"/user/{quote(address)}")
            if any((now or {}).get(field) != value for field, value in wanted.items()):
                raise http.HelpdeskRejected(
                    f"RT did not anonymise requestor {requestor['id']}: {'; '.join(answer or [])}"
                    " (the forum's RT account needs the AdminUsers right)")
        if data.get("mode") == "delete_posts":
            self._call("PUT", f"/ticket/{rt_id}", {"Subject": event["thread"]["title"][:180]})
        self._post_once(rt_id, "comment", event, again,
                        _l("The customer erased their community account (GDPR Art. 17): "
                           "their requestor record was anonymised here."))

    def _posted(self, rt_id, reference):
        """Whether the forum's account already added the message ``reference`` to the ticket."""
        own = ConnectorState.of(NAME).own_account
        # No "[" in the query: RT 5.0 takes a query containing one for JSON.
        query = (f"ObjectType = 'RT::Ticket' AND ObjectId = {int(rt_id)} AND "
                 f"(Type = 'Correspond' OR Type = 'Comment') AND "
                 f"Subject LIKE '{_quoted(reference)}'"
                 + (f" AND Creator = '{_quoted(own)}'" if own else ""))
        return bool(self._search("transactions", query, "Type", per_page=1))

    def _create(self, ticket, event, again):
        if ticket.external_id:
            return
        reference = f"[{event['id']}]"
        # A retry after a lost answer may find the ticket the first attempt created.
        found = again and self._search("tickets", f"Queue = '{_quoted(self.queue)}' AND "
                                       f"Subject LIKE '{_quoted(reference)}'", "Subject")
        if found:
            rt_id = str(found[0]["id"])
        else:
            thread, customer = event["thread"], event["customer"]
            content = (f"{event['data'].get('question', '')}\n\n"
                       f"— {customer['name']} {_l('in the community')}: {thread['url']}\n"
                       f"{_l('Escalated because:')} {event['ticket']['reason']}"
                       f"{' — ' + event['ticket']['reason_detail'] if event['ticket']['reason_detail'] else ''}")
            created = self._call("POST", "/ticket", {
                "Queue": self.queue, "Subject": f"{thread['title'][:180]} {reference}",
                "Requestor": customer["email"], "ContentType": "text/plain",
                "Content": content})
            rt_id = str(created["id"])
        ticket.external_id = rt_id
        self._remember_start(rt_id)

    def _remember_start(self, rt_id):
        """The first linked ticket fixes who we are in RT and where the poll starts."""
        state = ConnectorState.of(NAME)
        if state.own_account and state.position:
            return
        first = self._call("GET", f"/ticket/{rt_id}/history?fields=Creator&per_page=1")["items"][0]
        state.own_account = state.own_account or first["Creator"]["id"]
        if state.position is None:
            state.position = str(int(first["id"]) - 1)

    # --- in ------------------------------------------------------------------------

    def poll(self):
        state = ConnectorState.of(NAME)
        if state.position is None:
            db.session.commit()
            return  # no ticket was created in RT yet: nothing to look for
        for _ in range(MAX_PAGES_PER_POLL):
            items = self._search(
                "transactions",
                f"id > {int(state.position)} AND TicketQueue = '{_quoted(self.queue)}' AND "
                "(Type = 'Correspond' OR Type = 'Comment' OR Type = 'Status')",
                "Type,Creator,ObjectId,OldValue,NewValue,Field")
            for item in items:
                try:
                    self._apply(item, state.own_account)
                except ServiceError as error:
                    # The forum refuses it for good (say, the thread was deleted): note
                    # it and go on, or one transaction would stop the poll forever.
                    db.session.rollback()
                    log.warning("RT transaction %s not applied: %s", item["id"], error.message)
                    inbound.claim(NAME, f"rt-transaction-{item['id']}", item["Type"][:20].lower(),
                                  None, "ignored", error.message)
                state = ConnectorState.of(NAME)
                state.position = str(max(int(state.position), int(item["id"])))
                db.session.commit()  # each transaction applied and the position moved together
                state = ConnectorState.of(NAME)
            if len(items) < PAGE:
                return

    def _apply(self, item, own_account):
        ticket = db.session.scalar(select(Ticket).where(Ticket.connector == NAME,
                                                        Ticket.external_id == str(item["ObjectId"])))
        creator = item["Creator"]["id"]
        if ticket is None or creator == own_account:
            return  # not one of ours, or the forum's own doing
        external_id = f"rt-transaction-{item['id']}"
        if item["Type"] == "Correspond":
            user = self._call("GET", f"/user/{quote(creator)}")
            inbound.reply(NAME, ticket, external_id, self._content(item["id"]),
                          agent_id=creator, agent_name=user.get("RealName") or user["Name"],
                          agent_email=user.get("EmailAddress"))
        elif item["Type"] == "Status" and item["NewValue"] in FROM_RT \
                and (item["OldValue"], item["NewValue"]) != ("new", "open"):
            # new → open is RT opening the ticket at its first reply (even the forum's
            # own): no decision about the ticket, and it must not reopen a solved one.
            status = FROM_RT[item["NewValue"]]
            if status != ticket.status:
                inbound.status(NAME, ticket, external_id, status,
                               note=f"RT: {item['OldValue']} → {item['NewValue']}")
        else:
            # Comments are the agents' internal notes: they stay in RT.
            inbound.claim(NAME, external_id, item["Type"].lower()[:20], ticket, "ignored",
                          "internal" if item["Type"] == "Comment" else item["NewValue"] or "")

    def _content(self, transaction_id):
        parts = self._call("GET", f"/transaction/{transaction_id}/attachments"
                                  "?fields=ContentType,Content")["items"]
        for kind in ("text/plain", "text/html"):
            for part in parts:
                if part.get("ContentType") == kind and (part.get("Content") or "").strip():
                    text = part["Content"]
                    return text.strip() if kind == "text/plain" else plain_text(text)
        raise http.HelpdeskRejected(f"RT transaction {transaction_id} has no text")

    # --- health --------------------------------------------------------------------

    def health(self):
        problem = self.settings_problem()
        if problem:
            return Health(False, problem)
        try:
            queue = self._call("GET", f"/queue/{quote(self.queue)}", timeout=5)
        except Exception as error:  # noqa: BLE001 - the reason is what the admin needs
            return Health(False, str(error))
        if queue.get("Disabled") in (1, "1"):
            return Health(False, f"queue {self.queue} is disabled")
        return Health(True, f"queue {queue.get('Name', self.queue)} reachable")


def _quoted(value):
    return str(value).replace("\\", "\\\\").replace("'", "\\'")
