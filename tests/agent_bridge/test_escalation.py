"""Escalation: the sweep's windows, urgent terms, business hours, idempotency, cost."""
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from agent_bridge.services import tickets
from agent_bridge.services.calendar import deadline, easter, german_holidays
from agent_bridge.models import Ticket, Watch
from community import clock, outbox
from community.services import threads
from community.extensions import db
from tests.conftest import csrf_token

from .conftest import thread_path


def ticket_of(thread):
    db.session.expire_all()
    return db.session.scalar(select(Ticket).where(Ticket.thread_id == thread.id))


def test_a_question_without_any_reply_becomes_a_ticket_after_four_hours(
        make_thread, sweep, customer):
    thread = make_thread(author=customer)
    clock.travel(timedelta(hours=3, minutes=59))
    assert sweep() == []
    clock.travel(timedelta(minutes=2))
    [ticket] = sweep()
    assert (ticket.thread_id, ticket.reason, ticket.priority, ticket.status) == (
        thread.id, "no_reply", "normal", "new")
    assert ticket.due_at == ticket.created_at + timedelta(hours=24)
    assert sweep() == [] and sweep() == []  # idempotent
    assert db.session.scalar(select(func.count(Ticket.id))) == 1


def test_community_replies_without_answer_or_staff_escalate_after_twelve_hours(
        make_thread, make_reply, sweep, customer):
    thread = make_thread(author=customer)
    make_reply(thread)  # a member answered, but nothing solved it
    clock.travel(timedelta(hours=11, minutes=59))
    assert sweep() == []
    clock.travel(timedelta(minutes=2))
    [ticket] = sweep()
    assert ticket.reason == "no_answer"


def test_staff_replies_and_accepted_answers_keep_threads_out_of_the_queue(
        make_thread, make_reply, sweep, customer, moderator):
    helped = make_thread(author=customer)
    make_reply(helped, author=moderator)
    solved = make_thread(author=customer)
    answer = make_reply(solved)
    threads.accept_answer(customer, answer)
    db.session.commit()
    closed = make_thread(author=customer)
    threads.set_thread_status(moderator, closed, "closed")
    db.session.commit()
    clock.travel(timedelta(days=3))
    assert sweep() == []
    assert db.session.scalar(select(func.count()).select_from(Watch)) == 0


def test_an_unaccepted_answer_puts_the_thread_back_on_watch(make_thread, make_reply, sweep,
                                                            customer):
    thread = make_thread(author=customer)
    answer = make_reply(thread)
    threads.accept_answer(customer, answer)
    db.session.commit()
    threads.remove_accepted_answer(customer, thread)
    db.session.commit()
    clock.travel(timedelta(hours=13))
    assert [t.thread_id for t in sweep()] == [thread.id]


def test_urgent_terms_escalate_at_once_in_german_and_english(make_thread, customer):
    german = make_thread(author=customer, title="Wie kann ich meinen Vertrag kuendigen?")
    english = make_thread(author=customer, title="Is there an outage in Berlin today?")
    calm = make_thread(author=customer, title="Which router works best with fibre?")
    for thread, term in ((german, "kündig"), (english, "outage")):
        ticket = ticket_of(thread)
        assert (ticket.reason, ticket.priority, ticket.reason_detail) == (
            "urgent_terms", "urgent", term)
        assert ticket.due_at == ticket.created_at + timedelta(hours=1)
    assert ticket_of(calm) is None


def test_one_ticket_per_thread_whoever_escalates(make_thread, sweep, customer, moderator, agent):
    thread = make_thread(author=customer)
    first, created = tickets.open_ticket(thread, "moderator", actor=moderator,
                                         source="moderation")
    second, created_again = tickets.open_ticket(thread, "agent", actor=agent, source="desk")
    db.session.commit()
    clock.travel(timedelta(days=1))
    assert sweep() == []
    assert (created, created_again, first.id) == (True, False, second.id)
    assert db.session.scalar(select(func.count(Ticket.id))) == 1
    kinds = [e.kind for e in tickets.timeline(first)]
    assert kinds == ["created", "escalated_again"]


def test_moderation_escalation_event_opens_the_ticket(app, browser, make_thread, customer,
                                                      moderator):
    thread = make_thread(author=customer)
    page = browser(moderator).get(f"/mod/threads/{thread.id}")
    form = page.forms["escalate-form"]
    form["escalate-reason"] = "Customer waits for a refund"
    form["escalate-urgent"] = True
    form.submit().follow()
    ticket = ticket_of(thread)
    assert (ticket.reason, ticket.priority, ticket.reason_detail) == (
        "moderator", "urgent", "Customer waits for a refund")


def test_category_rules_change_the_windows(app, browser, make_category, make_thread, sweep,
                                           admin, customer):
    slow = make_category(name="Billing")
    page = browser(admin).get("/desk/admin/rules")
    form = page.forms[f"rule-form-{slow.id}"]
    assert form[f"rule-{slow.id}-no_reply_after_hours"].value == "4"
    form[f"rule-{slow.id}-no_reply_after_hours"] = "48"
    form[f"rule-{slow.id}-escalate_after_hours"] = "72"
    page = form.submit().follow()
    assert "The rule of Billing is saved." in page.text
    thread = make_thread(author=customer, category=slow)
    other = make_thread(author=customer)
    clock.travel(timedelta(hours=5))
    assert [t.thread_id for t in sweep()] == [other.id]
    clock.travel(timedelta(hours=44))
    assert [t.thread_id for t in sweep()] == [thread.id]


def test_a_switched_off_rule_escalates_only_urgent_terms(app, browser, make_category,
                                                         make_thread, sweep, admin, customer):
    quiet = make_category(name="Smalltalk")
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{quiet.id}"]
    form[f"rule-{quiet.id}-enabled"] = False
    form.submit().follow()
    make_thread(author=customer, category=quiet)
    clock.travel(timedelta(days=5))
    assert sweep() == []


def test_rule_form_errors_stay_next_to_the_field(app, browser, make_category, admin):
    category = make_category()
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    form[f"rule-{category.id}-ask_mode"] = "after"
    page = form.submit(status=422)
    assert "Please give the delay in hours." in page.text
    form = page.forms[f"rule-form-{category.id}"]
    assert form[f"rule-{category.id}-ask_mode"].value == "after"
    form[f"rule-{category.id}-ask_after_hours"] = "3"
    form[f"rule-{category.id}-no_reply_after_hours"] = "0"
    page = form.submit(status=422)
    assert "Number must be between 1 and 1440." in page.text
    assert page.forms[f"rule-form-{category.id}"][f"rule-{category.id}-ask_after_hours"].value == "3"


def test_business_hours_and_german_holidays(app):
    assert easter(2026) == date(2026, 4, 5)
    assert {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25),
            date(2026, 10, 3)} <= german_holidays(2026)
    hours = (datetime(2000, 1, 1, 9).time(), datetime(2000, 1, 1, 17).time())
    # Friday 16:00 Berlin (15:00 UTC, winter) + 4 business hours = Monday 12:00 Berlin.
    friday = datetime(2026, 1, 16, 15, 0)
    assert deadline(friday, timedelta(hours=4), business_hours=hours,
                    tz="Europe/Berlin") == datetime(2026, 1, 19, 11, 0)
    # Maundy Thursday 16:00 Berlin (summer time) + 4 h: one hour that day, then Good
    # Friday, the weekend and Easter Monday are skipped: Tuesday 12:00 Berlin.
    thursday = datetime(2026, 4, 2, 14, 0)
    assert deadline(thursday, timedelta(hours=4), business_hours=hours, holidays="de",
                    tz="Europe/Berlin") == datetime(2026, 4, 7, 10, 0)
    assert deadline(thursday, timedelta(hours=4)) == datetime(2026, 4, 2, 18, 0)


def test_business_hours_rule_is_applied_by_the_sweep(app, browser, make_category, make_thread,
                                                     sweep, admin, customer):
    category = make_category(name="Contracts")
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    form[f"rule-{category.id}-business_hours"] = True
    form[f"rule-{category.id}-holidays"] = "de"
    form.submit().follow()
    clock.freeze(datetime(2026, 4, 2, 14, 0))  # Maundy Thursday, 16:00 in Berlin
    thread = make_thread(author=customer, category=category)
    clock.freeze(datetime(2026, 4, 6, 20, 0))  # Easter Monday evening: 1 business hour so far
    assert sweep() == []
    clock.freeze(datetime(2026, 4, 7, 9, 59))  # Tuesday 11:59 Berlin: not yet 4 hours
    assert sweep() == []
    clock.freeze(datetime(2026, 4, 7, 10, 1))  # Tuesday 12:01 Berlin
    assert [t.thread_id for t in sweep()] == [thread.id]


def test_the_sweep_runs_in_the_worker_every_minute_and_on_the_command_line(
        app, make_thread, customer, caplog):
    caplog.set_level("INFO", logger="agent_bridge")
    thread = make_thread(author=customer)
    clock.travel(timedelta(hours=5))
    outbox.run_periodic(force=True)
    assert ticket_of(thread).reason == "no_reply"
    assert outbox.periodic_jobs()["agent_bridge.sweep"].every == timedelta(minutes=1)
    other = make_thread(author=customer)
    clock.travel(timedelta(hours=5))
    result = app.test_cli_runner().invoke(args=["bridge", "sweep"])
    assert result.exit_code == 0, result.output
    assert f"thread {other.id} (no_reply)" in result.output
    assert "1 threads escalated." in result.output
    assert app.test_cli_runner().invoke(args=["bridge", "sweep"]).output == \
        "0 threads escalated.\n"
    assert any(f"sweep escalated thread {other.id}" in r.getMessage() for r in caplog.records)


def test_the_sweep_reads_only_unresolved_threads(app, make_thread, make_reply, sweep, customer,
                                                 count_queries):
    waiting = [make_thread(author=customer) for _ in range(3)]

    def queries():
        with count_queries() as counter:
            sweep()
        return counter.count
    before = queries()
    for _ in range(15):
        solved = make_thread(author=customer)
        threads.accept_answer(customer, make_reply(solved))
        db.session.commit()
    assert queries() == before
    assert db.session.scalar(select(func.count()).select_from(Watch)) == len(waiting)


def test_the_asker_may_ask_the_support_team_after_the_category_delay(
        app, browser, make_category, make_thread, admin, customer):
    category = make_category(name="Internet")
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    form[f"rule-{category.id}-ask_mode"] = "after"
    form[f"rule-{category.id}-ask_after_hours"] = "2"
    form.submit().follow()
    thread = make_thread(author=customer, category=category)
    asker = browser(customer)
    assert "ask-support-form" not in asker.get(thread_path(thread)).text
    clock.travel(timedelta(hours=2))
    page = asker.get(thread_path(thread))
    page = page.forms["ask-support-form"].submit().follow()
    assert "The support team has your question" in page.text
    assert "Passed to the support team" in page.text
    assert "ask-support-form" not in page.text
    assert ticket_of(thread).reason == "asker"
    assert "ask-support-form" not in browser().get(thread_path(thread)).text


def test_the_asker_cannot_ask_where_the_category_does_not_allow_it(
        app, browser, make_category, make_thread, admin, customer):
    category = make_category(name="Offtopic")
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    form[f"rule-{category.id}-ask_mode"] = "never"
    form.submit().follow()
    thread = make_thread(author=customer, category=category)
    asker = browser(customer)
    page = asker.get(thread_path(thread))
    assert "ask-support-form" not in page.text
    token = csrf_token(asker, thread_path(thread))
    asker.post(f"/t/{thread.id}/support", {"csrf_token": token}, status=403)
    assert ticket_of(thread) is None


def test_admins_add_and_remove_urgent_terms(app, browser, make_thread, admin, customer):
    manage = browser(admin)
    page = manage.get("/desk/admin/terms")
    assert "kündig" in page.html.find(id="terms-de").text
    form = page.forms["term-form"]
    form["language"], form["term"] = "de", "Rufnummernmitnahme"
    page = form.submit().follow()
    assert "Term added." in page.text
    form = page.forms["term-form"]
    form["language"], form["term"] = "en", "outage"
    page = form.submit(status=422)
    assert "This term is already on the list." in page.text
    assert page.forms["term-form"]["term"].value == "outage"
    thread = make_thread(author=customer, title="Wie lange dauert die Rufnummernmitnahme?")
    assert ticket_of(thread).reason_detail == "rufnummernmitnahme"
    page = manage.get("/desk/admin/terms")
    [remove] = [f for f in page.forms.values() if f.action.endswith("/remove")]
    assert "Term removed." in remove.submit().follow().text
    later = make_thread(author=customer, title="Noch eine Frage zur Rufnummernmitnahme")
    assert ticket_of(later) is None
