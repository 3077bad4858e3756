"""Syncing slash commands only when they changed: a hash of the tree is stored.

Discord rate-limits command syncs, so the bot syncs on start only when the
hash of its command tree differs from the one stored after the last sync (or
when ``qabot sync`` forces it). A test guild (``QABOT_GUILD_ID``) gets the
commands at once; global commands can take a while to appear.

The stored hashes also remember which test guilds hold a copy of the commands:
once the bot syncs elsewhere (globally, or to another test guild), those copies
are cleared, or every command would show twice there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """A digest of the commands ``tree`` would sync to ``guild`` (``None``: global)."""
    commands = sorted(tree.get_commands(guild=guild), key=lambda command: command.name)
    payload = [command.to_dict(tree) for command in commands]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def read_hashes(path: Path) -> dict[str, str]:
    """The stored hashes, keyed by application and target; empty when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_hashes(path: Path, hashes: dict[str, str]) -> None:
    """Store the hashes through a temp file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    temp.write_text(json.dumps(hashes, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temp, path)


async def sync_commands(
    tree: app_commands.CommandTree[Any],
    application_id: int | None,
    guild_id: int | None,
    state: Path,
    force: bool,
) -> bool:
    """Sync to the test guild or globally when the tree changed (or ``force``)."""
    target = discord.Object(id=guild_id) if guild_id is not None else None
    if target is not None:
        tree.copy_global_to(guild=target)
    key = f"{application_id}:{guild_id if guild_id is not None else 'global'}"
    digest = tree_hash(tree, target)
    hashes = read_hashes(state)
    if await _clear_old_test_guilds(tree, application_id, guild_id, hashes):
        write_hashes(state, hashes)
    if not force and hashes.get(key) == digest:
        log.info("slash commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=target)
    hashes[key] = digest
    write_hashes(state, hashes)
    where = f"guild {guild_id}" if guild_id is not None else "all servers (global)"
    log.info("synced %d slash commands to %s", len(synced), where)
    return True


async def _clear_old_test_guilds(
    tree: app_commands.CommandTree[Any],
    application_id: int | None,
    guild_id: int | None,
    hashes: dict[str, str],
) -> bool:
    """Remove the commands synced to test guilds other than ``guild_id`` (and their
    hashes); returns whether any stored hash changed."""
    prefix = f"{application_id}:"
    old = [
        int(key.removeprefix(prefix))
        for key in hashes
        if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
    ]
    changed = False
    for old_id in old:
        if old_id == guild_id:
            continue
        guild = discord.Object(id=old_id)
        tree.clear_commands(guild=guild)
        try:
            await tree.sync(guild=guild)
        except (discord.Forbidden, discord.NotFound) as error:  # the bot left that server
            log.warning("cannot clear the commands of test guild %s (%s)", old_id, error)
        except discord.HTTPException as error:  # try again on the next start
            log.warning("cannot clear the commands of test guild %s yet (%s)", old_id, error)
            continue
        else:
            log.info("cleared the slash commands of the former test guild %s", old_id)
        del hashes[f"{prefix}{old_id}"]
        changed = True
    return changed
