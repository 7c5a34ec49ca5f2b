"""Every command and setting is documented, and the public API is exactly what __all__ says."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import click

import newsdesk
from newsdesk.cli import cli
from newsdesk.settings import SETTINGS, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    assert isinstance(cli, click.Group)
    for name in cli.commands:
        assert f"`newsdesk {name}" in README, f"command {name!r} is not documented in README.md"


def test_every_option_is_in_the_readme() -> None:
    assert isinstance(cli, click.Group)
    for command in cli.commands.values():
        for param in command.params:
            if isinstance(param, click.Option):
                long_names = [o for o in param.opts if o.startswith("--")]
                assert any(o in README for o in long_names), f"{command.name} {long_names} missing from README.md"


def test_every_setting_is_in_the_readme_and_the_settings_record() -> None:
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.name
        assert setting.name in Settings.__dataclass_fields__
    assert set(Settings.__dataclass_fields__) == {s.name for s in SETTINGS}
    defaults = Settings()
    for setting in SETTINGS:
        assert getattr(defaults, setting.name) == setting.default, setting.name


def test_public_surface_is_exactly_all() -> None:
    public = {name for name in dir(newsdesk) if not name.startswith("_")} - {
        # submodules imported as a side effect of the re-exports
        name
        for name, value in vars(newsdesk).items()
        if inspect.ismodule(value)
    }
    assert public | {"__version__"} == set(newsdesk.__all__)
    for name in newsdesk.__all__:
        assert hasattr(newsdesk, name)


def test_every_module_imports() -> None:
    root = Path(newsdesk.__file__).parent
    for path in root.rglob("*.py"):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        if module.endswith("__main__"):
            continue
        importlib.import_module(module)
