"""Permissions: server admins manage their collection, only the owner the shared corpus."""

from __future__ import annotations

from bot.permissions import (
    Caller,
    caller_of,
    has_admin_role,
    may_change_shared,
    may_manage_collection,
)
from tests.bot_fakes import FakeUser


def caller(
    manage: bool = False, roles: frozenset[str] = frozenset(), owner: bool = False
) -> Caller:
    return Caller(7, manage, roles, frozenset({55}), owner)


def test_manage_server_may_manage_the_collection() -> None:
    assert may_manage_collection(caller(manage=True), None)
    assert not may_manage_collection(caller(), None)


def test_the_configured_role_may_manage_by_name_or_id() -> None:
    assert may_manage_collection(caller(roles=frozenset({"qabot-admins"})), "qabot-admins")
    assert has_admin_role(caller(), "55")
    assert not has_admin_role(caller(roles=frozenset({"qabot-admins"})), None)


def test_only_the_owner_changes_the_shared_corpus() -> None:
    assert may_change_shared(caller(owner=True))
    assert not may_change_shared(caller(manage=True))
    assert may_manage_collection(caller(owner=True), None)


def test_a_user_outside_a_server_has_no_server_permissions() -> None:
    found = caller_of(FakeUser(9), is_owner=False)  # type: ignore[arg-type]
    assert found == Caller(9, False, frozenset(), frozenset(), False)


def test_a_role_id_matches_role_ids_only_and_a_name_names_only() -> None:
    impostor = Caller(7, False, frozenset({"111122223333444455"}), frozenset({99}), False)
    assert not has_admin_role(impostor, "111122223333444455")
    assert not may_manage_collection(impostor, "111122223333444455")
    holder = Caller(7, False, frozenset({"qabot-admins"}), frozenset({111122223333444455}), False)
    assert has_admin_role(holder, "111122223333444455")
    assert not has_admin_role(holder, "99") and not has_admin_role(caller(), "qabot")
