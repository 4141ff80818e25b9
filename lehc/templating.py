"""The app's Jinja environment: Flask's, with template globals whose keys are a set.

Jinja keeps each template's globals in a ChainMap over the environment's. Each `{% from ... import ... %}` that runs
subtracts those keys from the importing template's (`Template._get_default_module`). A ChainMap's keys view does
that subtraction in Python, one membership test per key through every map. The GOV.UK Frontend macros import
`govukAttributes` inside each macro, so every tag, button or summary list on a page pays for it: about 100 function
calls each, some 3,500 on the home page.

The set holds the same keys and is built afresh each time it is asked for, so what a template sees does not change,
globals added later included.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment as FlaskEnvironment


class _Globals(ChainMap):
    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals({} if d is None else d, self.globals)
