"""Checks every journey runs on every page it visits (issue 13).

- no sideways scroll: ``document.documentElement.scrollWidth`` within the viewport;
- no console error nor uncaught exception;
- no escaped entity shown as text (``&amp;``, ``&gt;``, ``&quot;``…);
- on French pages, no English interface text (text marked with another
  ``lang``, code and people's own messages are skipped).
"""

import re

PHONE_FR = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR", "lang": "fr"}
DESKTOP_EN = {
    "viewport": {"width": 1280, "height": 800},
    "locale": "en-GB",
    "lang": "en",
}
SETUPS = [PHONE_FR, DESKTOP_EN]
SETUP_IDS = ["phone-fr", "desktop-en"]

ENTITIES = re.compile(r"&(amp|gt|lt|quot|#x27|#39|#34|nbsp);")
# Words of English interface text that never occur in French sentences.
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|this|that|please|search|sign in|sign out|submit|"
    r"save|cancel|click|followers?|minutes? ago|welcome|reply|replies|edit|"
    r"history|review|approve|reject|yes|no|help|article is|topic)\b",
    re.IGNORECASE,
)

# Visible text of the page, without what belongs to another language, code,
# form values or the quoted words of customers (blockquotes keep their lang).
_VISIBLE_TEXT = """(pageLang) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    const skipped = "script,style,noscript,code,pre,textarea,template,[hidden]";
    if (el.closest(skipped)) continue;
    const langEl = el.closest("[lang]");
    const elLang = langEl ? langEl.getAttribute("lang").slice(0, 2) : pageLang;
    if (pageLang && elLang !== pageLang) continue;
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    out.push(node.textContent.trim());
  }
  return out;
}"""


# The innermost elements that stick out of the viewport, to say what to fix.
_WIDE_ELEMENTS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && ![...el.children].some(
      (c) => c.getBoundingClientRect().right > width + 0.5)) {
      const cls = typeof el.className === "string" ? el.className : "";
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (cls ? "." + cls.split(" ").join(".") : "");
      out.push(`${name} right=${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 8);
}"""


def new_page(browser, setup):
    """A fresh browser context for ``setup`` (viewport, locale), recording
    console errors and uncaught exceptions on ``page.console_errors``."""
    context = browser.new_context(
        viewport=setup["viewport"],
        locale=setup["locale"],
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error" and page.console_errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def check_page(page, lang, *, allow_english=()):
    """Fail on overflow, console errors, escaped entities or untranslated text."""
    where = page.url
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(_WIDE_ELEMENTS, width)
        raise AssertionError(
            f"{where}: {scroll_width} px wide in a {width} px viewport "
            f"(sideways scroll); too wide: {wide}"
        )
    assert page.console_errors == [], f"{where}: console errors {page.console_errors}"
    texts = page.evaluate(_VISIBLE_TEXT, "")
    for text in texts:
        assert not ENTITIES.search(text), f"{where}: escaped entity in {text!r}"
    if lang == "fr":
        for text in page.evaluate(_VISIBLE_TEXT, "fr"):
            match = ENGLISH.search(text)
            if match and not any(ok in text for ok in allow_english):
                raise AssertionError(
                    f"{where}: English text on a French page: {text!r}"
                )


def goto(page, url, lang, **kwargs):
    page.goto(url)
    check_page(page, lang, **kwargs)
    return page
