"""Long Python work in a child process, with its progress and Cancel relayed to the caller.

A mapped import, and the wizard's scan of the whole file before it, is Python from end to end (reading,
converting and checking each row). In a thread of the window's process it shares the window's GIL: every Qt
event the window handles meanwhile waits up to CPython's switch interval (5 ms) for the GIL, and a repaint needs
hundreds of them, so showing the progress dialog froze the window for half a second. A child process has a GIL
of its own, and all the memory the work took goes back to the system when it ends. It is spawned, not
forked: forking a process that runs Qt and threads is not safe.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from logbook.store.errors import LogbookError

POLL_S = 0.05  # how often the caller's cancelled() is asked while the child works
_PROGRESS, _DONE, _FAILED = "progress", "done", "failed"

T = TypeVar("T")


def run_apart(
    function: Callable[..., T],
    /,
    *args: Any,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """``function(*args, progress=..., cancelled=..., **kwargs)`` in a child process; returns what it returns and
    raises what it raises. Its progress calls are relayed to ``progress``; once ``cancelled()`` says so, its
    ``cancelled`` answers True. ``function`` and its arguments must pickle (a module-level function, plain data);
    a child that ends without an answer raises LogbookError. Returns once the child has ended."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(theirs, function, args, kwargs), name="logbook-apart", daemon=True)
    child.start()
    theirs.close()
    asked_to_stop = False
    try:
        while True:
            if cancelled is not None and not asked_to_stop and cancelled():
                ours.send(None)  # anything sent is a cancel
                asked_to_stop = True
            if not ours.poll(POLL_S):
                continue
            try:
                kind, value = ours.recv()
            except EOFError:
                child.join()
                code = child.exitcode
                raise LogbookError(f"The background process stopped unexpectedly (exit code {code}).") from None
            if kind == _PROGRESS:
                if progress is not None:
                    progress(*value)
            elif kind == _FAILED:
                raise value
            else:
                return value  # type: ignore[no-any-return]  # what function returned, through pickle
    finally:
        ours.close()
        child.join(timeout=10)
        if child.is_alive():  # the caller gave up on it (its progress callback failed): its transaction rolls back
            child.kill()
            child.join()


def _serve(connection: Connection, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The child: run ``function`` and send back its progress, then its result or its error."""

    def progress(done: int, total: int) -> None:
        connection.send((_PROGRESS, (done, total)))

    try:
        answer = (_DONE, function(*args, progress=progress, cancelled=connection.poll, **kwargs))
    except Exception as error:
        answer = (_FAILED, _picklable(error))
    connection.send(answer)
    connection.close()


def _picklable(error: Exception) -> Exception:
    """``error`` if it survives the trip to the parent, else a LogbookError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return LogbookError(f"{type(error).__name__}: {error}")
    return error
