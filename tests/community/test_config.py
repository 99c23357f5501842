"""One setting type: the core's and the features' FORUM_* variables are read by one
parser, and a bad value is one error naming the variable."""
import pytest

from community import config
from community.config import SettingError
from moderation import settings as moderation_settings


@pytest.mark.parametrize("variable, value", [
    ("FORUM_SECURE_COOKIES", "maybe"),          # the core's boolean used to read as False
    ("FORUM_POSTS_PER_PAGE", "twenty"),
    ("FORUM_SEARCH_COMPOUNDS", "sometimes"),     # a feature's boolean
    ("FORUM_MOD_FLAGS_TO_HIDE", "three"),
])
def test_a_bad_value_is_one_error_naming_the_variable(make_app, variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError, match=f"{variable}='{value}' is not valid"):
        make_app()


def test_core_and_feature_settings_are_one_type(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_SECURE_COOKIES", "yes")
    monkeypatch.setenv("FORUM_MOD_FLAGS_TO_HIDE", "4")
    app = make_app()
    assert app.config["FORUM_SECURE_COOKIES"] is True
    assert app.config["MOD_FLAGS_TO_HIDE"] == 4
    assert {type(s) for s in [*config.SETTINGS, *moderation_settings.SETTINGS]} == {
        config.Setting}
