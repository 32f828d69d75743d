"""What a chapter may pull into the book: the trust rule for markup, stated once.

- Region chapters (`chapters/regioner/**`) are contributions, so untrusted: no directive or role that
  reads a file or an address (`{include}`, `{literalinclude}`, `{raw}`, `{csv-table}` with `:file:`,
  `{code-cell}` with `:load:`, `{download}`), no `{eval-rst}`, no raw HTML (comments aside), and no
  front matter that sets MyST's or MyST-NB's options (`myst`, `mystnb`, `kernelspec`, ...).
- The maintainers' chapters (everything else) may read files, but only inside the repository and
  never through a symbolic link.
- In every chapter: images and downloads stay inside the repository too, no directive fetches an
  address (`:url:`), and a link is never `javascript:`, `vbscript:`, `data:` or `file:`.
- In every chapter a substitution is a plain name (`{{ forfatter }}`): MyST renders what stands
  between the braces with Jinja, unsandboxed and with Sphinx's environment in reach, so an
  expression there could run code and read any file or variable of the build.

`sirkbok check` reports each breach with file and line (`problems`); the build refuses the same
(`sirkbok.book.guard`), so a plain `jupyter-book build` publishes nothing from outside either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sirkbok.book.frontmatter import FRONT_MATTER, UNREADABLE
from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError

UNTRUSTED = "chapters/regioner"
# Directives that read a file named by their first argument ("/" = the book's folder, as Sphinx
# reads it), or by an option (docutils reads an absolute path as it stands).
ARGUMENT_FILES = {"include", "literalinclude", "image", "figure"}
OPTION_FILES = {"raw": "file", "csv-table": "file", "code-cell": "load"}  # "/x" is /x
# Reading a file is a maintainer's tool; these are refused in region chapters wherever they point.
READS_FILES = {"include", "literalinclude", "raw", "csv-table", "code-cell", "eval-rst"}
# Which pages the book has is _toc.yml's to say (a maintainer's file): a region chapter's own
# {toctree} can list the book in a circle, and Sphinx then dies of recursion.
ORDERS_PAGES = {"toctree"}
FILE_ROLES = {"download"}
# Directives whose body is not Markdown (it is not scanned for nested directives or HTML).
LITERAL = {"code", "code-block", "sourcecode", "code-cell", "math", "raw", "csv-table", "eval-rst"}
LITERAL |= {"literalinclude", "bibliography", "glossary"}
# Front matter keys that configure MyST or MyST-NB for one file (refused in region chapters).
SETTINGS = {"myst", "mystnb", "html_meta", "substitutions", "kernelspec", "jupytext", "file_format"}
SETTINGS |= {"<<"}  # a YAML merge key brings in keys of its own
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
MAX_DEPTH = 20  # directives inside directives: the book uses two levels at most
SPACE = re.compile(r"\s*")
OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*?)\s*$")
YAML_OPTION = re.compile(r"^\s*([\w-]+)\s*:\s*(.*?)\s*$")
PLAIN_NAME = re.compile(r"\s*[A-Za-z][A-Za-z0-9_]*\s*")  # a substitution: a name, no expression

NO_FILES_HERE = (
    "Regionkapitler kan ikke hente inn filer eller kode: «{{{name}}}» er ikke tillatt her, "
    "og kapitlet kommer ikke med i boka slik."
)
WRITE_IT_HERE = "teksten skrevet rett i kapitlet (bilder med ![tekst](figurer/bilde.png))"
OUTSIDE = (
    "{what} peker til en fil utenfor repositoriet eller gjennom en symbolsk lenke; "
    "bare filer inne i repositoriet kan tas med i boka."
)
INSIDE = "en sti til en vanlig fil inne i repositoriet"
NO_URL = (
    "«{{{name}}}» henter innhold fra en adresse («:url:»); boka tar bare med filer fra "
    "repositoriet."
)
NO_HTML = "Regionkapitler kan ikke inneholde HTML-kode; den kommer ikke med i boka."
MARKDOWN = "Markdown, for eksempel **fet**, [lenke](https://…) eller ![bilde](figurer/bilde.png)"
NO_SETTINGS = (
    "Regionkapitler kan ikke endre hvordan boka leses eller kjøres: «{key}» er ikke tillatt i "
    "forside-dataene."
)
FRONT_KEYS = "bare title, region, theme, authors, date og status"
NO_TOCTREE = (
    "Regionkapitler kan ikke lage sin egen innholdsfortegnelse («{toctree}»); hvilke sider boka "
    "har og i hvilken rekkefølge, står i _toc.yml, som `sirkbok new-chapter` oppdaterer."
)
TOO_DEEP = "Direktivene ligger i for mange nivåer inni hverandre."
NOT_A_NAME = (
    "En erstatning («{{ … }}») kan bare være navnet på en verdi boka setter; et uttrykk mellom "
    "klammene blir ikke regnet ut, fordi det kan kjøre kode."
)
A_NAME = "et navn, for eksempel «{{ forfatter }}» eller «{{ versjon }}»"
BAD_LINK = "Lenken har en adresse som ikke er tillatt (javascript:, vbscript:, data: eller file:)."
WEB_ADDRESS = "en adresse som begynner med https://, eller en sti til en fil i boka"


def only_comments(html: str) -> bool:
    """HTML that is nothing but comments and white space (read in one pass: a regular expression
    for this backtracks exponentially on a long run of comments followed by text)."""
    position = 0
    while True:
        position = SPACE.match(html, position).end()  # type: ignore[union-attr]
        if position == len(html):
            return True
        if not html.startswith("<!--", position):
            return False
        end = html.find("-->", position + 4)
        if end < 0:
            return False
        position = end + 3


def untrusted(root: Path, path: Path) -> bool:
    """A contribution: a chapter file under `chapters/regioner` (see the module's rule)."""
    try:
        name = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return True  # not in the book at all
    return name == UNTRUSTED or name.startswith(UNTRUSTED + "/")


def contained(root: Path, path: Path) -> bool:
    """`path` (absolute, or relative to the current folder) lies in the book's folder `root`, no
    part of it below `root` is a symbolic link, and it is a regular file or folder if it exists."""
    base = Path(os.path.realpath(root))
    candidate = os.path.normpath(os.path.abspath(path))
    start = os.path.abspath(root)
    if candidate != start and not candidate.startswith(start.rstrip("/") + "/"):
        return False
    if not os.path.realpath(candidate).startswith(str(base).rstrip("/") + "/"):
        return candidate == start
    walk = base
    for part in Path(os.path.relpath(candidate, start)).parts:
        if part == ".":
            continue
        walk = walk / part
        if walk.is_symlink():
            return False
    return not walk.exists() or walk.is_file() or walk.is_dir()


def target_path(root: Path, base: Path, target: str, sphinx_style: bool = True) -> Path:
    """Where a directive's file argument points, joined as the directive joins it: Sphinx reads
    "/x" as the book's x (and "//x" as /x), docutils (`raw`, `csv-table`) reads "/x" as /x."""
    if target.startswith("/") and sphinx_style:
        return Path(os.path.join(root, target[1:]))
    return Path(os.path.join(base, target))


@dataclass(frozen=True)
class Finding:
    """One use of a directive, role or HTML in a text, as written."""

    line: int
    # "directive", "role", "html", "link" (a forbidden address), "target" (any other address),
    # "substitution" (`{{ … }}`) or "deep" (directives nested deeper than MAX_DEPTH)
    kind: str
    name: str
    argument: str = ""
    options: tuple[tuple[str, str], ...] = ()


def fragments_join(state: Any) -> None:
    """markdown-it's last inline rule (merge neighbouring text tokens, set each token's level) in
    linear memory. The library's own (markdown-it-py 3.0) leaves every token of a run of text holding
    the whole run so far, so a paragraph of many unpaired `_` or `*` (`snake_case ` 30 000 times,
    480 KB) took 4 GB and stopped `check` and the build; this gives the same tokens."""
    level = 0
    kept: list[Any] = []
    pieces: list[str] = []
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
        if token.type == "text":
            pieces.append(token.content)
            last = token
            continue
        if pieces:
            last.content, pieces = "".join(pieces), []
            kept.append(last)
        kept.append(token)
    if pieces:
        last.content = "".join(pieces)
        kept.append(last)
    state.tokens[:] = kept


def linear_markdown() -> None:
    """Every markdown-it parser made from now on (ours, MyST's, MyST-NB's) joins text with
    `fragments_join` above: the library has no setting for it, only its list of rules."""
    from markdown_it import parser_inline

    rules = parser_inline._rules2
    rules[:] = [
        (name, fragments_join if name == "fragments_join" else rule) for name, rule in rules
    ]


@cache
def _parser() -> Any:
    """Markdown as the book parses it (MyST with the extensions of _config.yml)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    linear_markdown()
    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "substitution"})
    parser = create_md_parser(config, RendererHTML)
    # The book's parser shows a javascript: link as text; here it is kept, to be reported.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _split_options(body: str) -> tuple[dict[str, str], str, int]:
    """A directive's options (`:key: value` lines or a `---` YAML block), its content, and the number
    of lines the options take."""
    lines = body.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                match = YAML_OPTION.match(line)
                if match:
                    options[match.group(1)] = match.group(2).strip("'\"")
            return options, "\n".join(lines[end + 1 :]), end + 1
    count = 0
    for line in lines:
        match = OPTION.match(line)
        if not match:
            break
        options[match.group(1)] = match.group(2)
        count += 1
    return options, "\n".join(lines[count:]), count


def findings(text: str, offset: int = 0, depth: int = 0) -> Iterator[Finding]:
    """Every directive, role and raw HTML in Markdown `text`, nested directives included (down to
    `MAX_DEPTH`; deeper is a finding of its own)."""
    for token in _parser().parse(text):
        line = offset + (token.map[0] + 1 if token.map else 1)
        if token.type in ("fence", "colon_fence"):
            match = re.match(r"^\{([^}\s]+)\}\s*(.*)$", token.info.strip())
            if not match:
                continue
            # docutils looks directive and role names up in lower case: {INCLUDE} is {include}
            name, argument = match.group(1).lower(), match.group(2).strip()
            options, content, used = _split_options(token.content)
            yield Finding(line, "directive", name, argument, tuple(options.items()))
            if name in LITERAL:
                continue
            if depth >= MAX_DEPTH:
                yield Finding(line, "deep", name)
            else:
                yield from findings(content, line + used, depth + 1)
        elif token.type == "html_block" and not only_comments(token.content):
            yield Finding(line, "html", "", token.content)
        elif token.type == "substitution_block":
            yield Finding(line, "substitution", "", token.content)
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1  # the next line of the paragraph
            elif child.type == "html_inline" and not only_comments(child.content):
                if child.content.startswith("</"):
                    continue  # the opening tag is reported
                yield Finding(line, "html", "", child.content)
            elif child.type == "substitution_inline":
                yield Finding(line, "substitution", "", child.content)
            elif child.type == "myst_role":
                name = str(child.meta.get("name", "")).lower()
                yield Finding(line, "role", name, child.content)
            elif child.type in ("link_open", "image"):
                address = str(child.attrs.get("href") or child.attrs.get("src") or "")
                yield Finding(line, "link" if BAD_SCHEME.match(address) else "target", "", address)


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 80 else flat[:77] + "…"


def _role_target(content: str) -> str:
    match = re.match(r"^.*<([^<>]+)>\s*$", content, re.S)
    return (match.group(1) if match else content).strip()


def front_matters(text: str) -> list[str]:
    """The front matter of a Markdown file as each reader finds it: ours (`FRONT_MATTER`), MyST's
    (markdown-it's front matter rule) and MyST-NB's (from a first line that starts with «---» to
    the next such line or «...»). They differ at the edges («----», «--- x», «...»), and a key one
    of them sees is a key the build may obey."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    found = []
    if match := FRONT_MATTER.match(text):
        found.append(match.group(1) or "")
    tokens = MarkdownIt("zero").use(front_matter_plugin).parse(text)
    if tokens and tokens[0].type == "front_matter":
        found.append(tokens[0].content)
    if text.startswith("---"):
        lines = []
        for line in text.splitlines()[1:]:
            if line.startswith(("---", "...")):
                break
            lines.append(line.rstrip() + "\n")
        found.append("".join(lines))
    return list(dict.fromkeys(found))


def _settings(label: str, text: str) -> list[Problem]:
    """Front matter keys that change how MyST reads or runs a file (extensions, `<meta>` tags,
    substitutions, a notebook's kernel and execution): a maintainer's choice, refused in a region
    chapter. Keys are read as strings and as typed YAML (where `<<:` merges in a mapping, and
    `!!str key` is a key), in every reader's front matter; one we cannot read is refused too, since
    MyST's own YAML reader might still read it."""

    keys: set[str] = set()
    for block in front_matters(text):
        for plain in (True, False):
            try:
                meta = safeyaml.load(block, label, plain=plain, line_offset=1, what=UNREADABLE)
            except UserError as error:  # a reader's error may have no position: the top, then
                return [replace(p, line=p.line or 1) for p in error.problems]
            except (ValueError, TypeError, OverflowError):  # `date: 2026-13-01`: MyST fails too
                continue
            if isinstance(meta, dict):
                keys |= {str(key) for key in meta}
    lines = text.splitlines()
    found = []
    for key in sorted(keys & SETTINGS):
        pattern = re.compile(rf"(?<![\w-]){re.escape(key)}['\"]?\s*:")
        line = next((n for n, t in enumerate(lines[:200], 1) if pattern.search(t)), 1)
        message = NO_SETTINGS.format(key=key)
        found.append(Problem(label, message, line, found=key, expected=FRONT_KEYS))
    return found


def problems(root: Path, path: Path, label: str, text: str) -> list[Problem]:
    """What the chapter file `path` (shown as `label`) may not pull into the book, in `text`."""
    text = text.removeprefix("\ufeff")  # Sphinx reads with «utf-8-sig»: MyST never sees a BOM
    found: list[Problem] = []
    strict = untrusted(root, path)
    if strict and path.suffix == ".md":
        found += _settings(label, text)

    def add(finding: Finding, message: str, shown: str, expected: str) -> None:
        found.append(Problem(label, message, finding.line, found=_shown(shown), expected=expected))

    for item in findings(text):
        options = dict(item.options)
        target = _file_target(item, options)
        if item.kind == "deep":
            add(item, TOO_DEEP, item.name, f"høyst {MAX_DEPTH} nivåer")
        elif item.kind == "html":
            if strict:
                add(item, NO_HTML, item.argument, MARKDOWN)
        elif item.kind == "link":
            add(item, BAD_LINK, item.argument, WEB_ADDRESS)
        elif item.kind == "substitution":
            if not PLAIN_NAME.fullmatch(item.argument):
                add(item, NOT_A_NAME, "{{ " + item.argument.strip() + " }}", A_NAME)
        elif strict and item.kind == "directive" and item.name in ORDERS_PAGES:
            add(item, NO_TOCTREE, item.name, "kapitlet lagt inn med `sirkbok new-chapter`")
        elif strict and _reads(item, options):
            add(item, NO_FILES_HERE.format(name=item.name), target or item.argument, WRITE_IT_HERE)
        elif "url" in options and item.name in OPTION_FILES:
            add(item, NO_URL.format(name=item.name), options["url"], INSIDE)
        elif target:
            docutils_style = item.kind == "directive" and item.name in OPTION_FILES
            where = target_path(root, path.parent, target, sphinx_style=not docutils_style)
            if not contained(root, where):
                what = f"«{{{item.name}}}»" if item.name else "Lenken eller bildet"
                add(item, OUTSIDE.format(what=what), target, INSIDE)
    return found


def _reads(item: Finding, options: dict[str, str]) -> bool:
    """A directive or role that reads a file or an address (refused in region chapters)."""
    if item.kind == "role":
        return item.name in FILE_ROLES
    if item.name in OPTION_FILES and item.name != "raw":  # inline csv-table, code-cell: fine
        return bool(options.get(OPTION_FILES[item.name]) or options.get("url"))
    return item.name in READS_FILES


def _file_target(item: Finding, options: dict[str, str]) -> str:
    """The file a directive or role reads, or "" (addresses with a scheme are no files)."""
    if item.kind == "target":  # a Markdown link or image: a local one is a download or a picture
        target = unquote(item.argument.split("#", 1)[0].split("?", 1)[0])
    elif item.kind == "role":
        target = _role_target(item.argument) if item.name in FILE_ROLES else ""
    elif item.name in ARGUMENT_FILES:
        target = item.argument
    else:
        target = options.get(OPTION_FILES.get(item.name, ""), "")
    return "" if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) else target
