"""Elasticsearch backend (when settings.ELASTICSEARCH_URL is set).

One index per language family is overkill here: a single versioned index
(``<prefix>-documents-<timestamp>``) holds both languages in per-language
sub-fields, behind the alias ``<prefix>-documents``. A full rebuild fills a new
index and swaps the alias atomically, so searches never see a half index.
Synonyms and spelling corrections are resolved by search.query before the
query reaches Elasticsearch (the same plan as the embedded backend), and
``fuzziness: AUTO`` covers the remaining typos.
"""

import time

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Keyword,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.query import (
    Bool,
    FunctionScore,
    MatchPhrase,
    MultiMatch,
    Term,
    Terms,
)
from elasticsearch.helpers import bulk

NAME = "elasticsearch"
TIMEOUT = 3

_clients = {}

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=[
        "l",
        "m",
        "t",
        "qu",
        "n",
        "s",
        "j",
        "d",
        "c",
        "jusqu",
        "quoiqu",
        "lorsqu",
        "puisqu",
    ],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
english_stemmer = token_filter("english_stemmer", type="stemmer", language="english")
english_possessive = token_filter(
    "english_possessive", type="stemmer", language="possessive_english"
)
autocomplete_filter = token_filter(
    "autocomplete_filter", type="edge_ngram", min_gram=2, max_gram=20
)

french = analyzer(
    "entraide_french",
    tokenizer="standard",
    filter=["lowercase", french_elision, "asciifolding", french_stop, french_stemmer],
)
english = analyzer(
    "entraide_english",
    tokenizer="standard",
    filter=[
        english_possessive,
        "lowercase",
        "asciifolding",
        english_stop,
        english_stemmer,
    ],
)
autocomplete = analyzer(
    "entraide_autocomplete",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", autocomplete_filter],
)
folded = analyzer(
    "entraide_folded", tokenizer="standard", filter=["lowercase", "asciifolding"]
)


def _text():
    # Each text field is analysed per language; queries pick the sub-field.
    return Text(
        analyzer=folded,
        fields={
            "fr": Text(analyzer=french),
            "en": Text(analyzer=english),
        },
    )


class SearchDocumentIndex(Document):
    doc_id = Keyword()
    kind = Keyword()
    lang = Keyword()
    title = Text(
        analyzer=folded,
        fields={
            "fr": Text(analyzer=french),
            "en": Text(analyzer=english),
            "autocomplete": Text(analyzer=autocomplete, search_analyzer=folded),
        },
    )
    summary = _text()
    symptoms = _text()
    body = _text()
    tags = _text()
    category = Text(analyzer=folded, fields={"raw": Keyword()})
    url = Keyword(index=False)
    source = Keyword()
    solved = Boolean()
    helpfulness = Float()
    boost = Float()
    updated_at = Date()

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


# Field boosts, mirroring the embedded backend's column weights.
FIELD_BOOSTS = {"title": 5, "summary": 2, "symptoms": 2, "tags": 2, "body": 1}


def alias_name():
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-documents"


def client():
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        _clients[url] = Elasticsearch(
            url, request_timeout=TIMEOUT, max_retries=0, retry_on_timeout=False
        )
    return _clients[url]


def index_template(name):
    """The Index object (settings, analyzers, mappings) for a concrete index."""
    index = SearchDocumentIndex._index.clone(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    return index


def index_body():
    return index_template("entraide-template").to_dict()


def as_source(row):
    """Elasticsearch source of a SearchDocument row."""
    return {
        "doc_id": row.doc_id,
        "kind": row.kind,
        "lang": row.lang,
        "title": row.title,
        "summary": row.summary,
        "symptoms": row.symptoms,
        "body": row.body,
        "tags": row.tags,
        "category": row.category,
        "url": row.url,
        "source": row.source,
        "solved": row.solved,
        "helpfulness": row.helpfulness,
        "boost": row.boost,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def _actions(rows, index):
    for row in rows:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": row.doc_id,
            "_source": as_source(row),
        }


def index_documents(rows, index=None):
    es = client()
    _ensure_alias(es)
    bulk(es, _actions(rows, index or alias_name()), refresh="wait_for")


def delete_documents(doc_ids):
    es = client()
    _ensure_alias(es)
    actions = (
        {"_op_type": "delete", "_index": alias_name(), "_id": doc_id}
        for doc_id in doc_ids
    )
    bulk(es, actions, raise_on_error=False, refresh="wait_for")


def _ensure_alias(es):
    if not es.indices.exists_alias(name=alias_name()):
        name = create_index(es)
        es.indices.put_alias(index=name, name=alias_name())


def create_index(es=None):
    es = es or client()
    name = (
        f"{alias_name()}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1000}"
    )
    index_template(name).create(using=es)
    return name


def rebuild(rows_iterable, progress=None, chunk=500):
    """Fill a new index, then point the alias at it and drop the old ones."""
    es = client()
    name = create_index(es)
    batch = []
    for row in rows_iterable:
        batch.append(row)
        if len(batch) >= chunk:
            bulk(es, _actions(batch, name))
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        bulk(es, _actions(batch, name))
        if progress:
            progress(len(batch))
    es.indices.refresh(index=name)
    swap_alias(es, name)
    return name


def swap_alias(es, new_index):
    alias = alias_name()
    old = (
        list(es.indices.get_alias(name=alias).keys())
        if es.indices.exists_alias(name=alias)
        else []
    )
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    es.indices.update_aliases(actions=actions)
    for index in old:
        if index != new_index:
            es.indices.delete(index=index, ignore_unavailable=True)


def _fields(lang):
    return [f"{name}.{lang}^{boost}" for name, boost in FIELD_BOOSTS.items()] + [
        f"{name}^{boost * 0.5}" for name, boost in FIELD_BOOSTS.items()
    ]


def build_query(plan, kinds=None, filters=None):
    """The query (an elasticsearch.dsl Query) for one language's plan."""
    should = []
    for alternative in plan.clauses:
        for stems in alternative:
            # Elasticsearch runs its own analyzers on what people typed.
            text = plan.surface.get(stems) or " ".join(stems)
            if len(stems) > 1:
                should.append(
                    MatchPhrase(**{f"title.{plan.lang}": {"query": text, "boost": 2}})
                )
            should.append(
                MultiMatch(
                    query=text,
                    fields=_fields(plan.lang),
                    type="best_fields",
                    fuzziness="AUTO",
                    prefix_length=1,
                )
            )
    for word in plan.prefix_words:
        should.append(MultiMatch(query=word, fields=["title.autocomplete^2"]))
    filter_clauses = [Term(lang=plan.lang)]
    if kinds:
        filter_clauses.append(Terms(kind=list(kinds)))
    filters = filters or {}
    if filters.get("category"):
        filter_clauses.append(Term(**{"category.raw": filters["category"]}))
    if filters.get("solved") is not None:
        filter_clauses.append(Term(solved=bool(filters["solved"])))
    return FunctionScore(
        query=Bool(should=should, minimum_should_match=1, filter=filter_clauses),
        functions=[
            # Solved topics and helpful articles first (boost is precomputed
            # by search.services.document_boost, the same as the embedded one).
            {"field_value_factor": {"field": "boost", "missing": 1.0}},
        ],
        boost_mode="multiply",
    )


def build_search(plans, kinds=None, filters=None, limit=10, offset=0):
    queries = [build_query(plan, kinds, filters) for plan in plans if not plan.empty]
    query = queries[0] if len(queries) == 1 else Bool(should=queries)
    return (
        Search(index=alias_name())
        .query(query)
        .source(["doc_id"])
        .extra(from_=offset, size=limit, track_total_hits=False)
    )


def search(plans, kinds=None, filters=None, limit=10, offset=0):
    """[(doc_id, score)] best first."""
    response = (
        build_search(plans, kinds, filters, limit, offset).using(client()).execute()
    )
    return [(hit.meta.id, float(hit.meta.score or 0.0)) for hit in response]


def health():
    info = client().options(request_timeout=TIMEOUT).cluster.health()
    return {
        "ok": info.get("status") in ("green", "yellow"),
        "status": info.get("status"),
    }


def count():
    es = client()
    if not es.indices.exists_alias(name=alias_name()):
        return 0
    return es.count(index=alias_name())["count"]
