"""Sphinx extension: the ``omcd-quiz`` directive (listed in ``_config.yml``).

In a page, ``{omcd-quiz} ch2`` (MyST) renders the quiz ``ch2`` of :mod:`omcd.quiz`: questions
answered and checked in the reader's browser, their answers computed from the models at build
time. Only pages with a quiz load ``omcd-quiz.js`` (a classic script: it runs from ``file://``
too) and ``omcd-quiz.css`` from ``site_assets/``.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

SCRIPT, STYLE = "omcd-quiz.js", "omcd-quiz.css"


class quiz_node(nodes.General, nodes.Element):
    """A quiz; written as raw HTML by the HTML builders, skipped by the others."""


class QuizDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        from omcd.quiz import quiz_html

        name = self.arguments[0]
        try:
            markup = quiz_html(name)
        except ValueError as error:
            raise self.error(str(error)) from None
        node = quiz_node(quiz=name, html=markup)
        self.set_source_info(node)
        return [node]


def _visit_html(self, node: quiz_node) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def _skip(self, node: quiz_node) -> None:
    raise nodes.SkipNode


def _add_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if doctree is not None and next(iter(doctree.findall(quiz_node)), None) is not None:
        app.add_js_file(SCRIPT, defer="defer")
        app.add_css_file(STYLE)


def setup(app: Sphinx) -> dict:
    app.add_node(
        quiz_node,
        html=(_visit_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive("omcd-quiz", QuizDirective)
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
