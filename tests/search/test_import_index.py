"""An import on PostgreSQL writes the index batch by batch in the batches' own
transactions (search/engine/pg_index.py): what it writes is exactly what the index
counts from its documents, compounds are split against what earlier batches and the
batch itself brought, and a change afterwards (a reply, through the services as a
member writes it) keeps the statistics exact."""
import json

from sqlalchemy import select

from community.extensions import db
from community.models import Thread
from search.engine import pg_index
from search.models import SearchTerm, SearchTotal

from .helpers import only_backend, result_ids

LINES = [
    {"external_id": "imp-1", "category": "Rechnung", "title": "Neue Adresse für die Rechnung",
     "body": "Wie ändere ich die Adresse auf meiner Rechnung?", "author": {"name": "Anna"},
     "replies": [{"body": "Im Kundenportal unter Daten.", "author": {"name": "Ben"}}]},
    {"external_id": "imp-2", "category": "Rechnung", "title": "Rechnungsadresse falsch",
     "body": "Die Rechnungsadresse stimmt seit dem Umzug nicht mehr.",
     "author": {"name": "Lea"}, "tags": ["umzug"],
     "replies": [{"body": "Das **Kundenportal** hilft: https://example.com/portal",
                  "author": {"name": "Ben"}, "accepted": True},
                 {"body": "Danke, geändert!", "author": {"name": "Lea"}}]},
    {"external_id": "imp-3", "category": "Mobile", "title": "Roaming in Norway",
     "body": "No service in Oslo since Monday.", "author": {"name": "Emily"},
     "replies": [{"body": "Choose the network manually.", "author": {"name": "Jack"}},
                 {"body": "Roaming roaming roaming: " + "data " * 300,
                  "author": {"name": "Jack"}}]},
    {"external_id": "imp-4", "category": "Mobile", "title": "Vertragsverlängerung",
     "body": "Wann endet die Verlängerung des Vertrags mit der Nummer 0815?",
     "author": {"name": "Paul"}},
    {"external_id": "imp-5", "category": "Mobile", "title": "Kündigungsbestätigung fehlt",
     "body": "Ich habe gekündigt, aber keine Bestätigung bekommen. Rechnungsnummer 4711.",
     "author": {"name": "Mia"},
     "replies": [{"body": "Die Bestätigung kommt per Post.", "author": {"name": "Ben"}}]},
]


def statistics():
    terms = {row.term: (row.title, row.body, row.answers, row.parts, row.spell)
             for row in db.session.scalars(select(SearchTerm))}
    totals = db.session.execute(select(
        db.func.sum(SearchTotal.documents), db.func.sum(SearchTotal.title),
        db.func.sum(SearchTotal.body), db.func.sum(SearchTotal.answers),
        db.func.sum(SearchTotal.parts), db.func.sum(SearchTotal.spell))).one()
    return terms, tuple(totals)


def assert_statistics_are_those_of_the_documents():
    """The statistics written batch by batch equal those counted afresh from the
    stored documents (``search reindex``'s count), then nothing is changed."""
    written = statistics()
    pg_index.recount(db.session)
    counted = statistics()
    db.session.rollback()
    assert written == counted


def import_file(app, tmp_path, *options):
    source = tmp_path / "old-forum.jsonl"
    source.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in LINES),
                      encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["import", "threads", str(source), "--batch", "2", "--jobs", "1", *options])
    db.session.expire_all()
    assert result.exit_code == 0, result.output
    assert "Imported 5 threads (6 replies)" in result.output
    return {t.external_id: t for t in db.session.scalars(select(Thread))}


@only_backend("postgres")
def test_an_import_writes_exact_statistics_batch_by_batch(app, tmp_path, testapp):
    imported = import_file(app, tmp_path)
    assert_statistics_are_those_of_the_documents()
    terms, totals = statistics()
    assert totals[0] == 5                          # five documents
    assert terms["roaming"][:3] == (1, 0, 1)       # a title, no question, an answer

    def found(q):
        return set(result_ids(testapp.get("/api/v1/search", {"q": q})))
    # Compounds are split by the words of titles and questions: "Rechnungsadresse" by
    # those of its own batch, "Rechnungsnummer" (the last batch) by earlier batches'.
    assert found("Adresse") == {imported["imp-1"].id, imported["imp-2"].id}
    assert found("Nummer") == {imported["imp-4"].id, imported["imp-5"].id}
    assert found("Kundenportal") == {imported["imp-1"].id, imported["imp-2"].id}


@only_backend("postgres")
def test_a_reply_to_an_imported_thread_keeps_the_statistics_exact(app, tmp_path, testapp,
                                                                   make_user, make_reply):
    imported = import_file(app, tmp_path)
    make_reply(imported["imp-3"], author=make_user(), body="Roaming works after a restart.")
    make_reply(imported["imp-4"], author=make_user(), body="Die Verlängerung steht im Portal.")
    assert_statistics_are_those_of_the_documents()
    assert set(result_ids(testapp.get("/api/v1/search", {"q": "restart"}))) == {
        imported["imp-3"].id}


@only_backend("postgres")
def test_importing_the_file_again_changes_nothing_in_the_index(app, tmp_path):
    import_file(app, tmp_path)
    before = statistics()
    again = app.test_cli_runner().invoke(
        args=["import", "threads", str(tmp_path / "old-forum.jsonl"), "--batch", "2"])
    assert "Imported 0 threads (0 replies); 5 already there" in again.output
    db.session.expire_all()
    assert statistics() == before
