"""Turn views into the site's pages: Markdown for MkDocs from Jinja templates, and the site's other files.

Chapters and content texts render in Jinja's sandbox with the organization's
text variables (`chapters`); pages autoescape user text (`pages`), the results
and notice pages and the Atom feed are rendered here too, and every page's
HTML later goes through `sanitize`. `generator.site` builds the pages into HTML.
"""
