"""``qabot doctor``: every check offline, the token never shown, the right invite."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.doctor import (
    INVITE_PERMISSIONS,
    application_id,
    check_token,
    diagnose,
    invite_permissions,
    invite_url,
)
from bot.settings import Settings
from index import open_index
from tests.conftest import FIXTURE_CORPUS, ROOT

APP = 123456789012345678
TOKEN = base64.urlsafe_b64encode(str(APP).encode()).decode().rstrip("=") + ".GhIjKl." + "x" * 38


def test_the_invite_asks_for_exactly_the_readmes_permissions() -> None:
    assert invite_permissions().value == 274877991936  # 1<<10 | 1<<11 | 1<<14 | 1<<16 | 1<<38
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| Permission | Why |", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| ([^|]+?) \|", table, re.M) == list(INVITE_PERMISSIONS.values())
    url = invite_url(APP)
    assert f"client_id={APP}" in url and "permissions=274877991936" in url
    assert "scope=bot+applications.commands" in url


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (None, "not set"),
        ("", "not set"),
        (f'"{TOKEN}"', "quotes"),
        (f"Bot {TOKEN}", "'Bot ' prefix"),
        (TOKEN + " ", "spaces"),
        ("a" * 32, "not shaped like a bot token"),  # the client secret
        ("0123456789abcdef" * 4, "not shaped like a bot token"),  # the public key
        ("bm90LWFuLWlk.GhIjKl." + "x" * 38, "not shaped like a bot token"),
    ],
)
def test_a_token_of_the_wrong_shape_is_named_never_shown(token: str | None, problem: str) -> None:
    check, found = check_token(token)
    assert not check.ok and found is None and problem in check.detail
    assert not token or token.strip("\"' ") not in check.detail


def test_a_bot_token_gives_its_application() -> None:
    assert application_id(TOKEN) == APP
    check, found = check_token(TOKEN)
    assert check.ok and found == APP and TOKEN not in check.detail


def _settings(tmp_path: Path, token: str | None = TOKEN) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    return Settings(token=token, corpus=corpus, index=tmp_path / "idx", data=tmp_path / "data")


def test_a_healthy_setup_passes_every_check(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    open_index(settings.corpus, settings.index)
    diagnosis = diagnose(settings)
    assert diagnosis.ok, diagnosis.checks
    names = [check.name for check in diagnosis.checks]
    assert {"token", "corpus", "index folder", "index", "freshness", "intents", "invite"} <= set(
        names
    )
    assert diagnosis.invite_url == invite_url(APP)


def test_a_damaged_index_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    open_index(settings.corpus, settings.index)
    folder = settings.index / (settings.index / "CURRENT").read_text()
    weights = bytearray((folder / "weights.npy").read_bytes())
    weights[-1] ^= 1
    (folder / "weights.npy").write_bytes(bytes(weights))
    diagnosis = diagnose(settings)
    (index,) = [check for check in diagnosis.checks if check.name == "index"]
    assert not index.ok and "checksum" in index.detail and "next question rebuilds" in index.detail
    assert (folder / "weights.npy").read_bytes() == bytes(weights)


def test_a_folder_that_is_not_qabots_is_reported(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    (settings.index / "gen-ideas").mkdir(parents=True)
    diagnosis = diagnose(settings)
    (folder,) = [check for check in diagnosis.checks if check.name == "index folder"]
    assert not folder.ok and "did not write" in folder.detail


def test_the_command_prints_the_checks_and_url_but_never_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    args = ["doctor", "--corpus", str(settings.corpus), "--index", str(settings.index)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert TOKEN not in out and TOKEN.split(".")[2] not in out
    assert f"Invite URL: {invite_url(APP)}" in out and "ok   token" in out
    monkeypatch.delenv("DISCORD_TOKEN")
    assert main(args) == 1
    assert "FIX  token: DISCORD_TOKEN is not set" in capsys.readouterr().out
