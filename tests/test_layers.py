"""The layers of ``index/`` and its public API, checked from the source's imports.

``LAYERS`` is the one declaration of the layers, lowest first. A module may import
from its own package and from packages of lower layers, never from a peer on its
layer or from above. Imports inside functions count too: a lazy import is still
a dependency. The adapters (``bot/``, ``bench/``) import only the public API,
``index`` itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS: tuple[tuple[str, ...], ...] = (
    ("index.records", "index.errors", "index.jit", "index.article_relevance"),
    ("index.terms",),
    ("index.articles",),
    ("index.web",),
    ("index.ranking", "index.semantic"),
    ("index.storage",),
    ("index.service",),
    ("index",),
    ("index.cli",),
    ("index.__main__",),
)
# The bot also uses the command line's public API (its commands and the settings
# loader): its composition root builds the ``qabot`` command from both adapters.
PUBLIC = {"bot": ("index", "index.cli"), "bench": ("index",)}


def layer_of(module: str) -> tuple[int, str]:
    """The layer number and package of ``module`` (its longest declared prefix)."""
    best: tuple[int, str] | None = None
    for number, packages in enumerate(LAYERS):
        for package in packages:
            inside = module == package or module.startswith(package + ".")
            if inside and (best is None or len(package) > len(best[1])):
                best = (number, package)
    if best is None:
        raise AssertionError(f"{module} is in no declared layer: add it to LAYERS")
    return best


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it; ``from a import b`` gives ``a.b``
    when ``a.b`` is a module, else ``a``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (ROOT / candidate.replace(".", "/")).with_suffix(".py").exists()
                is_package = (ROOT / candidate.replace(".", "/") / "__init__.py").exists()
                yield candidate if is_module or is_package else node.module


def index_modules() -> list[Path]:
    return sorted((ROOT / "index").rglob("*.py"))


def test_every_module_of_index_is_in_a_declared_layer() -> None:
    for path in index_modules():
        layer_of(module_name(path))


@pytest.mark.parametrize("path", index_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_peer_or_a_higher_layer(path: Path) -> None:
    own_layer, own_package = layer_of(module_name(path))
    for imported in imported_modules(path):
        if imported != "index" and not imported.startswith("index."):
            continue
        layer, package = layer_of(imported)
        allowed = package == own_package or layer < own_layer
        assert allowed, f"{module_name(path)} (layer {own_layer}) imports {imported} ({layer})"


def test_the_declared_layers_exist_or_are_announced() -> None:
    missing = [
        package
        for packages in LAYERS
        for package in packages
        if not (ROOT / package.replace(".", "/")).with_suffix(".py").exists()
        and not (ROOT / package.replace(".", "/") / "__init__.py").exists()
    ]
    assert set(missing) <= {"index.web", "index.semantic"}, missing


def test_every_subpackage_says_what_it_is_for() -> None:
    for init in sorted((ROOT / "index").glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring) > 200, f"{init} needs a paragraph saying what it holds"


ADAPTER_FILES = sorted([*(ROOT / "bot").glob("*.py"), *(ROOT / "bench").glob("*.py")])


@pytest.mark.parametrize("path", ADAPTER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_adapters_import_only_the_public_api(path: Path) -> None:
    public = PUBLIC[path.parent.name]
    for imported in imported_modules(path):
        if imported == "index" or imported.startswith("index."):
            assert imported in public, f"{path} imports {imported}; import from {public}"


def test_the_public_api_lists_only_names_it_can_load() -> None:
    import index

    assert index.__all__ == sorted(index.__all__, key=lambda name: (not name.isupper(), name))
    for name in index.__all__:
        assert getattr(index, name) is not None, name
