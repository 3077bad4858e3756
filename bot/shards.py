"""Which Discord shards a process runs, and so which indexes it may write.

A large bot runs its shards in several processes over one data folder
(``qabot run --shard-ids 0,1 --shard-count 4``). Discord sends each server's
events to one shard (``(guild_id >> 22) % shard_count``) and direct messages to
shard 0. So each server's own index has exactly one writer, the process that
runs its shard; the shared index is written by the process that runs shard 0,
and the others follow it read-only (``index.IndexFollower``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shards:
    """This process's shards (``ids``) out of ``count``."""

    ids: tuple[int, ...]
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not self.ids or not all(0 <= i < self.count for i in self.ids):
            raise ValueError(f"shard ids {self.ids} must lie in 0..{self.count - 1}")

    @property
    def writes_shared(self) -> bool:
        """Whether this process writes the shared index (it runs shard 0)."""
        return 0 in self.ids

    def owns(self, guild_id: int) -> bool:
        """Whether ``guild_id``'s events come to this process (Discord's shard formula)."""
        return (guild_id >> 22) % self.count in self.ids
