"""The bot's refusals: errors whose message is written for the person who asked.

Kept free of discord so the Discord-free parts of the adapter (the library, the
upload checks) can raise them too; ``bot.errors`` sends them privately.
"""

from __future__ import annotations

from index import InputError


class UserFacingError(InputError):
    """A refusal whose message is written for the user (no traceback logged)."""
