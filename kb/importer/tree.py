"""The whole content tree as sections and articles, each with its translations."""

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.utils.text import slugify

from .content import (
    convert_shortcodes,
    extract_summary,
    is_external,
    link_candidates,
    normalize_path,
    rewrite_links,
    split_segments,
)
from .parsing import SourceError, humanize, iter_markdown_files, read_source

ROOT_CATEGORY_TITLES = {"fr": "Général", "en": "General"}


@dataclass
class Version:
    """One language version of an article or a section."""

    source: "object"  # parsing.SourceFile
    slug: str
    segments: list = field(default_factory=list)
    summary: str = ""

    @property
    def lang(self):
        return self.source.lang

    @property
    def title(self):
        return self.source.title


@dataclass
class Node:
    """A section (category) or an article, keyed by its source key."""

    key: str
    kind: str  # "section" | "article"
    versions: dict = field(default_factory=dict)  # lang -> Version

    @property
    def parent_key(self):
        if self.kind == "section" and not self.key:
            return None
        parent = PurePosixPath(self.key).parent.as_posix()
        return "" if parent == "." else parent

    @property
    def weight(self):
        weights = [v.source.weight for v in self.versions.values() if v.source.weight]
        return min(weights) if weights else None

    def title(self, lang):
        version = self.versions.get(lang)
        if version:
            return version.title
        if self.kind == "section" and not self.key:
            return ROOT_CATEGORY_TITLES.get(lang, ROOT_CATEGORY_TITLES["en"])
        if self.versions:
            return next(iter(self.versions.values())).title
        return humanize(PurePosixPath(self.key).name)


@dataclass
class Failure:
    rel: str
    reason: str


@dataclass
class ContentTree:
    root: Path
    sections: dict = field(default_factory=dict)  # key -> Node
    articles: dict = field(default_factory=dict)  # key -> Node
    failures: list = field(default_factory=list)
    skipped: int = 0  # files of a language not requested
    url_index: dict = field(default_factory=dict)  # front-matter url -> (key, lang)

    @property
    def files(self):
        for node in (*self.sections.values(), *self.articles.values()):
            yield from node.versions.values()

    def file_count(self):
        return sum(1 for _ in self.files)

    def languages(self):
        return sorted({v.lang for v in self.files})

    def section_chain(self, key):
        """Section keys from the top-level section down to ``key`` (root excluded)."""
        if not key:
            return []
        parts = key.split("/")
        return ["/".join(parts[: i + 1]) for i in range(len(parts))]

    def resolve_link(self, target, version):
        """(source key, fragment) a local link points to, or None."""
        path, _, fragment = target.partition("#")
        source = version.source
        if source.kind == "section" or PurePosixPath(source.rel).stem.startswith(
            "index."
        ):
            file_dir = source.key
        else:
            file_dir = PurePosixPath(source.key).parent.as_posix().strip(".")
        if path.startswith("/"):
            normalized = "/" + normalize_path(path) + "/"
            hit = self.url_index.get(normalized)
            if hit:
                return hit[0], fragment
            stripped = re.sub(r"^/(?:fr|en)(?=/)", "", normalized)
            candidates = [normalize_path(stripped)]
        else:
            candidates = link_candidates(path, source.key, file_dir)
        for candidate in candidates:
            if candidate in self.articles or candidate in self.sections:
                return candidate, fragment
        # Authors sometimes get the leading folders wrong: accept the longest
        # trailing part of the path that names exactly one page.
        parts = [p for p in candidates[-1].split("/") if p] if candidates else []
        for start in range(len(parts)):
            suffix = "/".join(parts[start:])
            matches = [
                key
                for key in (*self.articles, *self.sections)
                if key == suffix or key.endswith("/" + suffix)
            ]
            if len(matches) == 1:
                return matches[0], fragment
            if matches:
                break
        return None


def _slug_for(source):
    """URL slug: front-matter ``slug``, else the last segment of its ``url``
    (translated), else the key."""
    if source.slug:
        return slugify(source.slug)[:255] or "article"
    if source.url:
        last = normalize_path(source.url).rsplit("/", 1)[-1]
        if last and last not in ("fr", "en"):
            return slugify(last)[:255]
    name = PurePosixPath(source.key).name if source.key else ""
    return slugify(name)[:255] or "article"


def load_tree(root, langs=None, default_lang=None, progress=None):
    """Parse every file under root; broken files land in ``failures``."""
    root = Path(root)
    tree = ContentTree(root=root)
    paths = iter_markdown_files(root)
    if progress:
        paths = progress(paths)
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            source = read_source(path, root, default_lang=default_lang)
        except SourceError as exc:
            tree.failures.append(Failure(rel, str(exc)))
            continue
        if langs and source.lang not in langs:
            tree.skipped += 1
            continue
        nodes = tree.sections if source.kind == "section" else tree.articles
        node = nodes.setdefault(source.key, Node(key=source.key, kind=source.kind))
        if source.lang in node.versions:
            other = node.versions[source.lang].source.rel
            tree.failures.append(Failure(rel, f"same article and language as {other}"))
            continue
        try:
            markdown, callouts = convert_shortcodes(source.body, source.lang)
            segments = split_segments(markdown, callouts)
        except Exception as exc:  # one odd body must not stop the run
            tree.failures.append(Failure(rel, f"unreadable body: {exc}"))
            if not node.versions:
                del nodes[source.key]
            continue
        version = Version(source=source, slug=_slug_for(source), segments=segments)
        # A category description is prose or nothing (not its list of links).
        version.summary = source.summary or extract_summary(
            segments, fallback=source.kind == "article"
        )
        node.versions[source.lang] = version
        if source.url:
            normalized = "/" + normalize_path(source.url) + "/"
            tree.url_index[normalized] = (source.key, source.lang)
    _add_missing_sections(tree)
    return tree


def _add_missing_sections(tree):
    """Folders without ``_index`` files still become categories."""
    needed = {""} if any(a.parent_key == "" for a in tree.articles.values()) else set()
    for node in tree.articles.values():
        needed.update(tree.section_chain(node.parent_key))
    for node in list(tree.sections.values()):
        needed.update(tree.section_chain(node.parent_key or ""))
    for key in needed:
        tree.sections.setdefault(key, Node(key=key, kind="section"))


def rewrite_version_links(tree, version, url_for):
    """Rewrite local links of one version to the imported pages' public URLs.

    ``url_for(key, lang)`` gives the public URL of an imported page or None.
    Unresolvable local links keep their text only; local images are dropped
    (image files are not part of the import).
    """
    unresolved = []

    def resolve(target, is_image):
        if is_external(target):
            return target
        if is_image:
            return None
        hit = tree.resolve_link(target, version)
        url = None
        if hit:
            key, fragment = hit
            url = url_for(key, version.lang)
            if url is None:
                other_langs = [lang for lang in ("fr", "en") if lang != version.lang]
                url = next(
                    (u for lang in other_langs if (u := url_for(key, lang))), None
                )
            if url and fragment:
                # Article headings get slugified ids (kb.models.add_heading_ids);
                # Hugo's keep accents ("#répertoire-tmp").
                url = f"{url}#{slugify(unquote(fragment))[:60] or fragment}"
        if url is None:
            unresolved.append(target)
        return url

    segments = []
    for segment in version.segments:
        segment = dict(segment)
        if segment["type"] in ("markdown", "callout"):
            segment["text"] = rewrite_links(segment["text"], resolve)
        segments.append(segment)
    return segments, unresolved
