"""The README documents every setting exactly as community/config.py declares it."""
from pathlib import Path

from community import config


def test_readme_settings_table_matches_the_code():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("<!-- settings-table -->")[1].split("<!-- /settings-table -->")[0]
    assert table.strip() == config.markdown_table()
