"""axe-core in Playwright: WCAG 2.1 A and AA checks of the page a test is on.

axe-core is vendored under tests/vendor/ (from its npm package, licence kept) and loaded into the
page with `page.evaluate` (the DevTools protocol), so the site's Content-Security-Policy stays as
it is in production: no inline script, no exception for the tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

AXE_DIR = Path(__file__).parent / "vendor" / "axe-core-4.14.1"
#: The WCAG 2.1 A and AA rules (axe's tags); best practices and AAA are not asked for.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Phone first (an ordinary phone's CSS pixels), then a desktop window: both checked on one load.
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
    count: v.nodes.length,
  }));
}
"""


#: What axe's rules do not see (WCAG 3.1.2, 4.1.1/1.3.1, 1.3.1): run once per page state, any size.
OWN_CHECKS_JS = """
() => {
  const found = [];
  // 3.1.2 Language of parts: on a page not in Thai, Thai text must sit inside lang="th".
  if (document.documentElement.lang !== 'th') {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      if (!/[\u0E00-\u0E7F]/.test(text)) continue;
      const parent = node.parentElement;
      if (parent.closest('script, style, [hidden], [aria-hidden=true]')) continue;
      const holder = parent.closest('[lang]');
      if (holder && holder.lang === 'th') continue;
      const where = parent.tagName.toLowerCase() + (parent.className ? '.' + String(parent.className).split(' ')[0] : '');
      if (seen.has(where + text)) continue;
      seen.add(where + text);
      found.push({rule: 'thai-text-without-lang-th', help: 'Thai text on a page in another language needs lang="th" (WCAG 3.1.2)',
                  node: where + ': ' + text.slice(0, 60)});
    }
  }
  // Two elements sharing an id (a label then names the wrong field).
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, count] of Object.entries(ids)) {
    if (count > 1) found.push({rule: 'duplicate-id', help: 'every id is unique on the page', node: '#' + id + ' ×' + count});
  }
  // Headings in order: the first is an h1, and none goes down more than one level.
  let previous = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (h.closest('[hidden]')) continue;
    const level = Number(h.tagName[1]);
    if ((previous === 0 && level !== 1) || level > previous + 1) {
      found.push({rule: 'heading-order', help: 'headings go in order (WCAG 1.3.1)',
                  node: 'h' + level + ' after h' + previous + ': ' + h.textContent.trim().slice(0, 50)});
    }
    previous = level;
  }
  // Every image has a text alternative that says something (evidence photos included).
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt') || (img.closest('a') && !img.alt.trim())) {
      found.push({rule: 'image-alt-text', help: 'images carry alt text', node: img.outerHTML.slice(0, 80)});
    }
  }
  return found;
}
"""


@lru_cache(maxsize=1)
def axe_source() -> str:
    return (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    help: str
    count: int
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.help}) ×{self.count}: {'; '.join(self.nodes)}"


def load_axe(page) -> None:
    """Put axe into the page (once per document: a navigation drops it)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;true")


def axe_violations(page, label: str, sizes=tuple(SIZES)) -> list[Violation]:
    """Run axe's WCAG 2.1 A/AA rules on the page at each size (the viewport is resized: one load
    serves both; none: as it is), plus OWN_CHECKS_JS once, and name the page (`label`, the size)
    and the rule of each violation."""
    load_axe(page)
    found = [Violation(label, v["rule"], v["help"], 1, (v["node"],)) for v in page.evaluate(OWN_CHECKS_JS)]
    for size in sizes or ("as shown",):  # no sizes: the page as it is (a zoom, a text size)
        if size in SIZES and page.viewport_size != SIZES[size]:
            page.set_viewport_size(SIZES[size])
        for violation in page.evaluate(RUN_AXE_JS, WCAG_TAGS):
            found.append(Violation(f"{label} [{size}]", violation["rule"], violation["help"], violation["count"],
                                   tuple(violation["nodes"])))
    return found
