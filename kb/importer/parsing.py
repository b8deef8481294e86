"""Read a Hugo-style content tree into plain Python objects (no database).

Layout rules (Hugo's): ``NAME.LANG.md`` and ``DIR/index.LANG.md`` are articles,
``DIR/_index.LANG.md`` describes the section (category) ``DIR``. Files of one
source key in several languages are translations of one article.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

SUPPORTED_LANGS = ("fr", "en")

_NAME_RE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.(?:md|markdown)$")
_PLAIN_NAME_RE = re.compile(r"^(?P<stem>.+)\.(?:md|markdown)$")


class SourceError(Exception):
    """A file that cannot be imported; the message is shown in the report."""


@dataclass
class SourceFile:
    """One Markdown file of the tree, front matter parsed, body untouched."""

    path: Path
    rel: str  # posix path relative to the tree root, shown in reports
    key: str  # source key: path without the language suffix ("" for the root)
    lang: str
    kind: str  # "article" or "section"
    front: dict = field(default_factory=dict)
    body: str = ""

    @property
    def title(self):
        for name in ("title", "linkTitle"):
            value = self.front.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
        heading = re.search(r"^#\s+(.+?)\s*#*\s*$", self.body, re.M)
        if heading:
            return heading.group(1).strip()
        return humanize(PurePosixPath(self.key).name) if self.key else ""

    @property
    def tags(self):
        raw = self.front.get("tags") or self.front.get("keywords") or []
        if isinstance(raw, str):
            raw = raw.split(",")
        if not isinstance(raw, list | tuple):
            return []
        tags = []
        for tag in raw:
            tag = str(tag).strip()
            if tag and tag.lower() not in {t.lower() for t in tags}:
                tags.append(tag[:100])
        return tags

    @property
    def weight(self):
        value = self.front.get("weight")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def url(self):
        value = self.front.get("url")
        return value.strip() if isinstance(value, str) and value.strip() else None

    @property
    def slug(self):
        """Hugo's ``slug``: the last segment of the page's URL."""
        value = self.front.get("slug")
        return value.strip() if isinstance(value, str) and value.strip() else None

    @property
    def symptoms(self):
        """Phrases customers write (``symptoms``: a list or one per line), or
        None when the file does not say (then community edits are kept)."""
        raw = self.front.get("symptoms")
        if isinstance(raw, str):
            raw = raw.splitlines()
        if not isinstance(raw, list | tuple):
            return None
        return "\n".join(str(line).strip() for line in raw if str(line).strip())

    @property
    def summary(self):
        for name in ("summary", "description"):
            value = self.front.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    @property
    def parent_key(self):
        """Key of the section this file belongs to."""
        if self.kind == "section":
            parent = PurePosixPath(self.key).parent.as_posix() if self.key else None
        else:
            parent = PurePosixPath(self.key).parent.as_posix()
        return "" if parent == "." else parent


def humanize(slug):
    text = re.sub(r"[-_]+", " ", slug).strip()
    return text[:1].upper() + text[1:]


def classify(rel_path, default_lang=None):
    """(key, lang, kind) of a tree-relative path, or None when not Markdown.

    Files without a language suffix take ``default_lang`` (single-language trees).
    """
    rel = PurePosixPath(rel_path)
    match = _NAME_RE.match(rel.name)
    if match and match.group("lang") in SUPPORTED_LANGS:
        stem, lang = match.group("stem"), match.group("lang")
    else:
        match = _PLAIN_NAME_RE.match(rel.name)
        if not match or not default_lang:
            return None
        stem, lang = match.group("stem"), default_lang
    directory = rel.parent.as_posix()
    directory = "" if directory == "." else directory
    if stem == "_index":
        return directory, lang, "section"
    if stem == "index":
        if not directory:
            # An index at the root is the home page of the tree.
            return "", lang, "section"
        return directory, lang, "article"
    key = f"{directory}/{stem}" if directory else stem
    return key, lang, "article"


def split_front_matter(text):
    """(front matter dict, body) of a Hugo file; SourceError when it is broken."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0].strip()
    if first_line == "+++":
        fmt, fence = "TOML", "+++"
    elif first_line == "---":
        fmt, fence = "YAML", "---"
    else:
        return {}, text
    rest = text.split("\n", 1)[1] if "\n" in text else ""
    closing = re.search(rf"^{re.escape(fence)}[ \t]*$", rest, re.M)
    if not closing:
        raise SourceError(f"unterminated {fmt} front matter (no closing '{fence}')")
    raw, body = rest[: closing.start()], rest[closing.end() :]
    try:
        front = tomllib.loads(raw) if fmt == "TOML" else yaml.safe_load(raw) or {}
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"invalid TOML front matter: {exc}") from exc
    except yaml.YAMLError as exc:
        detail = str(exc).replace("\n", " ")
        raise SourceError(f"invalid YAML front matter: {detail}") from exc
    if not isinstance(front, dict):
        raise SourceError(f"{fmt} front matter is not a table of keys and values")
    return front, body.lstrip("\n")


def read_source(path, root, default_lang=None):
    """Parse one file; SourceError describes why it cannot be imported."""
    rel = path.relative_to(root).as_posix()
    classified = classify(rel, default_lang)
    if classified is None:
        raise SourceError(
            "no language suffix (expected NAME.LANG.md, LANG one of "
            f"{', '.join(SUPPORTED_LANGS)}; see --default-lang)"
        )
    key, lang, kind = classified
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        ) from exc
    except OSError as exc:
        raise SourceError(f"unreadable: {exc.strerror}") from exc
    front, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    if front.get("draft") is True:
        raise SourceError("draft (front matter draft = true)")
    source = SourceFile(
        path=path, rel=rel, key=key, lang=lang, kind=kind, front=front, body=body
    )
    if kind == "article" and not source.title:
        raise SourceError("no title (front matter, heading or file name)")
    return source


def iter_markdown_files(root):
    """Every Markdown file under root, sorted so runs are reproducible."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in (".md", ".markdown")
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
