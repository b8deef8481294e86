"""StreamField blocks of a knowledge-base article.

Community members write Markdown; it is kept as the source *and* rendered to
sanitized HTML every time the block is serialized (that is, at write time), so
what a page renders is always the output of ``config.sanitize``.
"""

import functools

from django import forms
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from config.sanitize import markdown_to_html, plain_text


@functools.lru_cache(maxsize=1024)
def render_markdown(source):
    """Sanitized HTML of Markdown ``source``.

    Saving and publishing a page serializes every block several times (the
    revision, the change check, the publish), and Markdown + bleach is the
    slow part of an article save; the output depends on the text only. The
    bound keeps memory small while still covering every block of a page.
    """
    return markdown_to_html(source)


class MarkdownValue:
    """Markdown source plus its sanitized HTML rendering."""

    def __init__(self, source, html=None):
        self.source = (source or "").replace("\r\n", "\n")
        self._html = html

    @cached_property
    def html(self):
        if self._html is None:
            return render_markdown(self.source)
        return self._html

    def __str__(self):
        return self.source

    def __html__(self):
        return self.html

    def __eq__(self, other):
        if isinstance(other, MarkdownValue):
            return self.source == other.source
        return self.source == other

    def __hash__(self):
        return hash(self.source)


class MarkdownBlock(blocks.FieldBlock):
    """Markdown text stored as ``{"source": …, "html": <sanitized>}``."""

    def __init__(self, required=True, help_text=None, rows=10, **kwargs):
        self.field = forms.CharField(
            required=required,
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": rows}),
        )
        super().__init__(**kwargs)

    def get_default(self):
        return MarkdownValue(self.meta.default or "")

    def to_python(self, value):
        if isinstance(value, MarkdownValue):
            return value
        if isinstance(value, dict):
            # The stored HTML is only trusted because it was produced by
            # get_prep_value below; anything else is rendered again.
            return MarkdownValue(value.get("source", ""), value.get("html"))
        return MarkdownValue(value or "")

    def normalize(self, value):
        return self.to_python(value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return {"source": value.source, "html": render_markdown(value.source)}

    def get_form_state(self, value):
        return self.value_for_form(value)

    def value_for_form(self, value):
        return self.to_python(value).source

    def value_from_form(self, value):
        return MarkdownValue(value or "")

    def render_basic(self, value, context=None):
        return mark_safe(self.to_python(value).html)

    def get_searchable_content(self, value):
        return [plain_text(self.to_python(value).html)]

    def get_api_representation(self, value, context=None):
        return self.to_python(value).html

    class Meta:
        icon = "doc-full"
        label = _("Markdown")


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(
        required=False, max_length=30, label=_("Language"), help_text="bash, python…"
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "kb/blocks/code.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("notice", _("Notice")),
            ("info", _("Information")),
            ("tip", _("Tip")),
            ("warning", _("Warning")),
        ],
        default="notice",
        label=_("Kind"),
    )
    text = MarkdownBlock(label=_("Text"), rows=4)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "kb/blocks/callout.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Alternative text"),
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "kb/blocks/image.html"


class ArticleBodyBlock(blocks.StreamBlock):
    markdown = MarkdownBlock(label=_("Markdown"))
    rich_text = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "code", "hr"],
    )
    code = CodeBlock()
    callout = CalloutBlock()
    steps = blocks.ListBlock(
        MarkdownBlock(label=_("Step"), rows=3),
        label=_("Numbered steps"),
        icon="list-ol",
        template="kb/blocks/steps.html",
    )
    image = ImageBlock()
