"""Staff identity: admins set roles and staff titles; posts show who speaks for the company."""
from community.extensions import db
from community.models import User

from .helpers import audit_entries, reply, thread_path


def test_admin_sets_role_and_staff_title_shown_with_posts(browser, make_user, make_thread, admin,
                                                          moderator):
    helper = make_user(name="Tom Support")
    thread = make_thread()
    boss = browser(admin)
    assert "staff-form" not in browser(moderator).get(f"/mod/users/{helper.id}").forms
    form = boss.get(f"/mod/users/{helper.id}").forms["staff-form"]
    form["staff-role"], form["staff-staff_title"] = "agent", "Support team Berlin"
    page = form.submit().follow()
    assert "Role and staff title saved." in page.text
    db.session.expire_all()
    helper = db.session.get(User, helper.id)
    assert (helper.role, helper.staff_title) == ("agent", "Support team Berlin")
    reply(browser(helper), thread, "We are looking into it and will report back today.")
    page = browser().get(thread_path(thread))
    assert '<span class="badge badge-staff">Support team Berlin</span>' in page.text
    [entry] = audit_entries()  # one change, one entry
    assert (entry.action, entry.details) == ("member.staff", {
        "before": {"role": "customer", "staff_title": None},
        "after": {"role": "agent", "staff_title": "Support team Berlin"}})


def test_staff_title_falls_back_to_the_role_and_admins_keep_their_own_role(
        browser, make_user, make_thread, admin, moderator):
    thread = make_thread()
    reply(browser(moderator), thread, "Moderator here: please keep it friendly.")
    assert '<span class="badge badge-staff">Moderator</span>' in browser().get(
        thread_path(thread)).text
    assert "staff-form" not in browser(admin).get(f"/mod/users/{admin.id}").forms
    members_page = browser(admin).get("/mod/users", {"q": "mona"})
    assert "Mona Moderator" in members_page.text and "@example.com" in members_page.text
    assert "@example.com" not in browser(moderator).get("/mod/users", {"q": "mona"}).text
