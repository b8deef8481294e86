"""An article body as Markdown, the text the public editor shows."""

from wagtail.rich_text import expand_db_html

from kb.blocks import MarkdownValue

# Callout kinds with a look of their own (kb.css); others are plain callouts.
CALLOUT_LOOKS = {"warning", "info", "tip"}


def _md(value):
    return value.source if isinstance(value, MarkdownValue) else str(value or "")


def _block_to_markdown(block_type, value):
    if block_type == "markdown":
        return _md(value)
    if block_type == "rich_text":
        # Markdown keeps block-level HTML as is; the sanitizer filters it on save.
        return expand_db_html(value.source).strip()
    if block_type == "code":
        return (
            f"```{value.get('language') or ''}\n{value.get('code', '').rstrip()}\n```"
        )
    if block_type == "callout":
        kind = value.get("kind")
        css = f"callout callout-{kind}" if kind in CALLOUT_LOOKS else "callout"
        return f'<div class="{css}" markdown="1">\n\n{_md(value.get("text"))}\n\n</div>'
    if block_type == "steps":
        return "\n".join(
            f"{n}. " + _md(step).strip().replace("\n", "\n   ")
            for n, step in enumerate(value, start=1)
        )
    if block_type == "image":
        image = value.get("image")
        if not image:
            return ""
        alt = (value.get("alt") or image.title or "").replace("]", "")
        text = f"![{alt}]({image.file.url})"
        if value.get("caption"):
            text += f"\n\n*{value['caption']}*"
        return text
    return ""


def stream_to_markdown(stream_value):
    parts = [
        _block_to_markdown(child.block_type, child.value) for child in stream_value
    ]
    return "\n\n".join(part for part in parts if part).strip() + "\n"
