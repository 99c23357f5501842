"""The migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from community.extensions import db


def _drop_schema(url):
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
    engine.dispose()


def test_migrations_match_the_models(make_app, tmp_path, request):
    import os
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if url:
        # The shared PostgreSQL test schema is built by create_all; use a fresh schema here.
        from sqlalchemy import create_engine, text
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
        engine.dispose()
        # The migration creates pg_trgm in the first schema of the search path when
        # the database has none yet: dropping the schema afterwards takes it along, so
        # the next test's create_all makes it again in public, where its index finds it.
        request.addfinalizer(lambda: _drop_schema(url))
        options = {"connect_args": {"options": "-csearch_path=migration_check,public"}}
        app = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=url,
                       SQLALCHEMY_ENGINE_OPTIONS=options)
    else:
        app = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/m.db",
                       SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    db.metadata)
        assert diff == []
