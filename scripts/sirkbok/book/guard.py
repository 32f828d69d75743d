"""The build's half of the trust rule (`sirkbok.book.containment`): what `sirkbok check` reports, the
build refuses, so a plain `jupyter-book build` publishes nothing from outside the repository either.

- Before a chapter is parsed, its Markdown is checked as `check` does; a breach stops the build with
  the same Norwegian message (file and line).
- While it is parsed, each file a directive reads is checked again where it is read (`include-read`,
  and `literalinclude`, rST's `include` (whose `:literal:` and `:code:` fire no `include-read`),
  `raw`, `csv-table` wrapped), so neither an included file nor `{eval-rst}` leads out.
- While it is parsed, each substitution (`{{ … }}`, rendered by MyST with Jinja) must be a name the
  book or the page sets, wherever it stands (also where `check` does not look: a glossary, an
  included file, a notebook's Markdown); anything else stops the build before Jinja sees it.
- After it is parsed, images and downloads must lie inside the repository; a region chapter's raw
  HTML (a notebook's output, say) is removed with a warning; a link to `javascript:`, `vbscript:`,
  `data:` or `file:` becomes its text.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging

from sirkbok.book import containment, links
from sirkbok.core.errors import Problem
from sirkbok.run import trust

logger = logging.getLogger(__name__)
INSIDE = containment.INSIDE


class ContainmentError(SphinxError):
    """A chapter reads what it may not; the problems are logged first (Sphinx prints this message in
    ASCII only)."""

    category = "Stoppet"


STOPPED = "Boka ble ikke bygget: et kapittel henter inn noe som ikke er tillatt (se feilene over)."


def _refuse(found: list[Problem]) -> None:
    if found:
        for problem in found:
            logger.error("%s", problem)
        raise ContainmentError(STOPPED)


def _label(app: Sphinx, docname: str) -> str:
    return Path(app.env.doc2path(docname)).relative_to(app.srcdir).as_posix()


def _untrusted(app: Sphinx, docname: str) -> bool:
    return containment.untrusted(Path(app.srcdir), Path(app.env.doc2path(docname)))


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Every chapter's Markdown, as `sirkbok check` reads it, before Sphinx parses it; and a
    notebook that MyST-NB would run."""
    root = Path(app.srcdir)
    path = Path(app.env.doc2path(docname))
    found: list[Problem] = []
    for text in links.file_texts(path, _label(app, docname)):
        found += containment.problems(root, path, text.label, text.text)
    if path.suffix == ".ipynb":
        found += _runs(root, path, _label(app, docname))
    _refuse(found)


RUNS_HERE = (
    "Notatboka ber om å bli kjørt mens boka bygges («mystnb: execution_mode: {mode}» i "
    "metadataene); boka kjører notatbøker bare med «sirkbok regenerate», i et renset miljø."
)


def _runs(root: Path, path: Path, label: str) -> list[Problem]:
    """A notebook the build would run: one whose metadata asks MyST-NB to (`mystnb`, which
    overrides `execute_notebooks: off` for that file), or a contribution `sirkbok check` refuses
    (`run.trust`: it is not even read)."""
    import json

    if containment.untrusted(root, path):
        problem = trust.refusal(root, path, trust.allowlist(root), {})
        if problem is not None:
            return [problem]
    try:
        settings = json.loads(path.read_text("utf-8")).get("metadata", {}).get("mystnb", {})
        mode = settings.get("execution_mode", "off") if isinstance(settings, dict) else "?"
    except (ValueError, AttributeError):  # not a notebook: MyST-NB names it when it reads it
        return []
    if mode == "off":
        return []
    return [Problem(label, RUNS_HERE.format(mode=mode), expected="ingen «mystnb» i metadataene")]


def _file_problem(app: Sphinx, name: str, target: str, line: int | None) -> Problem | None:
    """Why the file `target` that the directive `name` reads may not be read, or None."""
    docname = app.env.docname
    if _untrusted(app, docname):
        message = containment.NO_FILES_HERE.format(name=name)
        expected = containment.WRITE_IT_HERE
    elif not containment.contained(Path(app.srcdir), Path(target)):
        message = containment.OUTSIDE.format(what=f"«{{{name}}}»")
        expected = containment.INSIDE
    else:
        return None
    shown = os.path.relpath(target, app.srcdir) if os.path.isabs(target) else target
    return Problem(_label(app, docname), message, line, found=shown, expected=expected)


def check_include(app: Sphinx, relative_path: Path, parent: str, content: list[str]) -> None:
    """`{include}` (MyST's and rST's), when the file has been read and before it is used."""
    problem = _file_problem(app, "include", os.path.join(app.srcdir, relative_path), None)
    if problem:
        _refuse([problem])


def _guarded(base: Any, name: str) -> Any:
    """`base` with a `run` that first checks the file the directive reads (the `:url:` option,
    which may be `file:///…`, is refused everywhere)."""

    class Guarded(base):
        def run(self) -> list[nodes.Node]:
            env = self.state.document.settings.env
            app = env.app
            if "url" in self.options:
                label = _label(app, env.docname)
                message = containment.NO_URL.format(name=name)
                _refuse([Problem(label, message, self.lineno, found=self.options["url"])])
            if name == "include" and self.arguments[0].startswith("<"):
                return super().run()  # docutils' own definitions (<isonum.txt>)
            if name in (
                "literalinclude",
                "include",
            ):  # rST's include: `:literal:` is no include-read
                target = env.relfn2path(self.arguments[0])[1]
            elif "file" in self.options:
                source = self.state.document.current_source or self.state.document["source"]
                folder = os.path.dirname(os.path.abspath(source))
                target = os.path.normpath(os.path.join(folder, self.options["file"]))
            elif name == "raw" and _untrusted(app, env.docname):
                target = "(HTML)"
            else:
                return super().run()
            problem = _file_problem(app, name, target, self.lineno)
            if problem:
                _refuse([problem])
            return super().run()

    Guarded.__name__ = Guarded.__qualname__ = base.__name__
    return Guarded


def _guard_substitutions() -> None:
    """MyST's substitutions with a name only (see the module's rules): MyST renders what stands
    between the braces with an unsandboxed Jinja and Sphinx's `env` in reach, and has no setting
    to limit that, so its renderer is wrapped once, for every parser that uses it (MyST-NB's too)."""
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    render = DocutilsRenderer.render_substitution
    if getattr(render, "sirkbok_guarded", False):
        return

    def render_substitution(self: Any, token: Any, inline: bool) -> None:
        content = str(token.content)
        if containment.PLAIN_NAME.fullmatch(content) and content.strip() in (
            self.md_config.substitutions or {}
        ):
            return render(self, token, inline)
        env = self.sphinx_env
        label = _label(env.app, env.docname) if env else str(self.document["source"])
        line = token.map[0] + 1 if getattr(token, "map", None) else self.current_node.line
        shown = "{{ " + content.strip()[:70] + " }}"
        _refuse(
            [Problem(label, containment.NOT_A_NAME, line, found=shown, expected=containment.A_NAME)]
        )

    render_substitution.sirkbok_guarded = True  # type: ignore[attr-defined]
    DocutilsRenderer.render_substitution = render_substitution  # type: ignore[method-assign]


WHOLE_FILE = " Linjen kunne ikke bestemmes, så meldingen gjelder fila som helhet."


def _line(app: Sphinx, docname: str, node: nodes.Element, target: str) -> int | None:
    """The 1-based line of `node` in its chapter: its own when docutils knows it; else the first
    line that names `target` (MyST gives images, a card's among them, line 0); else None."""
    if node.line:
        return int(node.line)
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    return next((n for n, t in enumerate(lines, 1) if target and target in t), None)


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """Images and downloads inside the repository; no raw HTML from a region chapter; no live link
    to a script, an embedded document or a local file."""
    env = app.env
    docname = env.docname
    # The book, and the folder where MyST-NB writes a notebook's images (beside the site; outside
    # the book when it is built with --path-output).
    allowed = (Path(app.srcdir), Path(app.outdir).parent / "jupyter_execute")
    found: list[Problem] = []

    def check(node: nodes.Element, target: str, files: list[str], what: str) -> None:
        for path in files:
            if "://" in path or path.startswith(("data:", "?")):
                continue
            if not any(containment.contained(folder, Path(path)) for folder in allowed):
                message = containment.OUTSIDE.format(what=what)
                line = _line(app, docname, node, target)
                if line is None:
                    message += WHOLE_FILE
                where = _label(app, docname)
                found.append(Problem(where, message, line, found=target, expected=INSIDE))
                return

    def files(target: str) -> list[str]:
        return [env.relfn2path(target, docname)[1]] if target else []

    for image in doctree.findall(nodes.image):
        uri = str(image.get("uri", ""))
        # Sphinx has already turned the address into paths from the book's folder (`candidates`).
        chosen = [os.path.join(app.srcdir, c) for c in image.get("candidates", {}).values()]
        check(image, uri, chosen or files(uri), "Bildet")
    for download in doctree.findall(addnodes.download_reference):
        target = str(download.get("reftarget", ""))
        check(download, target, files(target), "Lenken")
    _refuse(found)
    for reference in list(doctree.findall(nodes.reference)):
        if "refuri" in reference:
            # myst-parser 3 HTML-escapes a Markdown link's address and the HTML writer escapes it
            # again («&amp;amp;»), which breaks every query string (the pre-filled issue forms).
            reference["refuri"] = html.unescape(str(reference["refuri"]))
        if containment.BAD_SCHEME.match(str(reference.get("refuri", ""))):
            reference.replace_self(nodes.inline(reference.rawsource, reference.astext()))
    if _untrusted(app, docname):
        for raw in list(doctree.findall(nodes.raw)):
            if not containment.only_comments(raw.astext()):
                logger.warning("%s", containment.NO_HTML, location=raw)
            raw.parent.remove(raw)


def setup(app: Sphinx) -> None:
    """Connected from `sirkbok.book.sphinx_ext.setup`."""
    from docutils.parsers.rst.directives.misc import Raw
    from sphinx.directives.code import LiteralInclude
    from sphinx.directives.other import Include
    from sphinx.directives.patches import CSVTable

    guarded = {
        "literalinclude": LiteralInclude,
        "include": Include,
        "raw": Raw,
        "csv-table": CSVTable,
    }
    for name, base in guarded.items():
        app.add_directive(name, _guarded(base, name), override=True)
    _guard_substitutions()
    containment.linear_markdown()  # no chapter text takes the build's memory (see there)
    app.connect("source-read", check_source)
    app.connect("include-read", check_include)
    app.connect("doctree-read", check_doctree)
