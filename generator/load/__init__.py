"""Turn a project folder into parsed sources: YAML documents, tables and chapter texts that know their locations.

Nothing here judges content: every value keeps the file, line and column (or
table cell) it came from, so that `generator.validate` can say where a mistake
is. Size, nesting and cell limits (`limits`) are checked before parsing; a file
that cannot be read becomes a located `Problem`, never a traceback.
"""
