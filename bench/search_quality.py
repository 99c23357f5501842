"""Quality of the similar-questions ranking on SemEval-2016 Task 3, subtask B.

    .venv/bin/python bench/search_quality.py [--split dev|train|both] [--variants]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_quality]

For each split, a fresh instance (SQLite in a temporary folder, only the search
feature loaded) gets every related question as a thread: subject as title, body as
the question, its comments as replies. Rows are written directly (the texts are
rendered with the project's Markdown renderer) and the index is built with the
project's ``search reindex`` code. Each original question's 10 candidates are then
ranked by the project's similar-questions scoring (``search.services.similar.scored_ids``, the
ranking behind the ask form's suggestions and ``/api/v1/similar``); candidates it
does not return rank last, in the search engine's order. Scores follow the official
convention: MAP and MRR over all questions (no relevant candidate: 0), P@1 and P@5.
``--variants`` also prints the figures of the alternatives tried (see
bench/RESULTS.md). ``--compounds`` measures German compound splitting on the
demo community instead (the SemEval set is English). ``--database-url`` loads the
threads into that (empty, scratch: its tables are dropped) PostgreSQL database
instead, so the PostgreSQL backend ranks them (the German set stays on SQLite).
"""
import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "semeval2016-task3b"
SPLITS = {"dev": "SemEval2016-Task3-CQA-QL-dev.xml",
          "train": "SemEval2016-Task3-CQA-QL-train-part2.xml"}
RELEVANT = {"PerfectMatch", "Relevant"}

ORIGINAL = re.compile(r'<OrgQuestion ORGQ_ID="([^"]+)">(.*?)</OrgQuestion>', re.S)
THREAD = re.compile(r"<Thread [^>]*>(.*?)</Thread>", re.S)


def _tag(name, text):
    match = re.search(rf"<{name}>(.*?)</{name}>", text, re.S)
    return unescape(match.group(1)).strip() if match else ""


def _attr(name, text):
    return re.search(rf'{name}="([^"]*)"', text).group(1)


def parse(path):
    """[(orig_id, subject, body, [(rel_id, engine_rank, relevant, subject, body,
    [comments])])] from the task's XML (not well-formed XML, hence the patterns)."""
    questions = {}
    for orig_id, block in ORIGINAL.findall(path.read_text(encoding="utf-8")):
        # The file repeats the original question around each of its related threads.
        if orig_id not in questions:
            questions[orig_id] = (orig_id, _tag("OrgQSubject", block), _tag("OrgQBody", block),
                                  [])
        candidates = questions[orig_id][3]
        for thread in THREAD.findall(block):
            head = re.search(r"<RelQuestion [^>]*>", thread).group(0)
            comments = [unescape(c).strip() for c in
                        re.findall(r"<RelCText>(.*?)</RelCText>", thread, re.S)]
            candidates.append((_attr("RELQ_ID", head), int(_attr("RELQ_RANKING_ORDER", head)),
                               _attr("RELQ_RELEVANCE2ORGQ", head) in RELEVANT,
                               _tag("RelQSubject", thread), _tag("RelQBody", thread), comments))
    return list(questions.values())


# --- Scoring (the official convention) ------------------------------------------------------------

def average_precision(labels):
    hits, total = 0, 0.0
    for k, relevant in enumerate(labels, start=1):
        if relevant:
            hits += 1
            total += hits / k
    return total / hits if hits else 0.0


def scores(rankings):
    """``rankings``: one list of relevance labels per question, best first."""
    n = len(rankings)
    return {
        "MAP": 100 * sum(average_precision(r) for r in rankings) / n,
        "MRR": 100 * sum(next((1 / k for k, rel in enumerate(r, 1) if rel), 0) for r in rankings) / n,
        "P@1": 100 * sum(r[0] for r in rankings) / n,
        "P@5": 100 * sum(sum(r[:5]) / 5 for r in rankings) / n,
    }


# --- Loading into a fresh instance ----------------------------------------------------------------

def good_answers(path):
    """``{rel_id: n}``: the related thread's first comment the annotators judged a good
    answer (by someone other than the asker), 0-based. SemEval has no accepted answers;
    this stands in for them, so the solved bonus (search/services/ranking.py) has
    something to act on, as in a community where good answers get accepted."""
    found = {}
    for thread in THREAD.findall(path.read_text(encoding="utf-8")):
        head = re.search(r"<RelQuestion [^>]*>", thread).group(0)
        asker = _attr("RELQ_USERID", head)
        for n, comment in enumerate(re.findall(r"<RelComment [^>]*>", thread)):
            if (_attr("RELC_RELEVANCE2RELQ", comment) == "Good"
                    and _attr("RELC_USERID", comment) != asker):
                found.setdefault(_attr("RELQ_ID", head), n)
                break
    return found


def build_instance(questions, folder, accepted=None, database_url=None):
    """``accepted``: ``{rel_id: n}``, the comment to mark as the accepted answer;
    ``database_url``: PostgreSQL (emptied first) instead of SQLite in ``folder``."""
    from community import create_app, markup
    from community.extensions import db
    from community.models import Category, Post, Thread, User
    from community.text import slugify

    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "FORUM_FEATURES": ["search"],
                      "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder}/bench.db"})
    ids = {}
    with app.app_context():
        if database_url:
            db.drop_all()
        db.create_all()
        user = User(email="bench@example.com", name="Bench Reader", password_hash="-",
                    role="customer")
        category = Category(slug="qatar-living", name="Qatar Living", description="")
        db.session.add_all([user, category])
        db.session.flush()
        for _, _, _, candidates in questions:
            for rel_id, _, _, subject, body, comments in candidates:
                if rel_id in ids:
                    continue
                thread = Thread(category_id=category.id, author_id=user.id,
                                title=subject[:200] or "(no subject)",
                                slug=slugify(subject) or "thread", reply_count=len(comments))
                db.session.add(thread)
                db.session.flush()
                posts = [Post(thread_id=thread.id, author_id=user.id, number=n, body=text,
                              body_html=markup.render(text))
                         for n, text in enumerate([body or subject] + comments, start=1)]
                db.session.add_all(posts)
                db.session.flush()
                thread.first_post_id = posts[0].id
                if (accepted or {}).get(rel_id) is not None:
                    thread.accepted_post_id = posts[1 + accepted[rel_id]].id
                    thread.accepted_by_id = user.id
                ids[rel_id] = thread.id
        db.session.commit()
        from search.engine import backends
        backends.current().reindex()
        db.session.commit()
    return app, ids


@contextmanager
def bench_searcher(app, weighting=None):
    """The app's backend's searcher, with ``weighting`` (BM25F parameters) if given."""
    from whoosh import index as whoosh_index

    from search.engine import backends, index, reader
    from search.engine.pg_search import PgSearcher
    from search.engine.whoosh_backend import WhooshSearcher
    weighting = reader.RankWeighting(**(weighting or {}))
    if backends.current().name == "postgres":
        yield PgSearcher(weighting=weighting)
        return
    with whoosh_index.open_dir(str(index.live_generation())).searcher(
            weighting=weighting) as raw:
        yield WhooshSearcher(raw)


def rank(app, questions, ids, weighting=None, bonus=None, scorer=None, timings=None,
         **params):
    """``bonus``: ``(solved, official)`` to rank with instead of search/services/ranking.py's;
    ``scorer(searcher, subject, body, only, **params)``: instead of ``scored_ids``;
    ``timings``: a list that gets each question's milliseconds."""
    from whoosh import query as Q

    from search.services import similar
    scorer = scorer or (lambda searcher, subject, body, only, **params: similar.scored_ids(
        searcher, subject, body, limit=10, only=only, **params))
    rankings = []
    with app.app_context(), bench_searcher(app, weighting) as searcher:
        rescore = with_bonus(bonus)
        for _, subject, body, candidates in questions:
            engine = sorted(candidates, key=lambda c: c[1])
            only = Q.Or([Q.Term("thread_id", str(ids[c[0]])) for c in engine])
            started = time.perf_counter()
            found = [tid for tid, _ in rescore(scorer(searcher, subject, body, only, **params))]
            if timings is not None:
                timings.append(1000 * (time.perf_counter() - started))
            by_thread = {ids[c[0]]: c for c in engine}
            ordered = [by_thread[tid] for tid in found]
            ordered += [c for c in engine if ids[c[0]] not in found]
            rankings.append([c[2] for c in ordered])
    return rankings


def with_bonus(bonus):
    """A function that ranks ``[(thread_id, score)]`` again as if the index's bonus of
    solved and officially answered threads were ``bonus`` = ``(solved, official)``
    instead of search/services/ranking.py's (None: as indexed). Exact: the bonus is a
    factor of each thread's score. Call inside the app context."""
    if bonus is None:
        return lambda hits: hits
    from sqlalchemy import select

    from community.extensions import db
    from community.models import Post, Thread
    from search.services import ranking
    solved = set(db.session.scalars(select(Thread.id).where(Thread.accepted_post_id.is_not(None))))
    official = set(db.session.scalars(select(Post.thread_id).where(Post.is_official)))

    def factor(thread_id, solved_bonus, official_bonus):
        return (1 + (solved_bonus if thread_id in solved else 0)
                + (official_bonus if thread_id in official else 0))

    def rescore(hits):
        return sorted(((tid, score / ranking.bonus(tid in solved, tid in official)
                        * factor(tid, *bonus)) for tid, score in hits),
                      key=lambda hit: -hit[1])
    return rescore


# --- The German judged set (bench/judged_de.json) on the demo community ---------------------------

JUDGED_DE = Path(__file__).resolve().parent / "judged_de.json"


def demo_instance(folder):
    """The demo community in a fresh instance, indexed; returns the app."""
    from community import create_app
    from community.demo import seed
    from community.extensions import db
    from search.engine import rebuild
    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "FORUM_FEATURES": ["search"],
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"})
    with app.app_context(), app.test_request_context():
        db.create_all()
        seed.seed()
        rebuild.reindex()
    return app


def judged_figures(rankings):
    """MAP (recall-oriented: each question's AP over all its judged threads), MRR, P@1
    of ``rankings``: per question, (relevance labels of the first 10 found, number of
    relevant threads judged)."""
    def ap(labels, relevant):
        hits, total = 0, 0.0
        for k, label in enumerate(labels, start=1):
            if label:
                hits += 1
                total += hits / k
        return total / relevant
    n = len(rankings)
    return {"MAP": 100 * sum(ap(labels, rel) for labels, rel in rankings) / n,
            "MRR": 100 * sum(next((1 / k for k, label in enumerate(labels, 1) if label), 0)
                             for labels, _ in rankings) / n,
            "P@1": 100 * sum(bool(labels) and labels[0] for labels, _ in rankings) / n}


def german(app, bonuses=(None,)):
    """``{bonus: figures}`` of the project's similar questions on the German judged set."""
    from sqlalchemy import select

    from community.extensions import db
    from community.models import Thread
    from search.engine import backends
    from search.services import similar
    questions = json.loads(JUDGED_DE.read_text(encoding="utf-8"))["questions"]
    results = {}
    with app.app_context():
        keys = dict(db.session.execute(select(Thread.id, Thread.external_id)).all())
        with backends.current().searcher() as searcher:
            for bonus in bonuses:
                rescore, rankings = with_bonus(bonus), []
                for q in questions:
                    hits = rescore(similar.scored_ids(searcher, q["title"], q["body"],
                                                      limit=100))[:10]
                    relevant = {f"demo:{key}" for key in q["relevant"]}
                    rankings.append(([keys[tid] in relevant for tid, _ in hits],
                                     len(relevant)))
                results[bonus] = judged_figures(rankings)
    return results


WHOOSH_BM25F = {"K1": 1.2, "B": 0.75, "title_B": 0.75, "answers_B": 0.75}
VARIANTS = {
    "title and body, every word, Whoosh's BM25F": dict(
        fields=(("title", 1.0), ("body", 1.0)), title_weight=1.0, body_terms=1000,
        weighting=WHOOSH_BM25F, question_similarity=0.0),
    "title field weighted x2": dict(
        fields=(("title", 2.0), ("body", 1.0)), title_weight=1.0, body_terms=1000,
        weighting=WHOOSH_BM25F, question_similarity=0.0),
    "only the 20 most distinctive body words": dict(
        fields=(("title", 1.0), ("body", 1.0)), title_weight=1.0, body_terms=20,
        weighting=WHOOSH_BM25F, question_similarity=0.0),
    "+ answers' text, weight 0.2": dict(
        fields=(("title", 1.0), ("body", 1.0), ("answers", 0.2)), title_weight=1.0,
        body_terms=1000, weighting=WHOOSH_BM25F, question_similarity=0.0),
    "+ answers' text, weight 0.6": dict(
        fields=(("title", 1.0), ("body", 1.0), ("answers", 0.6)), title_weight=1.0,
        body_terms=1000, weighting=WHOOSH_BM25F, question_similarity=0.0),
    "+ answers' text, weight 1.5": dict(
        fields=(("title", 1.0), ("body", 1.0), ("answers", 1.5)), title_weight=1.0,
        body_terms=1000, weighting=WHOOSH_BM25F, question_similarity=0.0),
    "+ BM25F tuned (K1 0.9, B 0.5, answers B 1.0)": dict(
        fields=(("title", 1.0), ("body", 1.0), ("answers", 0.6)), title_weight=1.0,
        body_terms=1000, question_similarity=0.0),
    "+ phrase bonus for adjacent title words": dict(phrase_boost=1.0, question_similarity=0.0),
    # Issue 16, point 5: on top of the tuned BM25F (the project's ranking before it).
    "BM25F alone (before issue 16, point 5)": dict(question_similarity=0.0),
}


def _feedback_scorer(k, n, weight):
    """Pseudo-relevance feedback (RM3-style): the ``n`` words most probable in the
    best ``k`` threads of the whole index (their title and question, each thread
    weighted by its share of the scores), added to the query with ``weight``
    (the strongest: ``weight``, the others in proportion)."""
    def scorer(searcher, subject, body, only, **params):
        from collections import Counter

        from sqlalchemy import select
        from whoosh import query as Q

        from community.extensions import db
        from community.models import Post, Thread
        from search.engine import analysis, reader
        from search.services import similar
        q = similar.similarity_query(searcher, subject, body)
        ranker = searcher.ranker()
        _, top = ranker.top(q, k)
        tids = [int(searcher.stored_fields(d)["thread_id"]) for d, _ in top]
        texts = dict(db.session.execute(
            select(Thread.id, Thread.title + " " + Post.body)
            .join(Post, Post.id == Thread.first_post_id).where(Thread.id.in_(tids))).all())
        total = sum(score for _, score in top) or 1.0
        asked = {folded for _, folded, _ in analysis.terms(f"{subject} {body}")}
        model, stems = Counter(), {}
        for (_, score), tid in zip(top, tids):
            words = analysis.terms(texts.get(tid, ""))
            for _, folded, word_stems in words:
                stems[folded] = word_stems
                if folded not in asked:
                    model[folded] += score / total / len(words)
        chosen = model.most_common(n)
        groups = list(q.subqueries) + [
            reader.word_query(stems[w], fields=similar.FIELDS, boost=weight * p / chosen[0][1])
            for w, p in chosen]
        _, hits = ranker.top(Q.Or(groups), 10, ranker.docs(only))
        return [(int(searcher.stored_fields(d)["thread_id"]), score) for d, score in hits]
    return scorer


_ASSOCIATIONS = {}


def associations(answers, min_threads=3, keep=10):
    """Word associations learned from the community's own text: for each word of a
    thread's question (title and text), the words of its answers (``answers``) or of
    the same question (not ``answers``) that occur with it in at least
    ``min_threads`` threads more often than chance: ``{word: [(pmi, word)]}``,
    best ``keep`` (PMI damped by n / (n + 2) for rare pairs)."""
    import math
    from collections import Counter, defaultdict

    from sqlalchemy import select

    from community.extensions import db
    from community.models import Post, Thread
    from search.engine import analysis
    key = (db.engine.url.render_as_string(), answers, min_threads)
    if key in _ASSOCIATIONS:
        return _ASSOCIATIONS[key]
    threads = defaultdict(lambda: ["", ""])
    for tid, number, text, title in db.session.execute(
            select(Post.thread_id, Post.number, Post.body, Thread.title)
            .join(Thread, Thread.id == Post.thread_id)):
        if number == 1:
            threads[tid][0] = f"{title} {text}"
        else:
            threads[tid][1] += " " + text
    stems, left, right, pairs = {}, Counter(), Counter(), defaultdict(Counter)
    for question, replies in threads.values():
        words = {folded: word_stems for _, folded, word_stems in analysis.terms(question)}
        stems.update(words)
        other = ({folded: s for _, folded, s in analysis.terms(replies)} if answers else words)
        stems.update(other)
        left.update(words.keys())
        right.update(other.keys())
        for a in words:
            pairs[a].update(b for b in other if b != a)
    count, learned = len(threads), {}
    for a, found in pairs.items():
        scored = [(math.log(count * n / (left[a] * right[b])) * n / (n + 2), b)
                  for b, n in found.items() if n >= min_threads]
        learned[a] = sorted((p for p in scored if p[0] > 0), reverse=True)[:keep]
    _ASSOCIATIONS[key] = learned, stems
    return learned, stems


def _association_scorer(answers, per_word, weight, min_threads=3):
    """The query expanded by each query word's ``per_word`` best associations
    (``associations``), at most 20 words, the strongest with ``weight``."""
    def scorer(searcher, subject, body, only, **params):
        from collections import Counter

        from whoosh import query as Q

        from search.engine import analysis, reader
        from search.services import similar
        learned, stems = associations(answers, min_threads)
        q = similar.similarity_query(searcher, subject, body)
        asked = [folded for _, folded, _ in analysis.terms(f"{subject} {body}")]
        expansion = Counter()
        for word in dict.fromkeys(asked):
            for strength, other in learned.get(word, [])[:per_word]:
                if other not in asked:
                    expansion[other] += strength
        chosen = expansion.most_common(20)
        groups = list(q.subqueries) + [
            reader.word_query(stems[w], fields=similar.FIELDS, boost=weight * p / chosen[0][1])
            for w, p in chosen]
        ranker = searcher.ranker()
        _, hits = ranker.top(Q.Or(groups), 10, ranker.docs(only))
        return [(int(searcher.stored_fields(d)["thread_id"]), score) for d, score in hits]
    return scorer


# Issue 16, point 5: what was tried on top of the tuned BM25F (bench/RESULTS.md).
VARIANTS.update({
    "PRF: top 3 threads, 10 words, weight 0.2": dict(
        scorer=_feedback_scorer(3, 10, 0.2)),
    "PRF: top 3 threads, 20 words, weight 0.1": dict(
        scorer=_feedback_scorer(3, 20, 0.1)),
    "PRF: top 5 threads, 10 words, weight 0.2": dict(
        scorer=_feedback_scorer(5, 10, 0.2)),
    "PRF: top 10 threads, 10 words, weight 0.2": dict(
        scorer=_feedback_scorer(10, 10, 0.2)),
    "PRF: top 3 threads, 10 words, weight 0.4": dict(
        scorer=_feedback_scorer(3, 10, 0.4)),
    "associations question->answers, 2/word, 0.2": dict(
        scorer=_association_scorer(True, 2, 0.2)),
    "associations question->answers, 5/word, 0.1": dict(
        scorer=_association_scorer(True, 5, 0.1)),
    "associations within questions, 2/word, 0.2": dict(
        scorer=_association_scorer(False, 2, 0.2)),
    "associations within questions, 5/word, 0.1": dict(
        scorer=_association_scorer(False, 5, 0.1)),
    "rerank top 50: + question cosine x 0.5": dict(question_similarity=0.5),
    "rerank top 50: + question cosine x 1.5": dict(question_similarity=1.5),
    "rerank top 50: + question cosine x 2.0": dict(question_similarity=2.0),
})





# --- German compounds ----------------------------------------------------------------------------

PART_QUERIES = ["Kündigung", "Rufnummer", "Preis", "Bestätigung", "Störung", "Anschluss",
                "Zugang", "Daten", "Rechnung", "Vertrag", "Router", "Recht"]


def compounds():
    """The demo community's German threads, searched for words that mostly occur inside
    compounds, with compound splitting on and off: which threads only the split finds."""
    from community import create_app
    from community.demo import seed
    from community.extensions import db
    from search.services import query
    from search.engine import rebuild
    found = {}
    for enabled in (False, True):
        folder = Path(tempfile.mkdtemp(prefix="search-compounds-"))
        try:
            app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                              "FORUM_FEATURES": ["search"], "SEARCH_COMPOUNDS": enabled,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"})
            with app.app_context(), app.test_request_context():
                db.create_all()
                seed.seed()
                rebuild.reindex()
                for q in PART_QUERIES:
                    page = query.search(query.SearchRequest(q=q, per_page=100))
                    found[enabled, q] = {r.thread.title for r in page.results}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'query':<14} {'off':>4} {'on':>4}  found only with splitting")
    for q in PART_QUERIES:
        extra = sorted(found[True, q] - found[False, q])
        lost = found[False, q] - found[True, q]
        print(f"{q:<14} {len(found[False, q]):>4} {len(found[True, q]):>4}  "
              + "; ".join(extra) + (f"  (LOST: {sorted(lost)})" if lost else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "train", "both"], default="both")
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--compounds", action="store_true",
                        help="measure German compound splitting on the demo community instead")
    parser.add_argument("--speed", metavar="FOLDER",
                        help="instead: time the ask form's similar questions on the instance "
                             "in FOLDER (e.g. the 200,000 posts of bench/search_speed.py --keep "
                             "FOLDER), with and without the reranking")
    parser.add_argument("--database-url",
                        help="an empty scratch PostgreSQL database (its tables are dropped) "
                             "to load the SemEval threads into: rank with the PostgreSQL "
                             "backend instead of Whoosh")
    parser.add_argument("--bonus", action="store_true",
                        help="also rank with other bonuses for solved and officially answered "
                             "threads (search/services/ranking.py)")
    args = parser.parse_args()
    if args.compounds:
        compounds()
        return
    if args.speed:
        speed(Path(args.speed))
        return
    splits = ["dev", "train"] if args.split == "both" else [args.split]
    for split in splits:
        questions = parse(DATA / SPLITS[split])
        folder = Path(tempfile.mkdtemp(prefix=f"search-quality-{split}-"))
        try:
            started = time.perf_counter()
            app, ids = build_instance(questions, folder, good_answers(DATA / SPLITS[split]),
                                      args.database_url)
            built = time.perf_counter() - started
            print(f"\n{split}: {len(questions)} original questions, {len(ids)} threads "
                  f"(loaded and indexed in {built:.1f} s, "
                  f"{'PostgreSQL' if args.database_url else 'Whoosh'} backend)")
            rows = [("search engine order (baseline)",
                     scores([[c[2] for c in sorted(q[3], key=lambda c: c[1])]
                             for q in questions]))]
            if args.variants:
                rows += [(name, scores(rank(app, questions, ids, **params)))
                         for name, params in VARIANTS.items()]
            if args.bonus:
                rows += [(f"solved bonus {solved:.2f}", scores(rank(app, questions, ids,
                                                                     bonus=(solved, 0.0))))
                         for solved in SOLVED_BONUSES]
            rank(app, questions, ids)    # warm up: caches of postings and stems
            timings = []
            rows.append(("the project's similar questions",
                         scores(rank(app, questions, ids, timings=timings))))
            print(f"{'ranking':<48} {'MAP':>6} {'MRR':>6} {'P@1':>6} {'P@5':>6}")
            for name, figures in rows:
                print(f"{name:<48} " + " ".join(f"{figures[k]:6.2f}"
                                                 for k in ("MAP", "MRR", "P@1", "P@5")))
            print(f"(ms per original question: mean {sum(timings) / len(timings):.1f}, "
                  f"p95 {sorted(timings)[int(0.95 * (len(timings) - 1))]:.1f})")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print_german(args.bonus)


def speed(folder, rounds=3):
    """Milliseconds of ``similar.similar`` (what the ask form and /api/v1/similar run:
    retrieval, reranking, loading the threads) for ask-form questions: the SemEval dev
    questions (English, subject and text) and the German judged set, against the
    instance in ``folder``; after a warm-up round, ``rounds`` rounds, reranking on
    and off."""
    import statistics

    from community import create_app
    from search.services import similar
    asks = [(subject, body) for _, subject, body, _ in parse(DATA / SPLITS["dev"])]
    asks += [(q["title"], q["body"]) for q in
             json.loads(JUDGED_DE.read_text(encoding="utf-8"))["questions"]]
    app = create_app({"INSTANCE_PATH": str(folder)})
    chosen = similar.QUESTION_SIMILARITY
    with app.app_context(), app.test_request_context():
        from community.extensions import db
        from community.models import Post
        posts = db.session.scalar(db.select(db.func.count(Post.id)))
        print(f"{posts} posts, {len(asks)} ask-form questions, {rounds} rounds after a warm-up")
        for weight in (chosen, 0.0, chosen):
            similar.QUESTION_SIMILARITY = weight
            for title, body in asks:
                similar.similar(title, body)
            timings = []
            for _ in range(rounds):
                for title, body in asks:
                    started = time.perf_counter()
                    similar.similar(title, body)
                    timings.append(1000 * (time.perf_counter() - started))
                    db.session.remove()
            timings.sort()
            print(f"reranking {'on ' if weight else 'off'} (weight {weight}): ms p50 "
                  f"{timings[len(timings) // 2]:.1f}  p95 {timings[int(0.95 * len(timings))]:.1f}"
                  f"  mean {statistics.mean(timings):.1f}  max {timings[-1]:.1f}")
    similar.QUESTION_SIMILARITY = chosen


SOLVED_BONUSES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)
OFFICIAL_BONUSES = (0.0, 0.05, 0.1)


def print_german(bonus_grid):
    folder = Path(tempfile.mkdtemp(prefix="search-quality-de-"))
    try:
        app = demo_instance(folder)
        bonuses = [None] + ([(s, o) for s in SOLVED_BONUSES for o in OFFICIAL_BONUSES]
                            if bonus_grid else [])
        results = german(app, bonuses)
        count = len(json.loads(JUDGED_DE.read_text(encoding="utf-8"))["questions"])
        print(f"\nGerman judged set (bench/judged_de.json): {count} questions, the demo "
              "community's 41 threads")
        print(f"{'ranking':<48} {'MAP':>6} {'MRR':>6} {'P@1':>6}")
        for bonus, figures in results.items():
            name = ("the project's similar questions" if bonus is None
                    else f"solved bonus {bonus[0]:.2f}, official {bonus[1]:.2f}")
            print(f"{name:<48} " + " ".join(f"{figures[k]:6.2f}" for k in ("MAP", "MRR", "P@1")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
