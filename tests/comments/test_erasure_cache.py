"""An erasure takes the erased text out of the cache at once, not only out of pages: the cached
comment lists (`comments:list:*`), the highlights and the glossary's remembered fragments
(`glossary:annotated:*`) are deleted, where a purge alone only retires them until they expire."""

import pytest
from django.core.cache import cache

from comments import moderation, personal_data
from tests.comments.factories import make_comment
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db
SECRET = "my neighbour Jo Quill in bed 12"


def cached_keys() -> list[str]:
    """Every key in the cache, in Redis (CI's Redis run: django-redis lists them) or in local memory."""
    if hasattr(cache, "keys"):
        return list(cache.keys("*"))
    return [key.split(":", 2)[-1] for key in list(cache._cache)]


def cached_values() -> list[str]:
    """Every value in the cache, as text (keys are hashed, values are not)."""
    return [repr(cache.get(key)) for key in cached_keys()]


def holds(text: str) -> bool:
    return any(text in value for value in cached_values())


def test_erasing_a_commenter_deletes_their_text_from_every_cached_list(client, post, admin_user, commit):
    TermFactory(term="Triage")  # a live glossary, so long fragments are remembered
    comment = make_comment(post, user_email="pat@example.org", comment=f"About {SECRET}. Triage " * 60)
    for n in range(3):
        make_comment(post, comment=f"Another reader, number {n}. " * 40)
    with commit():
        moderation.highlight(comment.moderation, admin_user)
    assert client.get(post.url).status_code == 200
    assert holds(SECRET)
    kinds = {
        kind
        for kind in ("comments:list:", "comments:highlights:", "glossary:annotated:")
        if any(kind in key for key in cached_keys())
    }
    assert kinds == {"comments:list:", "comments:highlights:", "glossary:annotated:"}
    with commit():
        assert personal_data.erase_commenter("pat@example.org") == 1
    assert not holds(SECRET)
