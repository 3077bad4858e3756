"""The command line built from command specs: shared options anywhere, settings for all."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from index.cli.commands import Command, build_parser, main, no_arguments, parse
from index.cli.settings import CORPUS, INDEX, SETTINGS, LoadedSettings

Seen = dict[str, object]


def recording(seen: Seen, name: str) -> Command:
    """A command that records its arguments and settings, and whether its options were built."""

    def arguments(parser: argparse.ArgumentParser) -> None:
        seen[f"{name} options built"] = True
        parser.add_argument("-k", type=int, default=5)

    def handler(args: argparse.Namespace, loaded: LoadedSettings) -> int:
        seen.update(command=name, args=args, corpus=loaded.path(CORPUS), index=loaded.path(INDEX))
        return 0

    return Command(name, f"the {name} command", arguments, handler, (CORPUS, INDEX))


@pytest.fixture
def seen() -> Seen:
    return {}


def run(seen: Seen, *argv: str, environ: dict[str, str] | None = None) -> int:
    commands = [recording(seen, "first"), recording(seen, "second")]
    return main(list(argv), commands, SETTINGS, environ or {})


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "--corpus", "c", "first", "-k", "2"],
        ["first", "-q", "--corpus", "c", "-k", "2"],
        ["--corpus", "c", "first", "-k", "2", "-q"],
    ],
)
def test_shared_options_work_before_and_after_the_command(
    seen: Seen, tmp_path: Path, argv: list[str]
) -> None:
    assert run(seen, *argv) == 0
    args = seen["args"]
    assert isinstance(args, argparse.Namespace)
    assert seen["command"] == "first" and args.quiet and args.k == 2
    assert seen["corpus"] == tmp_path / "c"


def test_an_option_before_the_command_is_not_reset_after_it(seen: Seen, tmp_path: Path) -> None:
    assert run(seen, "--index", "before", "first", "--corpus", "after") == 0
    assert (seen["corpus"], seen["index"]) == (tmp_path / "after", tmp_path / "before")


def test_only_the_chosen_command_builds_its_options(seen: Seen) -> None:
    assert run(seen, "second") == 0
    assert seen.get("second options built") and not seen.get("first options built")


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_env_file_option_works_for_every_command(
    seen: Seen, tmp_path: Path, where: str
) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "x.env").write_text("QABOT_CORPUS=articles\n", encoding="utf-8")
    for name in ("first", "second"):
        option = ["--env-file", "conf/x.env"]
        argv = [*option, name] if where == "before" else [name, *option]
        assert run(seen, *argv) == 0
        assert seen["corpus"] == tmp_path / "conf" / "articles"


def test_a_flag_wins_over_the_environment(seen: Seen, tmp_path: Path) -> None:
    assert run(seen, "first", environ={"QABOT_CORPUS": "env", "QABOT_INDEX": "/i"}) == 0
    assert (seen["corpus"], seen["index"]) == (tmp_path / "env", Path("/i"))
    assert run(seen, "first", "--corpus", "flag", environ={"QABOT_CORPUS": "env"}) == 0
    assert seen["corpus"] == tmp_path / "flag"


def test_a_bad_log_level_stops_every_command_with_the_allowed_values(
    seen: Seen, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seen, "first", environ={"QABOT_LOG_LEVEL": "LOUD"}) == 2
    error = capsys.readouterr().err
    assert "QABOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR" in error
    assert "command" not in seen


def test_a_missing_env_file_is_named(seen: Seen, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(seen, "first", "--env-file", "nope.env") == 2
    assert "nope.env does not exist (--env-file)" in capsys.readouterr().err


def test_help_lists_the_commands_and_where_each_setting_comes_from(
    seen: Seen, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "500")  # no line breaks inside the long paths
    (tmp_path / ".env").write_text("QABOT_INDEX=idx\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        run(seen, "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "the first command" in text and "the second command" in text
    assert f"now {tmp_path / 'seeds'}, from the built-in default" in text
    assert f"now {tmp_path / 'idx'}, from {tmp_path / '.env'}" in text
    assert "first options built" not in seen


def test_no_command_is_a_usage_error(seen: Seen, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        run(seen)
    assert raised.value.code == 2 and "COMMAND" in capsys.readouterr().err


def test_parse_applies_flags_to_the_loaded_settings() -> None:
    command = Command("bare", "no options", no_arguments, lambda args, loaded: 0, (CORPUS,))
    args, loaded = parse(["bare", "--corpus", "/x"], [command], SETTINGS, {})
    assert args.command == "bare" and loaded.path(CORPUS) == Path("/x")
    assert "bare" in build_parser([command]).format_help()


def test_a_mistake_is_reported_with_the_commands_full_usage(
    seen: Seen, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["first", "-k"], ["first", "--corpus"], ["first", "-k", "many"]):
        with pytest.raises(SystemExit) as raised:
            run(seen, *argv)
        assert raised.value.code == 2
        error = capsys.readouterr().err
        assert "usage: qabot first [-h]" in error and "[-k K]" in error
