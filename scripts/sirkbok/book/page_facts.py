"""What the pages say about this build: the footer's edition line, whether there is a whole-book
PDF, and where «Meld fra om feil» leads. Each is true of the build that writes the page.

Connected by `sirkbok.book.sphinx_ext`; kept apart so that module stays small.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from sirkbok import themes as registry
from sirkbok.book import pdf
from sirkbok.core import format as fmt
from sirkbok.core import publisher
from sirkbok.datapackage.descriptor import last_updated


def edition_line(version: str, released: date) -> str:
    """The footer's one story of dates: the release, and the date the book's knowledge is as of."""

    updated = last_updated()
    line = f"Versjon {version}, utgitt {fmt.date(released)}."
    if updated > released:
        return f"{line} Tallene og kildene er oppdatert etter utgivelsen, per {fmt.date(updated)}."
    return f"{line} Tallene og kildene er per {fmt.date(updated)}."


def pdf_sentence(root: Path) -> str:
    """What «Slik siterer du» says about the whole-book PDF: only what this build has."""

    if pdf.pdf_path(root).is_file():
        return (
            "Hele boka finnes også som én PDF, med de samme kapitlene, figurene og kildene. Lenken "
            "«Last ned boka som PDF» står nederst på hver side."
        )
    return (
        "Denne utgaven av nettstedet har ingen PDF av hele boka. Hver side kan skrives ut eller "
        "lagres som PDF fra nettleseren."
    )


def pdf_sentence_in_print(app: Sphinx) -> None:
    """The one-page build is the PDF itself: there «Slik siterer du» says so."""
    if app.builder.name == "singlehtml":
        app.config.myst_substitutions["pdf_setning"] = (
            "Denne PDF-en er hele boka, med de samme kapitlene, figurene og kildene som nettstedet."
        )


# .github/ISSUE_TEMPLATE/feil.yml: the Norwegian form for an error on a page
ISSUE_FORM = "feil.yml"


def issue_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """«Meld fra om feil» opens the book's Norwegian issue form with the page filled in, not the
    theme's English «Your issue content here.» (after the theme has made its buttons)."""
    from urllib.parse import quote, urlencode

    repository = str(app.config.html_theme_options.get("repository_url") or "").rstrip("/")
    if not repository.startswith("https://github.com/"):
        return
    query = urlencode(
        {
            "template": ISSUE_FORM,
            "title": f"Feil på siden: {pagename}",
            "side": f"/{pagename}.html",
        },
        quote_via=quote,
    )
    buttons = list(context.get("header_buttons") or [])
    for button in buttons:
        buttons.extend(button.get("buttons") or [])
        if button.get("label") == "source-issues-button":
            button["url"] = f"{repository}/issues/new?{query}"


def publisher_config(app: Sphinx, config: Any) -> None:
    """The `publisher:` block of _config.yml into the build: the maintainers' name, the site's
    address (canonical links, sitemap, social previews, DCAT), the repository (buttons) and the
    substitutions «Bidra» and «Slik siterer du» use. The values are checked shapes (no markup)."""

    who = publisher.read(Path(app.srcdir))
    config.author = who.name
    config.html_baseurl = who.site
    options = dict(config.html_theme_options or {})
    options["repository_url"] = who.repository
    config.html_theme_options = options
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "kontakt_epost": f"[{who.email}]({who.mailto})",
        "repo_adresse": f"<{who.repository}>",
        "data_adresse": f"<{who.repository}/tree/main/data>",
        **{  # `{{ biogass_adresse }}`: a theme notebook's address in the repository
            f"{theme}_adresse": f"<{who.repository}/blob/main/chapters/tema/{theme}.ipynb>"
            for theme in registry.THEMES
        },
        "nettsted_adresse": f"<{who.site}>",
        "data_lenke": f"[`data/` i repoet]({who.repository}/tree/main/data)",
        "readme_lenke": f"[README-filen]({who.repository}#for-forskere)",
        "bidra_lenke": f"[repoet for boka]({who.repository}/blob/main/CONTRIBUTING.md)",
    }
    app.sirkbok_contact = contact_line(who.name, who.email)  # type: ignore[attr-defined]


def contact_line(name: str, email: str) -> str:
    """The footer's contact: the e-mail address as a `mailto:` link, escaped."""
    import html

    address = html.escape(email, quote=True)
    return (
        f'<p class="sirkbok-kontakt">Kontakt {html.escape(name)}: '
        f'<a href="mailto:{address}">{address}</a></p>'
    )
