"""``qabot doctor``: is this machine ready to run the bot? Checked offline.

It checks the token's shape (never printing it), the corpus, the shared index
and every server's index (loaded with the same checks as the bot, and every
checksum read), the data folder, the intents the bot asks for and the
permissions its invite needs, and builds the invite URL. Nothing is written and
Discord is not contacted, so it works before the bot has ever run.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from pathlib import Path

import discord

from bot.client import intents
from bot.index_layout import guild_prefix
from bot.settings import README_HINT, Settings
from index import CorpusRoot, HealthCheck, check_corpus, check_index

# What the README's invite table lists, in its words: the bot answers mentions in
# channels and threads with embeds, replying to the message that asked.
INVITE_PERMISSIONS = {
    "view_channel": "View Channels",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}
SCOPES = ("bot", "applications.commands")
PRIVILEGED = ("presences", "members", "message_content")
_PART = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Every check, and the invite URL (``None`` without a usable token)."""

    checks: tuple[HealthCheck, ...]
    invite_url: str | None

    @property
    def ok(self) -> bool:
        """Whether nothing must be fixed."""
        return all(check.ok for check in self.checks)


def invite_permissions() -> discord.Permissions:
    """The permissions the invite asks for."""
    return discord.Permissions(**dict.fromkeys(INVITE_PERMISSIONS, True))


def application_id(token: str) -> int | None:
    """The application a bot token belongs to (its first part is the bot's id in
    base64), or ``None`` when the token is not shaped like one."""
    parts = token.split(".")
    if len(parts) != 3 or not all(_PART.fullmatch(part) for part in parts):
        return None
    try:
        decoded = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() and 15 <= len(decoded) <= 20 else None


def check_token(token: str | None) -> tuple[HealthCheck, int | None]:
    """Whether ``token`` looks like a bot token; what it says about it, never the token."""
    if not token:
        return HealthCheck("token", False, f"DISCORD_TOKEN is not set ({README_HINT})"), None
    if token[0] in "\"'" or token.lower().startswith("bot ") or any(c.isspace() for c in token):
        hint = "remove the quotes, the 'Bot ' prefix and any spaces around or inside it"
        return HealthCheck("token", False, f"DISCORD_TOKEN is set but malformed: {hint}"), None
    found = application_id(token)
    if found is None:
        return HealthCheck(
            "token",
            False,
            "DISCORD_TOKEN is set but is not shaped like a bot token (three parts joined by "
            "dots): copy it again from Bot -> Reset Token; a client secret or public key is "
            "not the token",
        ), None
    return HealthCheck("token", True, f"set (not shown), for application {found}"), found


def check_intents() -> HealthCheck:
    """The bot asks for no privileged intent, so none need switching on in the portal."""
    asked = [name for name in PRIVILEGED if getattr(intents(), name)]
    if asked:
        return HealthCheck("intents", False, f"privileged intents asked for: {', '.join(asked)}")
    return HealthCheck(
        "intents", True, "default intents, none privileged: leave Presence, Server Members "
        "and Message Content off in the Developer Portal"
    )  # fmt: skip


def check_invite() -> HealthCheck:
    """The invite's permissions, as the integer the URL carries and by name."""
    names = ", ".join(INVITE_PERMISSIONS.values())
    return HealthCheck("invite", True, f"permissions {invite_permissions().value}: {names}")


def invite_url(app_id: int) -> str:
    """The URL that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(app_id, permissions=invite_permissions(), scopes=SCOPES)


def check_data_folder(data: Path) -> HealthCheck:
    """The data folder (server collections, their indexes, the sync state) can be written."""
    existing = next((folder for folder in (data, *data.parents) if folder.exists()), Path("."))
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return HealthCheck("data folder", False, f"{data} cannot be written (QABOT_DATA)")
    state = "exists" if data.is_dir() else "will be created"
    return HealthCheck("data folder", True, f"{data} {state} and can be written")


def diagnose(settings: Settings) -> Diagnosis:
    """Every check for ``settings``, and the invite URL when the token gives the app id."""
    token, app_id = check_token(settings.token)
    checks = [token, check_corpus(settings.corpus)]
    checks += check_index(settings.corpus, settings.index)
    checks.append(check_data_folder(settings.data))
    checks += _guild_indexes(settings)
    checks += [check_intents(), check_invite()]
    return Diagnosis(tuple(checks), invite_url(app_id) if app_id is not None else None)


def _guild_indexes(settings: Settings) -> list[HealthCheck]:
    checks = []
    folders = settings.guild_indexes
    for folder in sorted(folders.iterdir()) if folders.is_dir() else ():
        number = folder.name.removeprefix("guild-")
        if not folder.is_dir() or not number.isdigit():
            continue
        corpus = [
            CorpusRoot(settings.corpus),
            CorpusRoot(settings.collections / number, prefix=guild_prefix(int(number))),
        ]
        for check in check_index(corpus, folder):
            checks.append(HealthCheck(f"{check.name} ({folder.name})", check.ok, check.detail))
    return checks
