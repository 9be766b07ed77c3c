"""Reading the moderation queue's pages in tests: its addresses, a row, where a row links."""

import re

QUEUE = "/admin/comments/"
DECIDE = "/admin/comments/decide/"
JSON = {"HTTP_ACCEPT": "application/json"}


def bulk_url(action: str, *pks: int) -> str:
    ids = "&".join(f"id={pk}" for pk in pks)
    return f"/admin/bulk/comments/moderation/{action}/?next=/admin/comments/&{ids}"


def queue(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, comment) -> str:
    """The queue row of `comment`."""
    start = html.index(f'id="row-{comment.pk}"')
    return html[start : html.index("</tr>", start)]


def post_link(html: str, comment) -> str | None:
    """Where the row's "On <post>" line links, if anywhere."""
    found = re.search(r'On <a href="([^"]+)">', row(html, comment))
    return found.group(1) if found else None
