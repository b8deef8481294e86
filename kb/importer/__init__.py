"""Import a Hugo-style help centre (Markdown + front matter) into the KB.

``parsing`` reads files, ``content`` turns Hugo Markdown into storable
Markdown, ``tree`` groups files into categories and translated articles (no
database), ``persist`` writes them through ``kb.services``. The entry point is
``manage.py kb_import PATH``.
"""
