"""The whole bridge through HTTP: ask, nobody answers, escalation, the desk's official
reply in the public thread, the customer notified, accepts, ticket solved, counted."""
from datetime import timedelta

from community import clock



def test_an_unanswered_question_reaches_the_desk_and_the_answer_comes_back(
        app, browser, make_category, customer, agent, admin):
    category = make_category(name="Mobile")
    asker = browser(customer)
    form = asker.get("/ask").forms["ask-form"]
    form["category"], form["title"] = category.slug, "Roaming does not work in Austria"
    form["body"] = "Since yesterday my phone shows no network in Vienna."
    thread_page = form.submit().follow()
    thread_url = thread_page.request.path
    assert "Passed to the support team" not in thread_page.text

    clock.travel(timedelta(hours=12, minutes=1))
    result = app.test_cli_runner().invoke(args=["bridge", "sweep"])
    assert "1 threads escalated." in result.output

    public = browser().get(thread_url)
    assert "Passed to the support team" in public.text

    desk = browser(agent)
    queue = desk.get("/desk")
    assert "Roaming does not work in Austria" in queue.text
    ticket_page = queue.click("Roaming does not work in Austria")
    assert "Since yesterday my phone shows no network in Vienna." in ticket_page.text
    reply = ticket_page.forms["official-reply-form"]
    reply["body"] = "Please switch on data roaming under Settings > Network; it is off by default."
    ticket_page = reply.submit().follow()
    assert "Your official reply is in the thread." in ticket_page.text
    assert "Waiting for the customer" in ticket_page.text

    page = asker.get(thread_url)
    assert "Please switch on data roaming" in page.text
    assert "Official answer" in page.text and "Customer Care" in page.text
    assert "Official answer given" in page.text
    notifications = asker.get("/notifications")
    assert "Alex Agent from the support team answered in “Roaming does not work in Austria”" \
        in notifications.text

    accept = [f for f in page.forms.values() if f.action.endswith("/accept")]
    assert len(accept) == 1
    page = accept[0].submit().follow().follow()
    assert "Accepted by Carla Customer" in page.text
    assert "Solved" in desk.get(ticket_page.request.path).text

    dashboard = browser(admin).get("/desk/dashboard")
    assert dashboard.html.find(id="escalations").text == "1"
    assert dashboard.html.find(id="solved-agent").text == "1"
    assert dashboard.html.find(id="ticket-solution").text.strip() != "–"
    assert "<svg" in dashboard.text
