"""What a search returns, whatever the backend (the cross-app contract)."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field


class _Rendered:
    """A hit's snippet, given as a function and rendered when first read:
    the triage of a post reads the snippet of one hit out of forty, and
    rendering them all took two fifths of its search (bench/triage_speed.py)."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, hit, owner=None):
        if hit is None:  # the dataclass's default
            return ""
        value = hit.__dict__[self.name]
        if callable(value):
            value = hit.__dict__[self.name] = value()
        return value

    def __set__(self, hit, value):
        hit.__dict__[self.name] = value


@dataclass
class SearchHit:
    kind: str
    id: str
    title: str
    url: str
    # Escaped HTML, or a function returning it (see _Rendered).
    snippet: str | Callable[[], str] = _Rendered()
    score: float = 0.0
    source: str | None = None
    lang: str = ""
    category: str = ""
    solved: bool | None = None
    summary: str = ""

    def as_dict(self):
        return asdict(self)


@dataclass
class SearchResponse:
    backend: str
    degraded: bool = False
    suggestion: str | None = None
    results: list[SearchHit] = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)
    query: str = ""

    def __iter__(self):
        return iter(self.results)


@dataclass
class QueryPlan:
    """A query analysed for one language.

    ``clauses`` holds one list of alternatives per query word; an alternative is
    a tuple of stems (several stems for a multi-word synonym, matched as a phrase).
    """

    lang: str
    clauses: list[list[tuple[str, ...]]]
    highlight: set[str]
    corrections: dict[str, str] = field(default_factory=dict)
    # Query words absent from this language's index vocabulary.
    unknown: set[str] = field(default_factory=set)
    # Stem tuples of very frequent words: they rank, but do not select, documents.
    common: set[tuple[str, ...]] = field(default_factory=set)
    prefix_terms: list[str] = field(default_factory=list)
    # What people typed for each stem tuple (Elasticsearch analyses it itself).
    surface: dict[tuple[str, ...], str] = field(default_factory=dict)
    prefix_words: list[str] = field(default_factory=list)
    phrases: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self):
        return not self.clauses and not self.prefix_terms

    def alternatives(self):
        seen = []
        for clause in self.clauses:
            for alt in clause:
                if alt not in seen:
                    seen.append(alt)
        return seen
