"""One synthetic world shared by the synth tests (generated once per session)."""

from __future__ import annotations

import pytest
from synth_support import PERSONS, SEED, Generated, Timeline

from rollcall.synth import generate


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("synth")
    return Generated(out, generate(PERSONS, SEED, out))


@pytest.fixture(scope="session")
def timeline(world: Generated) -> Timeline:
    return Timeline(world.table("events.csv"))
