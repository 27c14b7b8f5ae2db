"""The package's layout holds: every module imports, and imports follow the pipeline's order.

A module may import ``generator.model``, ``generator.common`` and the packages before its own in
:data:`ORDER`; ``model`` imports nothing of backissue (but the configuration's type, for annotations only),
and publishing never imports the builder.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest

from generator import build
from generator.render.outputs import PlannedOutput

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
ORDER = ("model", "common", "store", "readers", "site", "render", "edit", "build", "commands")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(module_name(path) for path in PACKAGE.rglob("*.py") if path.name != "__main__.py")  # runs the CLI


def layer(module: str) -> str:
    """The part of the pipeline a module belongs to: its first name under ``generator``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "generator"


def source_of(module: str) -> ast.Module:
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if not path.is_file():
        path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    return ast.parse(path.read_text(encoding="utf-8"))


def for_annotations_only(tree: ast.Module) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:``, which run only for a type checker."""
    guarded = [
        node for node in ast.walk(tree) if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {inner for node in guarded for inner in ast.walk(node) if isinstance(inner, (ast.Import, ast.ImportFrom))}


def imports_of(module: str, at_run_time: bool = True) -> set[str]:
    """Every backissue module *module* imports, at the top or inside a function (with *at_run_time*,
    not counting those for annotations only)."""
    tree = source_of(module)
    skipped = for_annotations_only(tree) if at_run_time else set()
    found = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import; backissue imports by full name"
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name == "generator" or name.startswith("generator.")}
    return found


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports(module):
    importlib.import_module(module)


@pytest.mark.parametrize("module", [m for m in MODULES if layer(m) in ORDER])
def test_imports_follow_the_pipeline_order(module):
    own = ORDER.index(layer(module))
    for imported in imports_of(module):
        other = layer(imported)
        if other == layer(module) or other == "generator":
            continue
        assert other in ORDER, f"{module} imports {imported}, which is outside the pipeline's packages"
        allowed = other in ("model", "common") and layer(module) != "model" or ORDER.index(other) < own
        assert allowed, f"{module} imports {imported}: {layer(module)} may not import {other}"


def test_the_model_imports_nothing_of_backissue_at_run_time():
    assert imports_of("generator.model") == set()
    assert imports_of("generator.model", at_run_time=False) <= {"generator.common.config"}


def test_publishing_never_imports_the_builder():
    publishing = [m for m in MODULES if m.startswith("generator.commands.publish")]
    assert publishing
    for module in publishing:
        assert not any(name == "generator.build" or name.startswith("generator.build.") for name in imports_of(module))


def test_warnings_are_returned_never_appended_to_a_list_passed_in():
    """One convention for warnings: a function returns them (``(value, diagnostics)``); none takes a list of
    diagnostics to append to, so what a call warned about is always visible where it is called."""
    offenders = []
    for module in MODULES:
        for node in ast.walk(source_of(module)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for argument in node.args.args + node.args.kwonlyargs:
                    if argument.annotation is not None and "list[Diagnostic]" in ast.unparse(argument.annotation):
                        offenders.append(f"{module}.{node.name}({argument.arg})")
    assert offenders == []


def test_the_build_stages_hand_on_immutable_results():
    """load → plan → make → remember: each stage's result is frozen, so no later stage can change an earlier one's."""
    for result in (build.Loaded, build.BuildPlan, build.Made, build.MadeOutput, build.BuildReport, PlannedOutput):
        assert dataclasses.is_dataclass(result) and result.__dataclass_params__.frozen, result.__name__
