"""Command sync: only when the tree changed, or when forced."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.sync import read_hashes, sync_commands, tree_hash


class RecordingTree(app_commands.CommandTree[discord.Client]):
    """A real command tree whose sync records the target instead of calling Discord."""

    def __init__(self) -> None:
        super().__init__(discord.Client(intents=discord.Intents.none()))
        self.synced: list[int | None] = []

    async def sync(self, *, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        self.synced.append(guild.id if guild else None)
        return list(self.get_commands(guild=guild))


def tree_with(*names: str, tree: RecordingTree | None = None) -> RecordingTree:
    tree = tree or RecordingTree()
    for name in names:

        async def callback(interaction: discord.Interaction) -> None:
            """Do nothing."""

        tree.add_command(app_commands.Command(name=name, description="d", callback=callback))
    return tree


def sync(
    tree: RecordingTree, state: Path, guild_id: int | None = None, force: bool = False
) -> bool:
    return asyncio.run(sync_commands(tree, 7, guild_id, state, force))


def test_the_first_start_syncs_and_the_next_does_not(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    tree = tree_with("ask")
    assert sync(tree, state) and not sync(tree, state)
    assert tree.synced == [None]
    assert read_hashes(state) == {"7:global": tree_hash(tree, None)}


def test_a_changed_tree_syncs_again(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    sync(tree_with("ask"), state)
    changed = tree_with("ask", "index")
    assert sync(changed, state) and changed.synced == [None]


def test_force_syncs_even_when_unchanged(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    tree = tree_with("ask")
    sync(tree, state)
    assert sync(tree, state, force=True) and tree.synced == [None, None]


def test_a_test_guild_gets_its_own_copy_and_hash(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    tree = tree_with("ask")
    assert sync(tree, state, guild_id=42)
    assert tree.synced == [42]
    assert [c.name for c in tree.get_commands(guild=discord.Object(42))] == ["ask"]
    assert set(read_hashes(state)) == {"7:42"}


def test_an_unreadable_state_file_means_sync(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    state.write_text("{not json", encoding="utf-8")
    assert read_hashes(state) == {}
    assert sync(tree_with("ask"), state)


class CommandsPerTarget(RecordingTree):
    """Records what each sync sent: the target and the command names."""

    def __init__(self, refuse: int | None = None) -> None:
        super().__init__()
        self.sent: list[tuple[int | None, list[str]]] = []
        self.refuse = refuse

    async def sync(self, *, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        if guild is not None and guild.id == self.refuse:
            raise discord.Forbidden(FakeResponse(), "Missing Access")
        names = [command.name for command in self.get_commands(guild=guild)]
        self.sent.append((guild.id if guild else None, names))
        return await super().sync(guild=guild)


class FakeResponse:
    status = 403
    reason = "Forbidden"


def test_going_global_clears_the_test_guilds_copies(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    sync(tree_with("ask"), state, guild_id=42)
    tree = CommandsPerTarget()
    tree_with("ask", tree=tree)
    assert sync(tree, state)
    assert tree.sent == [(42, []), (None, ["ask"])]
    assert set(read_hashes(state)) == {"7:global"}
    again = CommandsPerTarget()
    tree_with("ask", tree=again)
    assert not sync(again, state) and again.sent == []


def test_the_copies_are_cleared_even_when_the_global_commands_are_unchanged(
    tmp_path: Path,
) -> None:
    state = tmp_path / "commands.json"
    sync(tree_with("ask"), state)
    sync(tree_with("ask"), state, guild_id=42)
    tree = CommandsPerTarget()
    tree_with("ask", tree=tree)
    assert not sync(tree, state)  # the global commands have not changed ...
    assert tree.sent == [(42, [])]  # ... but the test guild's copies go
    assert set(read_hashes(state)) == {"7:global"}


def test_moving_to_another_test_guild_clears_the_first(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    sync(tree_with("ask"), state, guild_id=41)
    tree = CommandsPerTarget()
    tree_with("ask", tree=tree)
    assert sync(tree, state, guild_id=42)
    assert tree.sent == [(41, []), (42, ["ask"])]
    assert set(read_hashes(state)) == {"7:42"}


def test_a_test_guild_the_bot_left_is_forgotten(tmp_path: Path) -> None:
    state = tmp_path / "commands.json"
    sync(tree_with("ask"), state, guild_id=42)
    tree = CommandsPerTarget(refuse=42)
    tree_with("ask", tree=tree)
    assert sync(tree, state)
    assert tree.sent == [(None, ["ask"])]
    assert set(read_hashes(state)) == {"7:global"}
