"""Settings from options and environment; the User-Agent; the cached session's headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit import __version__
from refkit.enrich.session import Settings, open_session, user_agent
from refkit.errors import ConfigError


def test_options_win_over_the_environment(tmp_path: Path) -> None:
    environ = {
        "REFKIT_CROSSREF_URL": "http://127.0.0.1:8088/",
        "REFKIT_MAILTO": "env@example.org",
        "REFKIT_CROSSREF_TOKEN": " key ",
    }
    settings = Settings.from_env(mailto="me@example.org", cache_dir=tmp_path, environ=environ)
    assert settings.base_url == "http://127.0.0.1:8088"
    assert settings.mailto == "me@example.org"
    assert settings.token == "key"
    assert settings.cache_path == tmp_path / "crossref.sqlite"
    assert "key" not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "pool"),
    [
        ({}, "public"),
        ({"REFKIT_MAILTO": "you@example.org"}, "polite"),
        ({"REFKIT_MAILTO": "you@example.org", "REFKIT_CROSSREF_TOKEN": "k"}, "plus"),
    ],
)
def test_the_pool_follows_identification(environ: dict[str, str], pool: str) -> None:
    settings = Settings.from_env(environ=environ)
    assert settings.pool == pool
    assert settings.base_url == "https://api.crossref.org"


@pytest.mark.parametrize(
    ("mailto", "url"),
    [("not-an-address", ""), ("", "ftp://mirror"), ("", "api.crossref.org")],
)
def test_bad_settings_are_config_errors(mailto: str, url: str) -> None:
    environ = {"REFKIT_CROSSREF_URL": url} if url else {}
    with pytest.raises(ConfigError):
        Settings.from_env(mailto=mailto or None, environ=environ)


def test_user_agent_names_refkit_and_the_contact() -> None:
    agent = user_agent("you@example.org")
    assert agent.startswith(f"refkit/{__version__} (")
    assert agent.endswith("mailto:you@example.org)")
    assert user_agent("") in (
        f"refkit/{__version__}",
        agent.replace("; mailto:you@example.org", ""),
    )


def test_the_session_identifies_itself(tmp_path: Path) -> None:
    settings = Settings(mailto="you@example.org", token="k", cache_dir=tmp_path / "new")
    session = open_session(settings)
    assert session.headers["User-Agent"] == user_agent("you@example.org")
    assert session.headers["Crossref-Plus-API-Token"] == "Bearer k"
    assert settings.cache_dir.is_dir()
