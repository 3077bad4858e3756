"""Who may change what: the bot owner the shared corpus, server admins their collection.

``default_permissions`` only hides commands (server admins can override it), so
every admin command also checks here at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord


@dataclass(frozen=True, slots=True)
class Caller:
    """The facts about the person running a command that permissions depend on."""

    user_id: int
    manage_guild: bool
    role_names: frozenset[str]
    role_ids: frozenset[int]
    is_owner: bool = False


def caller_of(user: discord.Member | discord.User, is_owner: bool) -> Caller:
    """The :class:`Caller` for a user (a DM user has no server permissions)."""
    if not isinstance(user, discord.Member):
        return Caller(user.id, False, frozenset(), frozenset(), is_owner)
    return Caller(
        user.id,
        user.guild_permissions.manage_guild,
        frozenset(role.name for role in user.roles),
        frozenset(role.id for role in user.roles),
        is_owner,
    )


def has_admin_role(caller: Caller, admin_role: str | None) -> bool:
    """Whether the caller holds the configured admin role: given as digits, the role with
    that id (never a role *named* with those digits, which anyone could create); given
    otherwise, a role with that name."""
    if not admin_role:
        return False
    if admin_role.isdigit():
        return int(admin_role) in caller.role_ids
    return admin_role in caller.role_names


def may_manage_collection(caller: Caller, admin_role: str | None) -> bool:
    """Server admins (Manage Server or the admin role) and the bot owner."""
    return caller.manage_guild or has_admin_role(caller, admin_role) or caller.is_owner


def may_change_shared(caller: Caller) -> bool:
    """Only the bot owner changes the shared corpus."""
    return caller.is_owner
