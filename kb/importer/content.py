"""Turn a Hugo Markdown body into plain Markdown segments we can store.

Hugo shortcodes never reach the stored article: notices become callouts, figures
(whose images are not part of the import) are dropped, ``ref``/``relref`` become
ordinary links, any other shortcode keeps its inner text only.
"""

import posixpath
import re
import textwrap
from urllib.parse import unquote

from config.sanitize import markdown_to_html, plain_text

CALLOUT_KINDS = {
    "note": "note",
    "info": "info",
    "tip": "tip",
    "warning": "warning",
    "danger": "warning",
    "caution": "warning",
    "important": "warning",
    "primary": "info",
    "secondary": "note",
}
# Stored article text, not interface text: the label follows the article's language.
CALLOUT_LABELS = {
    "fr": {
        "note": "Remarque",
        "info": "Information",
        "tip": "Astuce",
        "warning": "Attention",
    },
    "en": {"note": "Note", "info": "Information", "tip": "Tip", "warning": "Warning"},
}

_SC_OPEN = r"\{\{[<%]"
_SC_CLOSE = r"[%>]\}\}"
_ESCAPED_SC_RE = re.compile(r"\{\{([<%])/\*(.*?)\*/([%>])\}\}", re.S)
_NOTICE_RE = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<lead>[^\n]*?){_SC_OPEN}\s*notice\b(?P<args>[^%>]*?)"
    rf"{_SC_CLOSE}(?P<inner>.*?){_SC_OPEN}\s*/\s*notice\s*{_SC_CLOSE}[ \t]*",
    re.S | re.M,
)
_HIGHLIGHT_RE = re.compile(
    rf"{_SC_OPEN}\s*highlight\s+(?P<lang>[\w+-]*)[^%>]*{_SC_CLOSE}\n?(?P<code>.*?)"
    rf"{_SC_OPEN}\s*/\s*highlight\s*{_SC_CLOSE}",
    re.S,
)
_REF_RE = re.compile(
    rf"{_SC_OPEN}\s*(?:rel)?ref\s+\"?(?P<target>[^\"\s%>]+)\"?\s*{_SC_CLOSE}"
)
# One shortcode alone on its line: the whole line goes, not just the tag.
_SC_BODY = r"(?:(?![%>]\}\}).)*?"
_FIGURE_LINE_RE = re.compile(
    rf"^[ \t]*{_SC_OPEN}\s*(?:fig|figure|img|image|gallery|video|youtube|vimeo)\b"
    rf"{_SC_BODY}{_SC_CLOSE}[ \t]*\n",
    re.M | re.S,
)
_FIGURE_RE = re.compile(
    rf"[ \t]*{_SC_OPEN}\s*(?:fig|figure|img|image|gallery|video|youtube|vimeo)\b"
    rf"{_SC_BODY}{_SC_CLOSE}",
    re.S,
)
_ANY_SC_LINE_RE = re.compile(
    rf"^[ \t]*{_SC_OPEN}{_SC_BODY}{_SC_CLOSE}[ \t]*\n", re.M | re.S
)
_ANY_SC_RE = re.compile(rf"{_SC_OPEN}{_SC_BODY}{_SC_CLOSE}", re.S)
_SENTINEL = "\x00callout:{}\x00"
_SENTINEL_RE = re.compile(r"^\x00callout:(\d+)\x00$")
_FENCE_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\n`]*)$")


def _notice_args(args):
    parts = re.findall(r'"([^"]*)"|(\S+)', args or "")
    values = [quoted or bare for quoted, bare in parts]
    kind = CALLOUT_KINDS.get(values[0].lower(), "note") if values else "note"
    title = " ".join(values[1:]).strip()
    return kind, title


def convert_shortcodes(body, lang):
    """(markdown with callout sentinels, callouts) — no shortcode syntax remains."""
    callouts = []
    escaped = []

    def keep_escaped(match):
        escaped.append("{{" + "".join(match.groups()) + "}}")
        return f"\x00escaped:{len(escaped) - 1}\x00"

    text = _ESCAPED_SC_RE.sub(keep_escaped, body)
    text = _HIGHLIGHT_RE.sub(
        lambda m: f"```{m.group('lang')}\n{m.group('code').rstrip()}\n```", text
    )

    def notice(match):
        indent, lead = match.group("indent"), match.group("lead")
        kind, title = _notice_args(match.group("args"))
        inner = textwrap.dedent(match.group("inner").strip("\n")).strip()
        if not indent and not lead.strip():
            callouts.append({"kind": kind, "title": title, "text": inner})
            return "\n" + _SENTINEL.format(len(callouts) - 1) + "\n"
        # Inside a list item or a paragraph: a quoted, labelled block keeps the
        # surrounding Markdown structure intact.
        label = title or CALLOUT_LABELS.get(lang, CALLOUT_LABELS["en"])[kind]
        pad = indent if not lead.strip() else ""
        lines = [f"**{label}** —"] + inner.splitlines()
        quoted = "\n".join(f"{pad}> {line}".rstrip() for line in lines)
        prefix = f"{indent}{lead.rstrip()}\n" if lead.strip() else ""
        # Blank lines around: Python-Markdown then nests the quote in the item.
        return f"{prefix}\n{quoted}\n"

    # Notices may nest other shortcodes but not notices: one pass is enough.
    text = _NOTICE_RE.sub(notice, text)
    text = _REF_RE.sub(lambda m: m.group("target"), text)
    text = _FIGURE_LINE_RE.sub("", text)
    text = _FIGURE_RE.sub("", text)
    text = _ANY_SC_LINE_RE.sub("", text)
    text = _ANY_SC_RE.sub("", text)
    for callout in callouts:
        callout["text"] = _ANY_SC_RE.sub("", _FIGURE_RE.sub("", callout["text"]))
    text = re.sub(r"\x00escaped:(\d+)\x00", lambda m: escaped[int(m.group(1))], text)
    return text, callouts


def split_segments(text, callouts):
    """Ordered blocks: markdown, callout and top-level fenced code."""
    segments = []
    buffer = []

    def flush():
        chunk = normalize_markdown("\n".join(buffer).strip("\n"))
        if chunk.strip():
            segments.append({"type": "markdown", "text": chunk})
        buffer.clear()

    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        sentinel = _SENTINEL_RE.match(line.strip())
        fence = _FENCE_RE.match(line)
        if sentinel:
            flush()
            callout = callouts[int(sentinel.group(1))]
            if callout["text"].strip() or callout["title"]:
                text = normalize_markdown(callout["text"])
                segments.append({"type": "callout", **callout, "text": text})
        elif fence:
            marker = fence.group("fence")
            code = []
            i += 1
            while i < len(lines) and not lines[i].startswith(marker):
                code.append(lines[i])
                i += 1
            flush()
            info = fence.group("info").strip().split()
            segments.append(
                {
                    "type": "code",
                    "language": info[0] if info else "",
                    "code": "\n".join(code),
                }
            )
        else:
            buffer.append(line)
        i += 1
    flush()
    return segments


# --- CommonMark habits that Python-Markdown reads differently ------------------

_LIST_ITEM_RE = re.compile(r"^(?P<indent> *)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")


def normalize_markdown(text):
    """Adapt Hugo (CommonMark) Markdown to the renderer we store with.

    CommonMark starts a list right after a paragraph line and nests lists
    indented by 2 or 3 spaces; Python-Markdown needs a blank line before a
    list and 4 spaces per level, or it prints the items as one paragraph.
    """
    lines = text.split("\n")
    out = []
    in_list = False
    in_fence = False
    unit = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        is_fence = stripped.startswith(("```", "~~~"))
        if is_fence:
            in_fence = not in_fence
        if in_fence and not is_fence:
            out.append(_reindent(line, unit) if in_list else line)
            continue
        item = _LIST_ITEM_RE.match(line)
        if item:
            after_fence = bool(out) and out[-1].strip().startswith(("```", "~~~"))
            if not in_list:
                unit = _list_unit(lines, index)
            if (not in_list or after_fence) and out and out[-1].strip():
                out.append("")
            in_list = True
            out.append(_reindent(line, unit))
            continue
        if not stripped:
            out.append(line)
            continue
        if in_list and not line.startswith(" ") and not (out and out[-1].strip()):
            in_list = False
        out.append(_reindent(line, unit) if in_list else line)
    return "\n".join(out)


def _list_unit(lines, start):
    """Indentation step of the list starting at ``start`` (2, 3 or 4 spaces)."""
    indents = []
    for line in lines[start + 1 :]:
        if line.strip() and not line.startswith(" "):
            if not _LIST_ITEM_RE.match(line):
                break
            continue
        if line.strip():
            indents.append(len(line) - len(line.lstrip(" ")))
    return min(indents) if indents else 4


def _reindent(line, unit):
    if not unit or unit >= 4:
        return line
    spaces = len(line) - len(line.lstrip(" "))
    if not spaces:
        return line
    return " " * round(spaces * 4 / unit) + line[spaces:]


# --- links -----------------------------------------------------------------

_CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_INLINE_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]"
    r"\(\s*<?(?P<target>[^)\s>]*)>?(?P<title>\s+\"[^\"]*\")?\s*\)"
)
_REF_DEF_RE = re.compile(
    r"^(?P<lead>[ \t]*\[(?!\^)[^\]\n]+\]:[ \t]*)(?P<target>\S+)", re.M
)
_HTML_ATTR_RE = re.compile(r"(?P<lead>\b(?:href|src)=[\"'])(?P<target>[^\"']*)")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def is_external(target):
    return not target or target.startswith("#") or bool(_SCHEME_RE.match(target))


def normalize_path(path):
    """A tree path or URL path as a source-key candidate ("domains/add-dns")."""
    path = unquote(path).strip().split("?", 1)[0]
    path = re.sub(r"/{2,}", "/", path).strip("/")
    path = re.sub(r"\.(?:fr|en)\.(?:md|markdown)$", "", path)
    path = re.sub(r"\.(?:md|markdown|html)$", "", path)
    path = re.sub(r"(?:^|/)_?index(?:\.(?:fr|en))?$", "", path)
    return path


def rewrite_links(text, resolve):
    """Apply ``resolve(target, is_image)`` to every link outside code.

    ``resolve`` returns the new target, ``None`` to unlink (keep the text, drop
    an image) or the target unchanged.
    """

    def inline(match):
        target = match.group("target")
        is_image = bool(match.group("bang"))
        new = resolve(target, is_image)
        if new is None:
            return "" if is_image else match.group("text")
        return "{}[{}]({}{})".format(
            match.group("bang"), match.group("text"), new, match.group("title") or ""
        )

    def ref_def(match):
        new = resolve(match.group("target"), False)
        return match.group("lead") + (new if new is not None else "#")

    def html_attr(match):
        new = resolve(match.group("target"), False)
        return match.group("lead") + (new if new is not None else "#")

    parts = _CODE_RE.split(text)
    for index in range(0, len(parts), 2):
        part = _INLINE_LINK_RE.sub(inline, parts[index])
        part = _REF_DEF_RE.sub(ref_def, part)
        parts[index] = _HTML_ATTR_RE.sub(html_attr, part)
    return "".join(parts)


def link_candidates(target_path, page_key, file_dir):
    """Source keys a local link may mean, most likely first."""
    if target_path.startswith("/"):
        return [normalize_path(target_path)]
    candidates = []
    for base in (file_dir, page_key, ""):
        joined = posixpath.normpath(posixpath.join("/", base or "", target_path))
        key = normalize_path(joined)
        if key not in candidates:
            candidates.append(key)
    return candidates


# --- summary ---------------------------------------------------------------

_SKIP_PARAGRAPH_RE = re.compile(r"^(?:[#\-*+|>!<\[]|\d+[.)]\s|\s{4}|\x00)")


def _markdown_plain(text):
    return plain_text(markdown_to_html(text)).strip()


_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]\s]+\]")


def extract_summary(segments, max_chars=300, fallback=True):
    """The first prose sentence (two when the first is very short).

    With ``fallback``, a body without prose paragraphs (a list or a table
    first) gives its first text of any kind.
    """
    for segment in segments:
        if segment["type"] != "markdown":
            continue
        for paragraph in re.split(r"\n\s*\n", segment["text"]):
            paragraph = paragraph.strip("\n")
            if not paragraph.strip() or _SKIP_PARAGRAPH_RE.match(paragraph):
                continue
            # Footnote marks have no definition in a lone paragraph.
            paragraph = _FOOTNOTE_REF_RE.sub("", paragraph)
            prose = " ".join(_markdown_plain(paragraph).split())
            if len(prose.split()) < 4:
                continue
            sentences = re.split(r"(?<=[.!?])\s+", prose)
            summary = sentences[0]
            if len(summary) < 80 and len(sentences) > 1:
                summary = f"{summary} {sentences[1]}"
            return truncate(summary, max_chars)
    if not fallback:
        return ""
    for segment in segments:
        if segment["type"] in ("markdown", "callout"):
            text = _FOOTNOTE_REF_RE.sub("", segment["text"])
            prose = " ".join(_markdown_plain(text).split())
            if prose:
                return truncate(re.split(r"(?<=[.!?])\s+", prose)[0], max_chars)
    return ""


def truncate(text, max_chars):
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
