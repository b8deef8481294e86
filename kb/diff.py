"""Word diffs for reviewers and the line-based three-way merge behind "undo"."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN_RE = re.compile(r"\s+|[^\s\w]|\w+", re.UNICODE)


def _tokens(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def word_diff(old: str | None, new: str | None) -> SafeString:
    """HTML with <del>/<ins> around the changed words (everything escaped)."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # (equal?, old text, new text) chunks; a lone space between two changes
    # joins them, so "dix secondes" → "deux minutes" reads as one change.
    chunks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op != "equal" and chunks and not chunks[-1][0]:
            chunks[-1][1] += old_part
            chunks[-1][2] += new_part
            continue
        if (
            op != "equal"
            and len(chunks) >= 2
            and chunks[-1][0]
            and not chunks[-2][0]
            and chunks[-1][1].strip() == ""
            and "\n" not in chunks[-1][1]
        ):
            space = chunks.pop()[1]
            chunks[-1][1] += space + old_part
            chunks[-1][2] += space + new_part
            continue
        chunks.append([op == "equal", old_part, new_part])
    out = []
    for equal, old_part, new_part in chunks:
        if equal:
            out.append(escape(old_part))
            continue
        if old_part:
            out.append(f"<del>{escape(old_part)}</del>")
        if new_part:
            out.append(f"<ins>{escape(new_part)}</ins>")
    return mark_safe("".join(out))


def three_way_merge(base: str, mine: str, theirs: str) -> str | None:
    """Apply the change base→theirs on top of ``mine``, line by line.

    Returns the merged text, or None when both sides touched the same lines
    (the caller then asks for a manual rollback instead).
    """
    base_l = base.splitlines(keepends=True)
    mine_l = mine.splitlines(keepends=True)
    theirs_l = theirs.splitlines(keepends=True)
    if mine_l == base_l:
        return theirs
    # Line ranges of base changed by ``mine``.
    mine_changes = [
        (i1, i2)
        for op, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
            None, base_l, mine_l, autojunk=False
        ).get_opcodes()
        if op != "equal"
    ]
    mine_map = difflib.SequenceMatcher(None, base_l, mine_l, autojunk=False)
    result = list(mine_l)
    offset_ops = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, base_l, theirs_l, autojunk=False
    ).get_opcodes():
        if op == "equal":
            continue
        for m1, m2 in mine_changes:
            # Overlapping or touching ranges conflict.
            if i1 <= m2 and m1 <= i2:
                return None
        offset_ops.append((i1, i2, theirs_l[j1:j2]))
    # Translate base positions into ``mine`` positions, from the end so the
    # earlier positions stay valid.
    blocks = mine_map.get_matching_blocks()

    def to_mine(pos):
        for a, b, size in blocks:
            if a <= pos <= a + size:
                return b + (pos - a)
        return None

    for i1, i2, replacement in sorted(offset_ops, reverse=True):
        start, end = to_mine(i1), to_mine(i2)
        if start is None or end is None:
            return None
        result[start:end] = replacement
    return "".join(result)
