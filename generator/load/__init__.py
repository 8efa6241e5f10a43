"""Turn a project folder into parsed sources: YAML documents, tables and chapter texts that know their locations.

Nothing here judges content: every value keeps the file, line and column (or
table cell) it came from, so that `generator.validate` can say where a mistake
is. Size, nesting and cell limits (`limits`) are checked before parsing; a file
that cannot be read becomes a located `Problem`, never a traceback.

Modules:
  project.py      a project folder → its parsed sources (the entry of this stage)
  yaml_source.py  a YAML file → plain data plus the line and column of every value
  tables.py       a CSV (UTF-8, BOM, GB18030) or XLSX file → rows of cells that know their location
  text.py         a file's bytes → text, or a located Chinese problem saying why they are not
  limits.py       the limits on input files (sizes, cells, YAML nesting and aliases), in one place
"""
