"""Every write to the knowledge base, one module per concern.

- ``structure``: KB roots per language, categories, the community category.
- ``upsert``: ``article_upsert`` for the importer, the demo and scripts.
- ``editing``: the public editor, proposals, drafts from other apps, review
  (approve / reject and the author's notice), protection.
- ``history``: rollback to an old revision, undo of one edit.
- ``feedback``: "did this help?" votes.
- ``common``: steps they share (publishing a revision, recording the edit).

Each content change is a Wagtail revision plus an :class:`~kb.models.ArticleEdit`
row that says who, why, and whether it is live or waiting for review. Import
from the module that does the work, e.g.
``from kb.services.upsert import article_upsert``.
"""
