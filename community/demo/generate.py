"""Bulk-generate a large, realistic community for benchmarks.

    flask --app community demo generate --users 2000 --threads 20000 --posts 200000

Speed comes from bypassing the per-post services: rows are inserted with SQLAlchemy
Core in batches (ids assigned here, after the existing ones), Markdown is rendered
once per distinct text fragment (a post is a sequence of block fragments, so its
HTML is the concatenation of theirs, exactly what ``markup.render`` gives for the
whole text), one password hash is shared by all generated accounts, and the
denormalized counters are then set with set-based UPDATEs from the rows themselves,
to the values the services maintain.

No events are sent, so nothing reaches the outbox: rebuild the search index after
generating (``flask --app community search reindex``).
"""
import itertools
import math
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, bindparam, func, insert, select, text, update

from .. import clock, markup
from ..services import categories
from ..services.accounts import hash_password
from ..extensions import db
from ..models import Category, Post, Tag, Thread, User, Vote, thread_tags
from ..text import slugify
from . import content, words

PASSWORD = "generated-password-1"
WINDOW_DAYS = 730          # threads are spread over the last two years
MAX_REPLIES = 400          # the longest threads (unless posts/threads demands more)
THREAD_BATCH = 1000        # threads written (and committed) per round
ROW_CHUNK = 5000           # rows per INSERT executemany
SOLVED_SHARE = 0.4
OFFICIAL_SHARE = 0.12      # answered threads with an official answer by an agent
CLOSED_SHARE = 0.01

USERS, THREADS, POSTS = User.__table__, Thread.__table__, Post.__table__
VOTES, TAGS, CATEGORIES = Vote.__table__, Tag.__table__, Category.__table__


@dataclass
class Stats:
    users: int = 0
    threads: int = 0
    posts: int = 0
    votes: int = 0
    solved: int = 0
    seconds: float = 0.0
    password: str = PASSWORD


# ------------------------------------------------------------------ text

class Slots(dict):
    """Placeholder values for one thread, picked on first use so title and body agree."""

    def __init__(self, rng, lang):
        super().__init__()
        self.rng, self.lang = rng, lang

    def __missing__(self, key):
        if key == "measured":  # a speed test shows a fraction of the booked speed
            self[key] = str(max(1, round(int(self["speed"]) * self.rng.uniform(0.05, 0.45))))
            return self[key]
        base = key[:-1] if key.endswith("2") else key
        values = (words.EXTRA_SLOTS.get(base) or words.SLOTS[self.lang].get(base)
                  or words.SLOTS["any"][base])
        value = self.rng.choice(values)
        if base != key and len(values) > 1:
            while value == self[base]:
                value = self.rng.choice(values)
        self[key] = value
        return value


class Composer:
    """Builds Markdown bodies from fragments; renders each distinct fragment once."""

    def __init__(self, rng):
        self.rng = rng
        self.html_cache = {}

    def html(self, fragment):
        html = self.html_cache.get(fragment)
        if html is None:
            html = self.html_cache[fragment] = markup.render(fragment)
        return html

    def body(self, fragments):
        return "\n\n".join(fragments), "".join(self.html(f) for f in fragments)

    def pick(self, options, slots):
        return self.rng.choice(options).format_map(slots)

    def _steps(self, key, slots):
        options = words.STEPS[key]
        chosen = sorted(self.rng.sample(range(len(options)), min(len(options),
                                                                  self.rng.randint(2, 4))))
        return "\n".join("- " + options[i].format_map(slots) for i in chosen)

    def subject(self, topic, lang, slots):
        """A question's title and the sentence its body starts with."""
        title, problem = self.rng.choice(words.SUBJECTS[(topic, lang)])
        return title.format_map(slots), problem.format_map(slots)

    def question(self, topic, lang, slots, problem):
        rng = self.rng
        frags = []
        if rng.random() < 0.8:
            frags.append(rng.choice(words.GREETINGS[lang]))
        else:
            problem = problem[0].upper() + problem[1:]
        frags.append(problem)
        if rng.random() < 0.6:
            context = words.CONTEXT[lang]
            if topic in ("internet", "mobile", "devices"):
                context = context + words.CONTEXT_CONNECTION[lang]
            frags.append(self.pick(context, slots))
        if rng.random() < 0.45:
            frags.append(rng.choice(words.STEPS_INTRO[lang]))
            frags.append(self._steps((topic, lang), slots))
        if topic in words.CODE and rng.random() < 0.25:
            frags.append(self.pick(words.CODE[topic], slots))
        if rng.random() < 0.1:
            frags.append(rng.choice(words.LINKS[lang]))
        frags.append(rng.choice(words.QUESTIONS[lang]))
        if rng.random() < 0.6:
            frags.append(self.pick(words.SIGNOFFS[lang], slots))
        return self.body(frags)

    def reply(self, topic, lang, slots):
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            frags = [rng.choice(words.FOLLOWUPS[lang])]
            if rng.random() < 0.5:
                frags.insert(0, rng.choice(words.OPENERS[lang]))
            return self.body(frags)
        frags = []
        if rng.random() < 0.5:
            frags.append(rng.choice(words.OPENERS[lang]))
        frags.append(self.pick(words.ADVICE[(topic, lang)], slots))
        if rng.random() < 0.3:
            frags.append(self.pick(words.ADVICE[(topic, lang)], slots))
        if rng.random() < 0.12:
            frags.append(rng.choice(words.STEPS_INTRO[lang]))
            frags.append(self._steps((topic, lang), slots))
        elif topic in words.CODE and rng.random() < 0.05:
            frags.append(self.pick(words.CODE[topic], slots))
        if rng.random() < 0.12:
            frags.append(rng.choice(words.LINKS[lang]))
        return self.body(frags)

    def asker_reply(self, lang):
        return self.body([self.rng.choice(words.ASKER_REPLIES[lang])])

    def official(self, topic, lang, slots):
        frags = [self.rng.choice(words.OFFICIAL[lang]), self.pick(words.OFFICIAL_BODY[lang], slots)]
        if self.rng.random() < 0.4:
            frags.append(self.pick(words.ADVICE[(topic, lang)], slots))
        frags.append(self.rng.choice(words.OFFICIAL_SIGN[lang]))
        return self.body(frags)


# ------------------------------------------------------------------ shapes

def thread_sizes(rng, threads, posts, cap=MAX_REPLIES):
    """Posts per thread (question included): each >= 1, summing to ``posts``, long-tailed."""
    if threads <= 0:
        return []
    extra = posts - threads
    cap = max(cap, math.ceil(2 * extra / threads))
    weights = [rng.lognormvariate(0, 1.3) for _ in range(threads)]
    scale = extra / sum(weights)
    raw = [w * scale for w in weights]
    sizes = [min(int(r), cap) for r in raw]
    remaining = extra - sum(sizes)
    order = sorted(range(threads), key=lambda i: raw[i], reverse=True)  # busy threads get more
    for index in itertools.cycle(order):
        if remaining <= 0:
            break
        if sizes[index] < cap:
            sizes[index] += 1
            remaining -= 1
    return [1 + s for s in sizes]


def _times(rng, start, count, latest):
    """``count`` reply times after ``start``, increasing, none after ``latest``."""
    if count == 0:
        return []
    mean_gap = rng.choice((0.3, 1.5, 4, 12, 36)) * 3600
    offsets, total = [], rng.expovariate(1 / mean_gap)
    for _ in range(count):
        offsets.append(total)
        total += rng.expovariate(1 / mean_gap)
    room = (latest - start).total_seconds()
    if offsets[-1] > room:  # squeeze the thread into the time since it was asked
        factor = room * rng.uniform(0.3, 1.0) / offsets[-1]
        offsets = [o * factor for o in offsets]
    return [start + timedelta(seconds=o) for o in offsets]


class Pool:
    """Weighted choice of members: a few very active, most occasional (Zipf-like)."""

    def __init__(self, rng, ids):
        self.ids = list(ids)
        rng.shuffle(self.ids)
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** 0.9
                                             for rank in range(len(self.ids))))

    def __bool__(self):
        return bool(self.ids)

    def pick(self, rng, k=1):
        return rng.choices(self.ids, cum_weights=self.cum, k=k)


# ------------------------------------------------------------------ database helpers

def _next_id(table):
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def _insert(table, rows):
    for start in range(0, len(rows), ROW_CHUNK):
        db.session.execute(insert(table), rows[start:start + ROW_CHUNK])


def _ensure_categories():
    """The demo categories (created when missing), by topic."""
    found = {}
    for spec in content.CATEGORIES:
        category = categories.find_by_slug(spec["slug"])
        if category is None:
            category = categories.create_category(spec["name"], spec["description"],
                                                  slug=spec["slug"])
        found[spec["key"]] = category.id
    return found


def _ensure_tags():
    names = sorted({name for names in words.TAGS.values() for name in names})
    existing = dict(db.session.execute(select(TAGS.c.name, TAGS.c.id)
                                       .where(TAGS.c.name.in_(names))).all())
    next_id = _next_id(TAGS)
    rows = []
    for name in names:
        if name not in existing:
            existing[name] = next_id
            rows.append({"id": next_id, "name": name})
            next_id += 1
    _insert(TAGS, rows)
    return {topic: [existing[n] for n in names] for topic, names in words.TAGS.items()}


def recount_threads(first_id, last_id):
    """Set each thread's counters and pointers from its posts, as refresh_counters does."""
    same = POSTS.c.thread_id == THREADS.c.id
    visible = and_(same, POSTS.c.visibility == "visible")

    def latest(column):
        return (select(column).where(visible).order_by(POSTS.c.number.desc()).limit(1)
                .scalar_subquery())

    db.session.execute(
        update(THREADS).where(THREADS.c.id.between(first_id, last_id)).values(
            reply_count=select(func.count()).where(visible, POSTS.c.number > 1)
            .scalar_subquery(),
            helpful_count=select(func.coalesce(func.sum(POSTS.c.helpful_count), 0))
            .where(visible, POSTS.c.number > 1).scalar_subquery(),
            first_post_id=select(POSTS.c.id).where(same, POSTS.c.number == 1).scalar_subquery(),
            last_post_id=latest(POSTS.c.id),
            last_author_id=latest(POSTS.c.author_id),
            last_activity_at=latest(POSTS.c.created_at),
        ))


def recount_categories(category_ids):
    """Set each category's counters and latest thread from its visible threads."""
    visible = and_(THREADS.c.category_id == CATEGORIES.c.id, THREADS.c.visibility == "visible")
    newest = (select(THREADS.c.id).where(visible)
              .order_by(THREADS.c.last_activity_at.desc(), THREADS.c.id.desc()).limit(1))
    db.session.execute(
        update(CATEGORIES).where(CATEGORIES.c.id.in_(list(category_ids))).values(
            thread_count=select(func.count()).where(visible).scalar_subquery(),
            post_count=select(func.coalesce(func.sum(THREADS.c.reply_count + 1), 0))
            .where(visible).scalar_subquery(),
            solved_count=select(func.count()).where(
                visible, THREADS.c.accepted_post_id.is_not(None)).scalar_subquery(),
            unanswered_count=select(func.count()).where(
                visible, THREADS.c.reply_count == 0).scalar_subquery(),
            last_thread_id=newest.scalar_subquery(),
            last_activity_at=select(func.max(THREADS.c.last_activity_at)).where(visible)
            .scalar_subquery(),
        ))


def _sync_sequences():
    """PostgreSQL: move the id sequences past the ids assigned here."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in (USERS, CATEGORIES, TAGS, THREADS, POSTS, VOTES):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT MAX(id) FROM {table.name})) WHERE EXISTS (SELECT 1 FROM {table.name})"))


def _analyze():
    if db.engine.dialect.name == "postgresql":
        for table in (USERS, TAGS, THREADS, POSTS, VOTES, thread_tags, CATEGORIES):
            db.session.execute(text(f"ANALYZE {table.name}"))


# ------------------------------------------------------------------ users

def _make_users(rng, count, first_id, now):
    agents = max(1, count // 250) if count >= 5 else 0
    moderators = max(1, count // 500) if count >= 5 else 0
    roles = ["agent"] * agents + ["moderator"] * moderators
    roles += ["customer"] * (count - len(roles))
    rng.shuffle(roles)
    password_hash = hash_password(PASSWORD)
    rows = []
    for offset, role in enumerate(roles):
        uid = first_id + offset
        lang = "de" if rng.random() < 0.6 else "en"
        first, last = rng.choice(words.FIRST_NAMES[lang]), rng.choice(words.LAST_NAMES[lang])
        style = rng.random()
        if role != "customer" or style < 0.6:
            name = f"{first} {last}"
        elif style < 0.85:
            name = f"{first} {last[0]}."
        else:
            nick = rng.choice(words.NICKNAMES)
            name = f"{slugify(first).replace('-', '')}_{nick}{rng.randint(1, 99)}"
        local = slugify(f"{first} {last}").replace("-", ".")
        rows.append({
            "id": uid, "email": f"{local}.{uid}@example.org", "name": name,
            "password_hash": password_hash, "role": role,
            "staff_title": rng.choice(words.STAFF_TITLES) if role == "agent" else None,
            "locale": lang, "session_version": 1,
            "created_at": now - timedelta(days=WINDOW_DAYS + rng.uniform(1, 400)),
        })
    return rows


# ------------------------------------------------------------------ the run

def generate(users, threads, posts, seed=None, progress=None):
    """Add ``users`` accounts and ``threads`` threads with ``posts`` posts in all."""
    if posts < threads:
        raise ValueError("--posts must be at least --threads (every thread has its question).")
    started = time.perf_counter()
    rng = random.Random(seed)
    now = clock.now()
    latest = now - timedelta(minutes=1)
    stats = Stats()

    topic_category = _ensure_categories()
    topic_tags = _ensure_tags()

    user_rows = _make_users(rng, users, _next_id(USERS), now)
    _insert(USERS, user_rows)
    stats.users = len(user_rows)
    db.session.commit()
    if user_rows:
        members = [(r["id"], r["role"], r["locale"]) for r in user_rows]
    else:  # add threads written by the members already there
        members = [tuple(r) for r in db.session.execute(
            select(USERS.c.id, USERS.c.role, USERS.c.locale))]
    if threads and not members:
        raise ValueError("There are no users to write the threads: use --users.")
    customers = [m for m in members if m[1] == "customer"] or members
    by_lang = {lang: Pool(rng, [m[0] for m in customers if (m[2] or "en") == lang])
               for lang in ("de", "en")}
    everyone = Pool(rng, [m[0] for m in customers])
    agents = [m[0] for m in members if m[1] == "agent"]
    moderators = [m[0] for m in members if m[1] in ("moderator", "admin")]
    voters = [m[0] for m in members]
    lang_of = {m[0]: (m[2] if m[2] in ("de", "en") else "en") for m in members}

    sizes = thread_sizes(rng, threads, posts)
    answered = [i for i, n in enumerate(sizes) if n > 1]
    solved = set(rng.sample(answered, min(len(answered), round(SOLVED_SHARE * threads))))
    composer = Composer(rng)
    topics = rng.choices(words.TOPICS, weights=words.TOPIC_WEIGHTS, k=threads)

    thread_id, post_id, vote_id = _next_id(THREADS), _next_id(POSTS), _next_id(VOTES)
    for batch_start in range(0, threads, THREAD_BATCH):
        batch = range(batch_start, min(threads, batch_start + THREAD_BATCH))
        thread_rows, post_rows, vote_rows, tag_rows, accepted_rows = [], [], [], [], []
        first_thread_id = thread_id
        for index in batch:
            topic = topics[index]
            asker = everyone.pick(rng)[0]
            lang = lang_of[asker]
            slots = Slots(rng, lang)
            created = now - timedelta(days=WINDOW_DAYS * rng.random() ** 1.3)
            created = min(created, latest - timedelta(minutes=5))
            title, problem = composer.subject(topic, lang, slots)
            reply_times = _times(rng, created, sizes[index] - 1, latest)
            same_lang = by_lang[lang] or everyone

            body, html = composer.question(topic, lang, slots, problem)
            thread_posts = [{"id": post_id, "thread_id": thread_id, "author_id": asker,
                             "number": 1, "body": body, "body_html": html,
                             "visibility": "visible", "is_official": False, "helpful_count": 0,
                             "created_at": created, "edited_at": None, "edited_by_id": None,
                             "external_id": None}]
            official_at = None
            if reply_times and agents and rng.random() < OFFICIAL_SHARE:
                official_at = rng.randrange(len(reply_times))
            for number, when in enumerate(reply_times, start=2):
                official = False
                if number - 2 == official_at:
                    author, official = rng.choice(agents), True
                    body, html = composer.official(topic, lang, slots)
                elif number > 2 and rng.random() < (0.35 if number == 3 else 0.08):
                    author = asker
                    body, html = composer.asker_reply(lang)
                else:
                    pool = same_lang if rng.random() < 0.85 else everyone
                    author = pool.pick(rng)[0]
                    if author == asker:
                        author = everyone.pick(rng)[0]
                    body, html = composer.reply(topic, lang, slots)
                thread_posts.append({
                    "id": post_id + number - 1, "thread_id": thread_id, "author_id": author,
                    "number": number, "body": body, "body_html": html, "visibility": "visible",
                    "is_official": official, "helpful_count": 0, "created_at": when,
                    "edited_at": None, "edited_by_id": None, "external_id": None})

            accepted = accepted_by = accepted_at = None
            if index in solved:
                candidates = [p for p in thread_posts[1:6] if p["author_id"] != asker]
                if candidates:
                    accepted = rng.choice(candidates)
                    accepted_by = (rng.choice(moderators) if moderators and rng.random() < 0.15
                                   else asker)
                    accepted_at = min(accepted["created_at"]
                                      + timedelta(seconds=rng.expovariate(1 / 21600)), latest)
                    accepted_rows.append({"tid": thread_id, "pid": accepted["id"]})

            for post in thread_posts[1:]:
                if post is accepted:
                    votes = 1 + int(rng.expovariate(0.4))
                elif rng.random() < 0.72:
                    continue
                else:
                    votes = 1 + int(rng.expovariate(1.2))
                chosen = [v for v in rng.sample(voters, min(len(voters), votes + 1))
                          if v != post["author_id"]][:votes]
                for voter in chosen:
                    vote_rows.append({
                        "id": vote_id, "post_id": post["id"], "user_id": voter,
                        "created_at": min(post["created_at"]
                                          + timedelta(seconds=rng.expovariate(1 / 86400)),
                                          latest)})
                    vote_id += 1
                post["helpful_count"] = len(chosen)

            for tag in rng.sample(topic_tags[topic], rng.choice((0, 1, 1, 2, 2, 3))):
                tag_rows.append({"thread_id": thread_id, "tag_id": tag})
            last = thread_posts[-1]
            thread_rows.append({
                "id": thread_id, "category_id": topic_category[topic], "author_id": asker,
                "title": title, "slug": slugify(title),
                "status": "closed" if rng.random() < CLOSED_SHARE else "open",
                "visibility": "visible", "pinned": False, "created_at": created,
                "last_activity_at": last["created_at"], "reply_count": len(thread_posts) - 1,
                "helpful_count": sum(p["helpful_count"] for p in thread_posts[1:]),
                "first_post_id": None, "last_post_id": None, "last_author_id": last["author_id"],
                "accepted_post_id": None, "accepted_by_id": accepted_by,
                "accepted_at": accepted_at, "external_id": None})
            post_rows.extend(thread_posts)
            post_id += len(thread_posts)
            thread_id += 1

        _insert(THREADS, thread_rows)
        _insert(thread_tags, tag_rows)
        _insert(POSTS, post_rows)
        _insert(VOTES, vote_rows)
        recount_threads(first_thread_id, thread_id - 1)
        if accepted_rows:
            db.session.execute(update(THREADS).where(THREADS.c.id == bindparam("tid"))
                               .values(accepted_post_id=bindparam("pid")), accepted_rows)
        recount_categories(topic_category.values())
        db.session.commit()
        stats.threads += len(thread_rows)
        stats.posts += len(post_rows)
        stats.votes += len(vote_rows)
        stats.solved += len(accepted_rows)
        if progress:
            progress(len(thread_rows))

    recount_categories(topic_category.values())
    _sync_sequences()
    db.session.commit()
    _analyze()
    db.session.commit()
    stats.seconds = time.perf_counter() - started
    return stats
