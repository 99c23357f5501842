"""What an operator's Prometheus sees of the agent bridge (issue 13, point 12): the
sweep's duration and last run, escalations by reason and each connector's health, all
read from the database at scrape time, so every host reports the same."""
from datetime import timedelta

from sqlalchemy import select

from community import clock, outbox
from community.extensions import db
from community.models.outbox import PeriodicRun
from tests.conftest import login

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(testapp):
    text = testapp.get("/metrics", extra_environ=LOOPBACK).text
    return dict(line.rsplit(" ", 1) for line in text.splitlines()
                if line and not line.startswith("#"))


def webhook(name):
    return f'{name}{{connector="webhook"}}'


def test_a_sweep_that_escalated_and_a_delivery_that_failed_show_on_metrics(
        testapp, helpdesk, make_thread, customer):
    clock.freeze()
    make_thread(author=customer)           # nobody answers it
    samples = scrape(testapp)
    assert samples['forum_bridge_escalations_total{reason="no_reply"}'] == "0.0"
    assert samples[webhook("forum_bridge_connector_up")] == "1.0"
    assert webhook("forum_bridge_connector_last_success_age_seconds") not in samples

    helpdesk.mode = "down"
    clock.travel(timedelta(hours=5))
    outbox.run_periodic(force=True)        # the worker's sweep escalates it
    outbox.drain()                         # and the helpdesk does not take the ticket
    clock.travel(timedelta(seconds=30))
    samples = scrape(testapp)

    sweep = db.session.scalar(select(PeriodicRun).where(PeriodicRun.name == "agent_bridge.sweep"))
    job = '{job="agent_bridge.sweep"}'
    assert float(samples[f"forum_periodic_job_duration_seconds{job}"]) \
        == sweep.last_duration_seconds >= 0
    assert samples[f"forum_periodic_job_last_run_age_seconds{job}"] == "30.0"
    assert samples[f"forum_periodic_job_last_success_age_seconds{job}"] == "30.0"
    assert samples['forum_bridge_escalations_total{reason="no_reply"}'] == "1.0"
    assert samples['forum_bridge_escalations_total{reason="moderator"}'] == "0.0"
    assert samples[webhook("forum_bridge_connector_up")] == "0.0"
    assert samples[webhook("forum_bridge_connector_deliveries_retrying")] == "1.0"
    assert samples[webhook("forum_bridge_connector_deliveries_failed")] == "0.0"

    # The helpdesk is back: the retry goes through.
    helpdesk.mode = "ok"
    clock.travel(timedelta(minutes=5))
    outbox.drain()
    clock.travel(timedelta(seconds=12))
    samples = scrape(testapp)
    assert samples[webhook("forum_bridge_connector_up")] == "1.0"
    assert samples[webhook("forum_bridge_connector_deliveries_retrying")] == "0.0"
    assert samples[webhook("forum_bridge_connector_last_success_age_seconds")] == "12.0"


def test_deliveries_failed_for_good_are_counted_until_an_admin_retries_them(
        app, testapp, helpdesk, make_thread, make_user, escalate):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    helpdesk.mode = "refuse"
    escalate(make_thread())
    outbox.drain()
    samples = scrape(testapp)
    assert samples['forum_bridge_escalations_total{reason="moderator"}'] == "1.0"
    assert samples[webhook("forum_bridge_connector_deliveries_failed")] == "1.0"
    assert samples[webhook("forum_bridge_connector_deliveries_retrying")] == "0.0"

    helpdesk.mode = "ok"
    login(testapp, make_user(role="admin"))
    page = testapp.get("/admin/connectors")
    page.forms[[name for name in page.forms if "retry" in str(name)][0]].submit()
    testapp.reset()
    outbox.drain()
    samples = scrape(testapp)
    assert samples[webhook("forum_bridge_connector_deliveries_failed")] == "0.0"
    assert samples[webhook("forum_bridge_connector_up")] == "1.0"
