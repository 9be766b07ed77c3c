"""Small WordPress exports written for one test: a post (or several), each with its comments."""

from pathlib import Path
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test blog</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example.org</wp:base_blog_url>
"""


def comment(source_id: str, text: str, *, parent: str = "0", date: str = "2020-01-02 10:00:00") -> str:
    return f"""<wp:comment><wp:comment_id>{source_id}</wp:comment_id>
<wp:comment_author>Reader {source_id}</wp:comment_author><wp:comment_author_email></wp:comment_author_email>
<wp:comment_date_gmt>{date}</wp:comment_date_gmt>
<wp:comment_content>{escape(text)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def post(
    source_id: str,
    *,
    title: str = "",
    link: str = "",
    body: str = "A post.",
    status: str = "publish",
    date: str = "2020-01-01 09:00:00",
    comments: tuple[str, ...] = (),
    slug: str = "",
) -> str:
    return f"""<item><title>{escape(title or f"Post {source_id}")}</title>
<link>{escape(link)}</link><guid isPermaLink="false">https://old.example.org/?p={source_id}</guid>
<content:encoded>{escape(body)}</content:encoded><wp:post_id>{source_id}</wp:post_id>
<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug or f"post-{source_id}"}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>{"".join(comments)}</item>"""


def export(tmp_path: Path, *items: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(items) + "</channel></rss>", encoding="utf-8")
    return path
