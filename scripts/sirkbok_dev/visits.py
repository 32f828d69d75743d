"""One visit per page per width that gathers what every browser sweep checks: the page opened once
at 1280 px (and a search result) and once on the phone (375 px), see `browser.SCREENS`.

On a visit, what must be read in the page's first state comes first: its requests so far and the
scripts and styles it loaded (a page without charts must not have loaded the chart library), its
form links and contact address. Then, as a reader meets the page, the English interface words and
axe-core (on the phone: what runs off the screen, with details opened). Then the page is unfolded
(`browser.unfold`: details opened, every chart drawn) for the layout checks, on the phone for the
reader checks (label collisions in every chart, code words), and on the desktop for the drawn charts' state and contrast. Console errors (but axe's own) and
requests to other hosts are collected over the whole visit. Read by the browser, layout, reader and
contribution tests (tests/site) through the run's one `page_visits` (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sirkbok_dev import browser, layout_checks, reader_checks

Visits = dict[int, dict[str, dict[str, Any]]]  # width → page → what was found there
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# For every chart and table: its right edge, and whether it sits in a horizontal scroll container
# that itself fits the viewport (then a wide table scrolls inside the page instead of widening it).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scroller = el => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll'].includes(style.overflowX)
          && p.getBoundingClientRect().right <= width + 1) {
        return true;
      }
    }
    return false;
  };
  const wide = [];
  document.querySelectorAll('.sirk-figure, article table, .bd-article table').forEach(el => {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !scroller(el)) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}px`);
    }
  });
  return {scrollWidth: document.scrollingElement.scrollWidth, width: width, wide: wide};
}"""

# Every script and stylesheet the page asked for, without its ?v= cache key.
ASSETS = """() => performance.getEntriesByType('resource')
  .filter(e => ['script', 'link', 'css'].includes(e.initiatorType))
  .map(e => e.name.split('?')[0])"""
# Interface words the themes leave in English; found as whole words in what a reader sees or hears
# outside the chapter text: visible text, and names and tooltips (aria-label, title, alt, …).
ENGLISH_WORDS = [
    "Repository", "Suggest edit", "Open issue", "Open an issue", "Launch", "Copyright", "Download",
    "Contents", "Search", "Toggle", "Skip to", "Back to top", "On this page", "previous page",
    "next page", "Print to PDF", "Fullscreen", "Source", "Edit this page", "Last updated",
    "Color mode", "Site navigation", "Main", "Page", "Click to", "Show code", "Hide code", "Copy",
    "Copied", "interactive", "Navigation", "Index", "Version warning", "Link to this heading",
]  # fmt: skip
ENGLISH_SCAN = r"""(words) => {
  const re = new RegExp('\\b(' + words.join('|') + ')\\b');
  // Chapter text may quote English titles of sources; its buttons and charts are interface.
  const chapterText = el => el.closest('article.bd-article')
    && !el.closest('button, summary, .copybtn, .headerlink, .sirk-chart');
  const hits = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript') || chapterText(el)) continue;
    if (re.test(node.textContent) && el.getClientRects().length) {
      hits.push(`tekst «${node.textContent.trim().slice(0, 60)}»`);
    }
  }
  const names = ['aria-label', 'title', 'data-bs-title', 'alt', 'placeholder', 'data-tooltip'];
  document.querySelectorAll(names.map(n => `[${n}]`).join(', ')).forEach(el => {
    if (chapterText(el)) return;
    names.forEach(name => {
      const value = el.getAttribute(name);
      if (value && re.test(value)) hits.push(`${el.tagName.toLowerCase()}[${name}] «${value.slice(0, 60)}»`);
    });
  });
  return [...new Set(hits)];
}"""


SEARCH = "search.html?q=sirkul%C3%A6r"  # a results page, with the search word highlighted
SEARCH_DONE = "() => !!document.querySelector('#search-results .search-summary')"


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line each."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(browser.OPEN_ALL)
    page.evaluate(AXE_SCRIPT)
    # The WCAG rules axe-core still calls experimental (e.g. label-content-name-mismatch) are
    # switched on as well: the stock theme breaks exactly those.
    experimental = page.evaluate(
        "tags => axe.getRules(['experimental'])"
        ".filter(r => r.tags.some(t => tags.includes(t))).map(r => r.ruleId)",
        AXE_TAGS,
    )
    rules = {*experimental, "label-content-name-mismatch"}
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": True} for rule in sorted(rules)},
        "resultTypes": ["violations"],
    }
    response = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["html"][:160] for node in v["nodes"][:3])
        + f" [{' '.join(v['nodes'][0]['failureSummary'].split())[:300]}]"
        for v in response["violations"]
    ]


# Each «mangler» item of a municipality page's list «Dette mangler» and the form links it holds.
GAPS = """() => [...document.querySelectorAll('main li')]
  .filter(li => li.textContent.includes('Hentes fra:'))
  .map(li => ({text: li.textContent,
               links: [...li.querySelectorAll('a[href*="issues/new"]')].map(a => a.href),
               shown: [...li.querySelectorAll('a[href*="issues/new"]')]
                        .every(a => a.getBoundingClientRect().width > 0)}))"""
# The contact addresses shown in the page's footer.
FOOTER = """() => [...document.querySelectorAll('footer a[href^="mailto:"]')]
  .filter(a => a.getBoundingClientRect().width > 0).map(a => a.href)"""

# Per chart: id, render state, the drawn SVG's size, and whether the fallback image is still there.
CHART_STATES = """els => els.map(e => {
  const svg = e.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: e.id, state: e.dataset.rendered || '', width: Math.round(box.width),
          height: Math.round(box.height), img: !!e.querySelector('img')};
})"""
# Every drawn mark in the charts: shapes 3:1 against the white background (WCAG 1.4.11), text 4.5:1
# (3:1 when large) against the shape it sits on, or white (1.4.3). A light shape passes when a
# readable label on it carries its meaning (e.g. «mangler» in a grey cell of a table-like chart).
MARK_CONTRAST = """() => {
  const WHITE = [255, 255, 255];
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const v = m[1].split(',').map(Number);
    return v.length > 3 && v[3] === 0 ? null : v.slice(0, 3); };
  const lum = rgb => { const f = x => { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const ratio = (a, b) => { if (!a) return 0; const [x, y] = [lum(a), lum(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const low = [];
  document.querySelectorAll('.sirk-chart svg').forEach(svg => {
    const chart = svg.closest('.sirk-chart').id;
    const shapes = [], texts = [];
    // Marks made with aria=False (aria-hidden) are decoration, e.g. a shaded background band.
    svg.querySelectorAll('g.role-mark:not([aria-hidden="true"])').forEach(group => {
      group.querySelectorAll('path, rect, circle, line, text').forEach(el => {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') {
          return;
        }
        const fill = style.fillOpacity === '0' ? null : parse(style.fill);
        const stroke = style.strokeOpacity === '0' || style.strokeWidth === '0px' ? null
                       : parse(style.stroke);
        if (el.tagName === 'text') {
          if (fill && el.textContent.trim()) texts.push([el, fill, style]);
        }
        else if (fill || stroke) shapes.push({fill, stroke, box: el.getBoundingClientRect(),
                                              labelled: false, style});
      });
    });
    texts.forEach(([el, fill, style]) => {
      const box = el.getBoundingClientRect(), x = box.x + box.width / 2, y = box.y + box.height / 2;
      let under = null;
      shapes.forEach(s => { if (s.fill && x >= s.box.left && x <= s.box.right && y >= s.box.top
                                && y <= s.box.bottom) under = s; });
      const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const found = ratio(fill, under ? under.fill : WHITE);
      if (found >= need) { if (under) under.labelled = true; }
      else low.push(`${chart}: tekst «${el.textContent.trim()}» ${style.fill} på `
                    + `${under ? under.style.fill : 'hvitt'} ${found.toFixed(2)}:1 < ${need}:1`);
    });
    shapes.forEach(s => {
      const found = Math.max(ratio(s.fill, WHITE), ratio(s.stroke, WHITE));
      if (found < 3 && !s.labelled) {
        low.push(`${chart}: figurelement ${s.style.fill}/${s.style.stroke} mot hvitt `
                 + `${found.toFixed(2)}:1 < 3:1 og uten lesbar etikett`);
      }
    });
  });
  return [...new Set(low)];
}"""


def open_any(page: Any, url: str) -> None:
    """Open a page of the book, or a search result once its results are listed."""
    browser.open_page(page, url)
    if "search.html?q=" in url:
        page.wait_for_function(SEARCH_DONE, timeout=10_000)


def contact(page: Any) -> dict[str, Any]:
    """A page just opened: the form links of its gaps and the contact address in its footer."""
    return {"gaps": page.evaluate(GAPS), "footer": page.evaluate(FOOTER)}


def first_look(page: Any, requests: list[str], base: str) -> dict[str, Any]:
    """A page just opened: its requests so far, the scripts and styles it loaded, its form links
    and contact address, read before anything opens, scrolls or draws; then its English interface
    words."""
    return {
        "requests": [url.removeprefix(base) for url in requests],
        "assets": page.evaluate(ASSETS),
        **contact(page),
        "english": page.evaluate(ENGLISH_SCAN, ENGLISH_WORDS),
    }


def on_the_desktop(chromium: Any, base: str, paths: list[str]) -> dict[str, dict[str, Any]]:
    """Every page (and a search result) at 1280 px, light scheme: its first look and its WCAG
    violations (axe opens every details), then unfolded, its layout, its charts' state and their
    colours' contrast."""
    context = chromium.new_context(**browser.SCREENS[1280], color_scheme="light")
    attempts = browser.block_other_hosts(context)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    results: dict[str, dict[str, Any]] = {}
    for path in [*paths, SEARCH]:
        before = len(attempts)
        errors.clear()
        requests.clear()
        open_any(page, base + path)
        page.wait_for_timeout(200)  # late errors (a missing favicon) arrive after the load event
        results[path] = first_look(page, requests, base)
        page_errors = list(errors)
        results[path]["violations"] = axe_violations(page)
        # axe fetches the stylesheets a stylesheet imports itself, at the wrong address (a 404 in
        # the console): not the page's errors.
        errors.clear()
        if path != SEARCH:
            browser.unfold(page)
            results[path]["layout"] = layout_checks.check(page)
            results[path]["charts"] = page.eval_on_selector_all(".sirk-chart", CHART_STATES)
            results[path]["contrast"] = page.evaluate(MARK_CONTRAST)
        results[path]["errors"] = page_errors + errors
        results[path]["blocked"] = attempts[before:]
    context.close()
    return results


def on_the_phone(chromium: Any, base: str, paths: list[str]) -> dict[str, dict[str, Any]]:
    """Every page at 375 px: its form links and contact address as opened; with all details open,
    what runs off the screen; then unfolded (every chart drawn), what a reader meets (label
    collisions, code words) and its layout."""
    context = chromium.new_context(**browser.SCREENS[375])
    attempts = browser.block_other_hosts(context)
    page = context.new_page()
    results: dict[str, dict[str, Any]] = {}
    for path in paths:
        before = len(attempts)
        browser.open_page(page, base + path)
        results[path] = contact(page)
        page.evaluate(browser.OPEN_ALL)
        results[path]["overflow"] = page.evaluate(OVERFLOW)
        browser.unfold(page)
        results[path]["reader"] = reader_checks.check(page)
        results[path]["layout"] = layout_checks.check(page)
        results[path]["blocked"] = attempts[before:]
    context.close()
    return results


def visit_all(html_dir: Path) -> Visits:
    """Every page of the built book in `html_dir` once per width, in a browser of its own."""
    from playwright.sync_api import sync_playwright

    paths = browser.pages(html_dir)
    with browser.serve(html_dir) as base, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        found = {
            1280: on_the_desktop(chromium, base, paths),
            375: on_the_phone(chromium, base, paths),
        }
        chromium.close()
    return found
