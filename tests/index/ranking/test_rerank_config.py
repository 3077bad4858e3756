"""The re-ranker's levers and their default weights."""

from __future__ import annotations

import pytest

from index.ranking.rerank_config import DEFAULT_RERANK, LEVERS, RerankConfig


def test_config_without_switches_levers_off_and_rejects_unknown_ones() -> None:
    config = DEFAULT_RERANK.without(*LEVERS)
    assert not config.active
    with pytest.raises(ValueError, match="unknown lever"):
        DEFAULT_RERANK.without("magic")


def test_every_lever_is_a_weight_of_the_config() -> None:
    config = RerankConfig()
    assert all(getattr(config, lever) == 0.0 for lever in LEVERS)
    assert not config.active
    assert DEFAULT_RERANK.lead > 0 and DEFAULT_RERANK.active
