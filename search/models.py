from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_CHOICES = [("article", _("Article")), ("topic", _("Forum topic"))]
LANG_CHOICES = [("fr", _("French")), ("en", _("English"))]


class SearchDocument(models.Model):
    """One public, searchable document: the embedded index reads from here.

    The full-text side lives in a vendor-specific table keyed on this row's id
    (FTS5 on SQLite, a tsvector table on PostgreSQL), created by migration 0002.
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
    updated_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "lang"])]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"{self.doc_id} {self.title}"


class PostgresIndexRow(models.Model):
    """The tsvector row of a document on PostgreSQL (table made by migration 0002).

    Only declared so that Django knows the table: `flush` (and so transactional
    tests) must truncate it together with the documents it references. It is
    read and written with SQL in search.backends.embedded; on SQLite the table
    does not exist and the model is never queried.
    """

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="doc_id",
        # The database cascades on PostgreSQL; the ORM must not look for rows
        # in a table that SQLite does not have.
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    vector = SearchVectorField()

    class Meta:
        db_table = "search_pg_index"

    def __str__(self):
        return f"index row {self.pk}"


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
