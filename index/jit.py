"""Loops compiled by numba, or run as plain Python when compiling would cost more.

Every loop of the fast path (BM25 scoring and its top k, re-ranking, highlights,
spelling) is written once, as a Python function over numpy arrays, and marked with
:func:`kernel`. By default its first call compiles it with numba: the machine code
is cached beside its module (``cache=True``), so later processes only load it, and
``nogil=True`` lets other threads run while one scores (the bot's event loop goes on
while its search thread is in a kernel).

Importing numba and setting up its compiler target costs about 0.3 s, far more than
the whole answer to one question over a small index takes with the same loops
interpreted. So a command that asks a single question of a small index calls
:func:`interpret_kernels` first: numba is then never imported, and the very same functions
run as Python, with the same results (the test suite checks that they agree).

A compiled kernel that calls another needs the other's numba dispatcher, not the
:class:`Kernel` wrapper, among its globals: each is compiled from a copy of its
function whose globals map every kernel it names to that kernel's dispatcher.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_interpreting = False


class Kernel(Generic[P, R]):
    """A loop over numpy arrays: numba-compiled on first use, or interpreted."""

    def __init__(self, python: Callable[P, R]) -> None:
        self.python = python
        self.__name__ = python.__name__
        self.__qualname__ = python.__qualname__
        self.__doc__ = python.__doc__
        self._compiled: Callable[P, R] | None = None

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if _interpreting:
            return self.python(*args, **kwargs)
        return self.compiled()(*args, **kwargs)

    def compiled(self) -> Callable[P, R]:
        """The numba dispatcher (imports numba the first time any kernel needs it)."""
        if self._compiled is None:
            import numba  # only here: see the module docstring

            self._compiled = numba.njit(cache=True, nogil=True)(_with_compiled_kernels(self.python))
        return self._compiled

    def __repr__(self) -> str:
        return f"<kernel {self.python.__module__}.{self.__qualname__}>"


def kernel(python: Callable[P, R]) -> Kernel[P, R]:
    """Mark ``python`` as a kernel: its body must be code numba compiles in nopython mode."""
    return Kernel(python)


def interpret_kernels() -> None:
    """Run every kernel as Python from now on, in this process (see the module docstring).

    For a process that answers a question or two over a small index; a long-running
    one (the bot, a batch of questions, a build) keeps the compiled default.
    """
    global _interpreting
    _interpreting = True


def compile_kernels() -> None:
    """Back to the default, compiled kernels (tests use it to undo :func:`interpret_kernels`)."""
    global _interpreting
    _interpreting = False


def kernels_interpreted() -> bool:
    """Whether kernels run as Python in this process."""
    return _interpreting


def _with_compiled_kernels(python: Callable[..., Any]) -> Callable[..., Any]:
    """A copy of ``python`` whose globals name the dispatchers of the kernels it calls."""
    names = python.__code__.co_names
    namespace = dict(python.__globals__)
    for name in names:
        value = namespace.get(name)
        if isinstance(value, Kernel):
            namespace[name] = value.compiled()
    copy = types.FunctionType(
        python.__code__, namespace, python.__name__, python.__defaults__, python.__closure__
    )
    copy.__qualname__, copy.__module__ = python.__qualname__, python.__module__
    copy.__doc__ = python.__doc__
    return copy
