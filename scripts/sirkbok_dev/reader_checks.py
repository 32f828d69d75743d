"""What a reader sees, measured in the browser: chart labels that collide, code words and raw output.

Used by tests/site/test_reader_browser.py and runnable by hand on a built book:
`PYTHONPATH=scripts .venv/bin/python -m sirkbok_dev.reader_checks` prints what it finds at 375 px.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from sirkbok_dev import browser

PHONE = 375  # px: the width the checks are made at
OVERLAP_EPSILON = 2.0  # px²: touching boxes (anti-aliasing, shared baselines) are not a collision

# Every pair of visible <text> labels in a rendered Vega chart whose boxes overlap by more than
# `epsilon` px². Hidden labels (Vega's labelOverlap sets opacity 0) and empty ones are skipped.
LABEL_COLLISIONS = """epsilon => {
  const visible = el => {
    for (let n = el; n && n.tagName !== 'svg'; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0
          || n.getAttribute('opacity') === '0' || n.getAttribute('fill-opacity') === '0') {
        return false;
      }
    }
    return true;
  };
  const found = [];
  document.querySelectorAll('.sirk-chart svg').forEach(svg => {
    const chart = svg.closest('.sirk-chart').id;
    const boxes = Array.from(svg.querySelectorAll('text'))
      .filter(t => t.textContent.trim() && visible(t))
      .map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect()}))
      .filter(b => b.box.width > 0 && b.box.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box, b = boxes[j].box;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0 && h > 0 && w * h > epsilon) {
          found.push(`${chart}: «${boxes[i].text}» / «${boxes[j].text}» (${Math.round(w * h)} px²)`);
        }
      }
    }
  });
  return found;
}"""

# The page's text as a reader meets it: without code (the researcher's «Slik er det regnet ut»
# section, code blocks and inline code), scripts and styles.
READER_TEXT = """() => {
  const skip = 'code, pre, script, style, noscript, .highlight, #slik-er-det-regnet-ut, svg';
  if (!document.body) { return ''; }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest(skip)) { parts.push(n.textContent); }
  }
  return parts.join(' ');
}"""

RAW_OUTPUT = re.compile(r"<NA>|\bNaT\b|\bnan\b|\bNone\b")
SNAKE_CASE = re.compile(r"\b[a-zæøå][a-zæøå0-9]*(?:_[a-zæøå0-9]+)+\b")
URL = re.compile(r"\S+\.(?:html|csv|json|ipynb|md|svg|png|xlsx)\b|https?://\S+|\S+@\S+")
# Words with an underscore that readers may meet on purpose: none so far.
ALLOWED: set[str] = set()


def code_words(text: str) -> list[str]:
    """snake_case identifiers and raw pandas output in reader text (addresses and file names aside)."""
    plain = URL.sub(" ", text)
    words = {w for w in SNAKE_CASE.findall(plain) if w not in ALLOWED}
    return sorted(words | set(RAW_OUTPUT.findall(plain)))


def check(page: Any) -> dict[str, list[str]]:
    """The label collisions (in the charts drawn so far: `browser.unfold` draws them all) and the
    code words of an opened page."""
    return {
        "collisions": page.evaluate(LABEL_COLLISIONS, OVERLAP_EPSILON),
        "code_words": code_words(page.evaluate(READER_TEXT)),
    }


def sweep(html_dir: Path, chromium: Any) -> dict[str, dict[str, list[str]]]:
    """Every page on the phone (`browser.SCREENS`) with all details open: its label collisions and
    its code words."""
    context = chromium.new_context(**browser.SCREENS[PHONE])
    browser.block_other_hosts(context)
    page = context.new_page()
    results = {}
    with browser.serve(html_dir) as base:
        for path in browser.pages(html_dir):
            browser.open_page(page, base + path)
            page.evaluate(browser.OPEN_ALL)
            results[path] = check(page)
    context.close()
    return results


def main() -> int:
    from playwright.sync_api import sync_playwright

    html = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("_build/html")
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        found = sweep(html, chromium)
        chromium.close()
    bad = 0
    for path, result in found.items():
        for kind, items in result.items():
            for item in items:
                print(f"{path}: {kind}: {item}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
