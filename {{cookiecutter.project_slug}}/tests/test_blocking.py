"""A blocking SDK stream is read in a thread: the event loop keeps running meanwhile."""

import asyncio
import time
from contextlib import aclosing

import pytest

from {{ cookiecutter.package_name }}.agent.blocking import iterate_in_thread


def slow_stream(items, pause, log):
    try:
        for item in items:
            time.sleep(pause)  # what a synchronous SDK read does
            yield item
    finally:
        log.append("closed")


async def ticker(ticks):
    while True:
        await asyncio.sleep(0.005)
        ticks.append(time.perf_counter())


async def consume(stream, limit=None):
    ticks, got = [], []
    tick_task = asyncio.create_task(ticker(ticks))
    try:
        async with aclosing(iterate_in_thread(stream)) as items:
            async for item in items:
                got.append(item)
                if limit and len(got) == limit:
                    break
    finally:
        tick_task.cancel()
    return got, ticks


def test_items_arrive_in_order_and_the_loop_keeps_ticking():
    log = []
    got, ticks = asyncio.run(consume(slow_stream(["a", "b", "c", "d"], 0.04, log)))
    assert got == ["a", "b", "c", "d"]
    # 160 ms of blocking reads: a blocked loop would tick at most once or twice.
    assert len(ticks) >= 8, f"the event loop was blocked ({len(ticks)} ticks)"
    assert log == ["closed"]


def test_stopping_early_closes_the_stream():
    log = []
    got, _ = asyncio.run(consume(slow_stream(range(100), 0.001, log), limit=2))
    assert got == [0, 1]
    assert log == ["closed"]


def test_an_error_in_the_stream_reaches_the_consumer():
    def broken():
        yield 1
        raise ConnectionError("stream reset")

    async def read_all():
        return [item async for item in iterate_in_thread(broken())]

    with pytest.raises(ConnectionError, match="stream reset"):
        asyncio.run(read_all())
