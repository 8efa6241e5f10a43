"""Turn views into the site's pages: Markdown for MkDocs from Jinja templates, and the site's other files.

Chapters and content texts render in Jinja's sandbox with the organization's
text variables (`chapters`); pages autoescape user text (`pages`), the results
and notice pages and the Atom feed are rendered here too, and every page's
HTML later goes through `sanitize`. `generator.site` builds the pages into HTML.

Modules:
  pages.py      a validated project → the site's Markdown pages, images and navigation
  chapters.py   a text with the organization's variables → its words, in a Jinja sandbox
  results.py    the public results view → the 考核结果 pages, charts and their data page
  notices.py    notices → the 公示 archive, one page per notice, and the Atom feed
  feed.py       notices → an Atom feed (RFC 4287), newest first
  reference.py  the pydantic models → the data-format reference page
  sanitize.py   a page's rendered HTML → what is safe to publish (nh3, a MkDocs plugin)
  templates/    the Jinja templates of the pages
"""
