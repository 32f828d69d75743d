"""Layout as a reader sees it, measured in the browser at a phone's and a desktop's width.

Clipped link and heading text (the previous/next titles, their arrows), a search icon over the
query, more or fewer than one search field on the screen, tables cut off without a
scroll container a keyboard can reach, chart text Vega shortened with «…», a line drawn through a
chart label, and a page wider than the screen. Used by tests/site/test_layout_browser.py and
runnable by hand on a built book:
`PYTHONPATH=scripts .venv/bin/python -m sirkbok_dev.layout_checks [_build/html]`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sirkbok_dev import browser

# JavaScript: every layout fault on the page as it is now (details opened, charts drawn), by kind.
LAYOUT_FAULTS = r"""() => {
  const width = document.documentElement.clientWidth;
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = el => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
  const text = el => el.textContent.replace(/\s+/g, ' ').trim().slice(0, 60);
  const found = {clipped: [], search: [], searches: [], tables: [], charts: [], crossings: [], page: []};

  // 1. Text cut off by its own box: overflow hidden or clipped, or an ellipsis, and wider content.
  const cut = el => {
    const s = getComputedStyle(el);
    return ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
  };
  const visuallyHidden = el => el.closest('.visually-hidden, .sr-only, .skip-link, .headerlink');
  document.querySelectorAll('a, h1, h2, h3, h4, h5, h6, p, span, div, li, label, button, caption, th, td')
    .forEach(el => {
      if (!shown(el) || visuallyHidden(el) || el.closest('svg, .sirk-chart, pre, .highlight')) return;
      if (!text(el) || !cut(el)) return;
      if (el.scrollWidth > el.clientWidth + 1) found.clipped.push(`${name(el)} «${text(el)}»`);
    });
  // The previous/next links: the whole title inside the screen, and the arrow drawn beside it.
  document.querySelectorAll('.prev-next-area a').forEach(link => {
    const title = link.querySelector('.prev-next-title');
    const arrow = link.querySelector('i');
    if (!title) return;
    const box = title.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(title);
    const words = range.getBoundingClientRect();
    const parent = link.getBoundingClientRect();
    if (words.right > Math.min(width, parent.right) + 1 || words.left < Math.max(0, parent.left) - 1
        || title.scrollWidth > title.clientWidth + 1 || words.right > box.right + 1) {
      found.clipped.push(`forrige/neste «${text(title)}»`);
    }
    const drawn = arrow && shown(arrow) && arrow.getBoundingClientRect().width >= 6
      && getComputedStyle(arrow, '::before').content !== 'none';
    if (!drawn) found.clipped.push(`forrige/neste «${text(title)}» uten pil`);
  });

  // The search field: the typed query starts right of the magnifying glass, not under it.
  document.querySelectorAll('.bd-search').forEach(form => {
    const icon = form.querySelector('.fa-magnifying-glass'), input = form.querySelector('input');
    if (!icon || !input || !shown(icon) || !shown(input)) return;
    const start = input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft);
    if (icon.getBoundingClientRect().right > start + 1) {
      found.search.push(`søkeikonet dekker ${Math.round(icon.getBoundingClientRect().right - start)} px av søketeksten`);
    }
  });

  // Exactly one way into the search on the screen (the theme's button or a search form), not
  // counting the search dialog it opens or the search page's own form.
  const ways = Array.from(document.querySelectorAll('.search-button__button, form.bd-search'))
    .filter(el => shown(el) && !el.closest('dialog, .bd-search-container'));
  if (ways.length !== 1) {
    found.searches.push(`${ways.length} synlige søkefelt (${ways.map(name).join(', ')}); ventet ett`);
  }

  // 2. Tables: wider than what holds them only inside a scroll container that a keyboard reaches
  // and that shows that it scrolls.
  document.querySelectorAll('article table, .bd-article table').forEach(table => {
    if (!shown(table)) return;
    const right = table.getBoundingClientRect().right;
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible') continue;
      const edge = p.getBoundingClientRect().right;
      if (right <= edge + 1 && p.scrollWidth <= p.clientWidth + 1) return;  // it fits
      if (!['auto', 'scroll'].includes(s.overflowX)) {
        found.tables.push(`${text(table).slice(0, 40)}: kuttet av ${name(p)}`);
      } else if (p.tabIndex < 0) {
        found.tables.push(`${text(table).slice(0, 40)}: ${name(p)} ruller, men nås ikke med Tab`);
      } else if (!/gradient/.test(s.backgroundImage)) {
        found.tables.push(`${text(table).slice(0, 40)}: ${name(p)} ruller uten å vise det`);
      } else if (edge > width + 1) {
        found.tables.push(`${text(table).slice(0, 40)}: ${name(p)} går utenfor skjermen`);
      }
      return;
    }
    if (right > width + 1) found.tables.push(`${text(table).slice(0, 40)}: utenfor skjermen`);
  });

  // 3. Chart text that Vega shortened to fit (labelLimit, titleLimit, a text mark's limit).
  const drawnTexts = svg => Array.from(svg.querySelectorAll('text')).filter(t => {
    for (let n = t; n && n !== svg; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0
          || n.getAttribute('opacity') === '0') return false;
    }
    return t.textContent.trim() !== '';
  });
  document.querySelectorAll('.sirk-chart svg').forEach(svg => {
    const chart = svg.closest('.sirk-chart').id;
    const texts = drawnTexts(svg);
    texts.filter(t => t.textContent.trim().endsWith('…'))
      .forEach(t => found.charts.push(`${chart}: «${t.textContent.trim()}»`));

    // 4. No rule or line mark runs through a label: points along each line, against every text box.
    const boxes = texts.map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect()}))
      .filter(b => b.box.width > 0);
    svg.querySelectorAll('g.mark-rule.role-mark path, g.mark-line.role-mark path, '
                         + 'g.mark-rule.role-mark line').forEach(path => {
      if (!path.getTotalLength || !path.getScreenCTM()) return;
      const length = path.getTotalLength(), matrix = path.getScreenCTM();
      const hits = new Set();
      for (let at = 0; at <= length; at += 2) {
        const point = path.getPointAtLength(at).matrixTransform(matrix);
        boxes.forEach(b => {
          if (point.x > b.box.left + 1 && point.x < b.box.right - 1
              && point.y > b.box.top + 2 && point.y < b.box.bottom - 2) hits.add(b.text);
        });
      }
      hits.forEach(label => found.crossings.push(`${chart}: en linje krysser «${label}»`));
    });
  });

  // 5. The page itself no wider than the screen.
  const scroll = document.scrollingElement.scrollWidth;
  if (scroll > width + 1) found.page.push(`siden er ${scroll} px bred på en ${width} px skjerm`);
  Object.keys(found).forEach(kind => { found[kind] = [...new Set(found[kind])]; });
  return found;
}"""


def check(page: Any) -> dict[str, list[str]]:
    """The layout faults of a page unfolded (`browser.unfold`), by kind."""
    faults: dict[str, list[str]] = page.evaluate(LAYOUT_FAULTS)
    return faults


def sweep(
    html_dir: Path, chromium: Any, base: str, pages: list[str] | None = None
) -> dict[int, dict[str, dict[str, list[str]]]]:
    """Every page at 375 and 1280 px, details open and charts drawn: its faults by kind."""
    results: dict[int, dict[str, dict[str, list[str]]]] = {}
    for width, screen in browser.SCREENS.items():
        context = chromium.new_context(**screen)
        browser.block_other_hosts(context)
        page = context.new_page()
        results[width] = {}
        for path in pages if pages is not None else browser.pages(html_dir):
            browser.open_page(page, base + path)
            browser.unfold(page)
            results[width][path] = check(page)
        context.close()
    return results


def main() -> int:
    from playwright.sync_api import sync_playwright

    html = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("_build/html")
    bad = 0
    with sync_playwright() as playwright, browser.serve(html) as base:
        chromium = browser.launch(playwright)
        found = sweep(html, chromium, base)
        chromium.close()
    for width, by_page in found.items():
        for path, kinds in by_page.items():
            for kind, items in kinds.items():
                for item in items:
                    print(f"{width} px {path}: {kind}: {item}")
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
