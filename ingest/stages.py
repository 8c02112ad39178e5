"""The registry of extraction stages: named steps over one DocState, run in the order the rules'
`[pipeline] stages` list gives, so a trained component can replace a rule one by configuration.

A stage is a plain function `(state: DocState) -> None` whose first docstring line describes it.
Register one from any module with `@stage("name")`; a rules file may also name a stage by a
dotted reference "package.module:function" or by an entry point in the group "claimgraph.stages".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from claimgraph.ingest.rules import RulesError

if TYPE_CHECKING:
    from claimgraph.ingest.state import DocState

StageFunction = Callable[["DocState"], None]
ENTRY_POINT_GROUP = "claimgraph.stages"
BUILTIN_MODULES = (
    "claimgraph.ingest.extract",
    "claimgraph.ingest.citation_stage",
    "claimgraph.ingest.argument_stages",
)  # modules whose stages are always known


@dataclass(frozen=True)
class Stage:
    name: str
    function: StageFunction

    @property
    def description(self) -> str:
        doc = (self.function.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else "(no description)"

    @property
    def where(self) -> str:
        """Where the function is defined, as the dotted reference that would load it."""
        return f"{self.function.__module__}:{self.function.__qualname__}"


STAGES: dict[str, Stage] = {}


def stage(name: str) -> Callable[[StageFunction], StageFunction]:
    """Register the decorated function as the extraction stage `name`."""

    def register(function: StageFunction) -> StageFunction:
        old = STAGES.get(name)
        if old is not None and Stage(name, function).where != old.where:
            raise ValueError(f"stage {name!r} is already defined by {old.where}")
        STAGES[name] = Stage(name, function)
        return function

    return register


def _load_builtins() -> None:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)


def _plugin_names() -> list[str]:
    return [ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)]


def known_names() -> list[str]:
    """Every stage name that resolves without a dotted reference."""
    _load_builtins()
    return list(dict.fromkeys([*STAGES, *_plugin_names()]))


def _as_stage(name: str, function: object, origin: str) -> Stage:
    if not callable(function):
        raise RulesError(f"stage {name!r}: {origin} is not a function")
    return Stage(name, function)


def _from_reference(name: str) -> Stage:
    module_name, _, attr = name.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise RulesError(
            f"stage {name!r}: cannot import {module_name!r} ({exc}); is its folder on PYTHONPATH?"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a broken user module is a one-line rules error
        raise RulesError(f"stage {name!r}: importing {module_name!r} failed ({exc})") from None
    function = module
    for part in attr.split("."):
        function = getattr(function, part, None)
    if function is None:
        raise RulesError(f"stage {name!r}: {module_name!r} has no {attr!r}")
    return _as_stage(name, function, name)


def get_stage(name: str) -> Stage:
    """The stage a rules file names: registered, a "module:function" reference, or a plugin."""
    _load_builtins()
    if name in STAGES:
        return STAGES[name]
    if ":" in name:
        return _from_reference(name)
    for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
        try:
            function = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin is a one-line rules error
            raise RulesError(
                f"stage {name!r}: cannot load entry point {ep.value} ({exc})"
            ) from None
        return _as_stage(name, function, ep.value)
    known = ", ".join(known_names())
    raise RulesError(f"unknown stage {name!r} (known stages: {known}; or 'module:function')")


def check_stages(names: list[str]) -> tuple[str, ...]:
    """The stage list of a rules file, checked: each name resolves and none repeats."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RulesError("[pipeline] stages must be a list of stage names")
    for i, name in enumerate(names):
        if name in names[:i]:
            raise RulesError(f"[pipeline] stages lists {name!r} twice")
        get_stage(name)
    return tuple(names)


def run_stages(state: DocState, names: tuple[str, ...] | list[str]) -> None:
    """Run the named stages over `state`, in order."""
    for name in names:
        get_stage(name).function(state)
