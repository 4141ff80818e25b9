"""The app's Jinja environment imports macros as Jinja does, in a fraction of the function calls."""

import cProfile
import pstats

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import DictLoader

from lehc import templating

MACROS = {"show.html": "{% macro show() %}{{ extra }}{% endmacro %}"}
# as the GOV.UK Frontend macros do: an import inside the macro, run on every call
TAGS = {
    "attributes.html": "{% macro attrs() %} data-x{% endmacro %}",
    "tag.html": "{% macro tag(n) %}{% from 'attributes.html' import attrs %}<b{{ attrs() }}>{{ n }}</b>{% endmacro %}",
}
PAGE = "{% from 'tag.html' import tag %}{% for n in range(20) %}{{ tag(n) }}{% endfor %}"


def environment(kind: type, templates: dict) -> FlaskEnvironment:
    app = Flask(__name__)
    app.jinja_environment = kind
    app.jinja_env.loader = DictLoader(templates)
    app.jinja_env.globals.update(site="LEHC")
    return app.jinja_env


def test_the_app_uses_it(app):
    assert isinstance(app.jinja_env, templating.Environment)


def test_an_imported_macro_sees_the_globals_of_the_template_that_imports_it_and_of_the_environment():
    env = environment(templating.Environment, MACROS)
    page = env.from_string("{% from 'show.html' import show %}{{ show() }} {{ site }}", globals={"extra": "seen"})
    assert page.render() == "seen LEHC"
    assert env.from_string("{% from 'show.html' import show %}[{{ show() }}]").render() == "[]"  # not another's
    assert set(page.globals.keys()) == {"extra", *env.globals} and "site" in env.globals


def test_each_import_costs_a_few_calls_not_one_per_global():
    def calls(kind: type) -> tuple[str, int]:
        page = environment(kind, TAGS).from_string(PAGE)
        page.render()  # compiled and loaded
        profile = cProfile.Profile()
        profile.enable()
        html = page.render()
        profile.disable()
        return html, pstats.Stats(profile).total_calls

    html, ours = calls(templating.Environment)
    same, flasks = calls(FlaskEnvironment)
    assert html == same and html.count("<b data-x>") == 20
    assert flasks - ours > 20 * 30  # about 100 calls fewer per import
