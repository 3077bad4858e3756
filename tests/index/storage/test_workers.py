"""Build workers: started only when asked, results in the order of the tasks."""

from __future__ import annotations

import multiprocessing

from index.storage.workers import Workers


def test_workers_start_on_demand_and_keep_the_order_of_tasks() -> None:
    with Workers(2) as pool:
        assert not pool.started
        assert list(pool.in_order(pow, range(12), 2)) == [i**2 for i in range(12)]
        assert pool.started
        assert pool.submit(divmod, 17, 5).result() == (3, 2)
    assert not pool.started
    pool.close()  # closing twice is harmless


def test_starting_spawns_every_worker_at_once() -> None:
    # A build's first task (Punkt's training) must not leave the other worker unspawned
    # until the batches come: every process exists as soon as the workers are started.
    before = set(multiprocessing.active_children())
    with Workers(2) as pool:
        pool.start()
        assert len(set(multiprocessing.active_children()) - before) == 2
