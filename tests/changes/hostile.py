"""The XSS corpus as reader and editor text on every part of a change readers see."""

from changes.models import Feedback, FeedbackStatus
from tests.blog.test_xss import as_stored
from tests.changes.factories import make_change, make_topic
from tests.comments.factories import make_comment
from tests.xss_payloads import PAYLOADS


def hostile_changes(post) -> list[str]:
    """One change per payload (title, details, department, topic), citing `post` and a comment
    whose text and name are the payload, with a "not changing" reason that is the payload too.
    Returns the reader-facing paths that show them."""
    topics = []
    for number, payload in enumerate(PAYLOADS):
        text = as_stored(payload.text)
        comment = make_comment(post, comment=text[:3000], user_name=text[:50])
        other = make_comment(post, comment=text[:3000], user_name=text[:50])
        Feedback.objects.create(
            comment_id=other.pk, topic=make_topic(), status=FeedbackStatus.NOT_CHANGING, reason=text[:500]
        )
        topic = make_topic(text[:70] + f" {number}")
        topic.slug = f"hostile-{number}"
        topic.save()
        topics.append(topic.slug)
        make_change(
            topic=topic,
            title=text[:200] or "empty",
            description=text[:2000],
            department=text[:120] or "empty",
            posts=[post],
            comments=[comment],
        )
    pages = -(-len(PAYLOADS) // 20)
    return [
        post.url,
        *(f"/changes/?page={n}" for n in range(1, pages + 1)),
        *(f"/changes/topic/{slug}/" for slug in topics[:5]),
    ]
