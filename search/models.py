from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_CHOICES = [("article", _("Article")), ("topic", _("Forum topic"))]
LANG_CHOICES = [("fr", _("French")), ("en", _("English"))]


class SearchDocument(models.Model):
    """One public, searchable document: the embedded index reads from here.

    Its terms are in PostingBlock rows, keyed on this row's id.
    """

    doc_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    lang = models.CharField(max_length=8, choices=LANG_CHOICES, db_index=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    symptoms = models.TextField(blank=True)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    category = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=500)
    source = models.CharField(max_length=500, null=True, blank=True)
    solved = models.BooleanField(null=True)
    helpfulness = models.FloatField(null=True)
    boost = models.FloatField(default=1.0)
    # Number of indexed terms (title, keywords and body), for BM25.
    length = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "lang"])]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"{self.doc_id} {self.title}"


class PostingBlock(models.Model):
    """Part of a posting list of the embedded index (see search.backends.embedded).

    The documents of one language that contain ``term`` (a stem, or two
    adjacent stems separated by a space), for the document ids of one block.
    """

    lang = models.CharField(max_length=8, choices=LANG_CHOICES)
    term = models.CharField(max_length=255)
    block = models.PositiveIntegerField()
    # Little-endian int32 document ids, ascending.
    docs = models.BinaryField()
    # Little-endian float32 field-weighted frequencies, in the same order.
    freqs = models.BinaryField()

    class Meta:
        db_table = "search_posting"
        constraints = [
            models.UniqueConstraint(
                fields=["lang", "term", "block"], name="search_posting_unique"
            )
        ]

    def __str__(self):
        return f"{self.lang} {self.term} #{self.block}"


class IndexState(models.Model):
    """A token that changes with every write to a language's embedded index."""

    lang = models.CharField(max_length=8, primary_key=True, choices=LANG_CHOICES)
    token = models.CharField(max_length=32)

    class Meta:
        db_table = "search_indexstate"

    def __str__(self):
        return f"{self.lang} {self.token}"


class VocabularyTerm(models.Model):
    """Words of the indexed documents, for "did you mean" and completions."""

    lang = models.CharField(max_length=8, choices=LANG_CHOICES)
    word = models.CharField(max_length=100)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lang", "word"], name="search_vocab_unique")
        ]
        indexes = [models.Index(fields=["lang", "word", "df"])]

    def __str__(self):
        return f"{self.lang}:{self.word} ({self.df})"


class SynonymGroup(models.Model):
    """Words that mean the same to our users, editable by staff."""

    terms = models.TextField(
        _("terms"),
        help_text=_('Comma-separated words or phrases, e.g. "box, modem, routeur".'),
    )
    lang = models.CharField(
        _("language"),
        max_length=8,
        choices=LANG_CHOICES,
        blank=True,
        help_text=_("Leave empty to apply to every language."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self):
        return self.terms

    def term_list(self):
        return [t.strip() for t in self.terms.split(",") if t.strip()]


class IndexUpdate(models.Model):
    """An Elasticsearch update that could not be applied yet; retried later."""

    ACTION_UPSERT = "upsert"
    ACTION_DELETE = "delete"
    doc_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(
        max_length=8, choices=[(ACTION_UPSERT, "upsert"), (ACTION_DELETE, "delete")]
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} {self.doc_id}"


class QueryLog(models.Model):
    """One search as typed by someone, and what they clicked."""

    query = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True)
    lang = models.CharField(max_length=8, blank=True)
    kinds = models.CharField(max_length=32, blank=True)
    result_count = models.PositiveIntegerField()
    backend = models.CharField(max_length=32)
    degraded = models.BooleanField(default=False)
    interface = models.CharField(max_length=16, default="page")
    clicked_url = models.CharField(max_length=500, blank=True)
    clicked_rank = models.PositiveIntegerField(null=True)
    clicked_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.query


class DocumentVector(models.Model):
    """Sentence embeddings of one indexed document (search.embeddings).

    Kept in the project database next to the posting lists, whatever the
    search backend: matching ranks a few thousand vectors in process, which
    also works while Elasticsearch is away.
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True
    )
    model = models.CharField(max_length=64)
    # Of the embedded passages and the model: unchanged text is not re-embedded.
    fingerprint = models.CharField(max_length=40)
    # Little-endian float32, one row of DIM values per passage.
    vectors = models.BinaryField()

    class Meta:
        db_table = "search_vector"
        verbose_name = _("document vector")
        verbose_name_plural = _("document vectors")

    def __str__(self):
        return f"{self.document_id} {self.model}"
