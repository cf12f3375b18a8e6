"""Who is acting: every service call names its actor, and every change entry records it."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from rollcall.errors import PermissionDenied
from rollcall.security.permissions import Permission, permissions_of
from rollcall.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    username: str
    via: str  # "cli" | "api" | "web"
    roles: frozenset[Role] = field(default_factory=frozenset)
    user_id: int | None = None
    #: The local operator holds the database itself; the CLI grants it every permission.
    local_operator: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.local_operator:
            return frozenset(Permission)
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"this needs the permission {permission.value}")


def local_operator(username: str | None = None) -> Actor:
    """The person at the terminal: `--as USER`, else the OS user."""
    return Actor(username=username or getpass.getuser(), via="cli", local_operator=True)
