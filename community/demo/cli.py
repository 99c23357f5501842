"""``flask --app community demo seed|generate``."""
import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo community and generated benchmark data.")


def _print_accounts(accounts):
    click.echo("Demo accounts (for local demos only):")
    width = max(len(email) for email, *_ in accounts)
    for email, role, password, title in accounts:
        label = f"{role} ({title})" if title else role
        click.echo(f"  {email:<{width}}  {label:<28}  password: {password}")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (but still print the accounts) when any category exists.")
def seed_command(if_empty):
    """Load the demo community: categories, threads in German and English, one account per
    role. Running it again adds nothing twice."""
    from .seed import seed

    result = seed(if_empty=if_empty)
    if result.created:
        click.echo(f"Demo community loaded: {result.categories} categories, {result.threads} new "
                   f"threads, {result.replies} replies, {result.votes} helpful votes, "
                   f"{result.accepted} accepted answers.")
        if result.pending:
            click.echo(f"Note: {result.pending} demo posts are waiting for review.")
    else:
        click.echo("The database already has categories; demo community not loaded.")
    _print_accounts(result.accounts)


@demo_cli.command("generate")
@click.option("--users", type=click.IntRange(min=0), default=200, show_default=True,
              help="Accounts to add (a few agents and moderators among them).")
@click.option("--threads", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Threads to add.")
@click.option("--posts", type=click.IntRange(min=0), default=10000, show_default=True,
              help="Posts to add in all, questions included (at least --threads).")
@click.option("--seed", "random_seed", type=int, default=None,
              help="Random seed, for the same texts and shapes again.")
def generate_command(users, threads, posts, random_seed):
    """Bulk-generate a large community for benchmarks (added to what is there)."""
    from .generate import generate

    if posts < threads:
        raise click.BadParameter("must be at least --threads (every thread has its question).",
                                 param_hint="--posts")
    with click.progressbar(length=threads, label="Generating threads",
                           show_pos=True, show_percent=True) as bar:
        try:
            stats = generate(users, threads, posts, seed=random_seed, progress=bar.update)
        except ValueError as error:
            raise click.ClickException(str(error))
    click.echo(f"Generated {stats.users} users, {stats.threads} threads ({stats.solved} solved), "
               f"{stats.posts} posts and {stats.votes} helpful votes in {stats.seconds:.1f} s.")
    if stats.users:
        click.echo(f"Generated accounts log in with the password: {stats.password}")
    click.echo("Generated content sends no events: rebuild the search index with "
               "`flask --app community search reindex`.")
