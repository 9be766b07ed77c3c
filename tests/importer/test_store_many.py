"""comments.creation.add_comments, the importer's bulk path: the rows it writes are the ones
xtd's own save() (through `add_comment`) writes for the same discussion, comment for comment."""

from django.conf import settings

from comments import creation
from comments.models import Comment, Status
from tests.factories import BlogPageFactory

# (text, index of the parent in this list or None, status)
TREE = [
    ("A <b>bold</b> https://example.org", None, Status.PUBLISHED),
    ("B", 0, Status.PUBLISHED),
    ("C", 1, Status.WAITING),
    ("D", 0, Status.PUBLISHED),
    ("E", None, Status.SPAM),
    ("F", 4, Status.PUBLISHED),
    ("G", 2, Status.PUBLISHED),
]


def _comment(post, text: str) -> Comment:
    comment = Comment(site_id=settings.SITE_ID, user_name="Reader", comment=text)
    comment.content_object = post
    return comment


def _shape(post) -> list[tuple]:
    rows = list(Comment.objects.for_page(post).thread_order().select_related("moderation"))
    text = {c.pk: c.comment for c in rows}
    return [
        (
            c.comment,
            text[c.thread_id],
            text[c.parent_id],
            c.level,
            c.order,
            c.nested_count,
            c.is_public,
            c.is_removed,
            c.moderation.status,
            c.moderation.ever_published,
            c.moderation.html,
            c.moderation.html_policy,
        )  # fmt: skip
        for c in rows
    ]


def test_add_comments_writes_what_one_by_one_storing_writes(site):
    one_by_one, bulk = BlogPageFactory(parent=site["index"]), BlogPageFactory(parent=site["index"])
    stored = []
    for text, parent, status in TREE:
        comment = _comment(one_by_one, text)
        comment.parent_id = stored[parent].pk if parent is not None else 0
        stored.append(creation.add_comment(creation.NewComment(comment, status)))
    entries = []
    for text, parent, status in TREE:
        entries.append(
            creation.NewComment(
                comment=_comment(bulk, text),
                status=status,
                parent=entries[parent] if parent is not None else None,
            )
        )
    creation.add_comments(entries)
    assert _shape(bulk) == _shape(one_by_one)


def test_a_reply_to_a_stored_comment_takes_xtds_own_path(site, post):
    root = creation.add_comment(creation.NewComment(_comment(post, "root"), Status.PUBLISHED))
    reply = creation.NewComment(comment=_comment(post, "reply"), status=Status.PUBLISHED, parent=root)
    below = creation.NewComment(comment=_comment(post, "below"), status=Status.PUBLISHED, parent=reply)
    creation.add_comments([reply, below])
    root.refresh_from_db()
    assert (reply.comment.thread_id, reply.comment.level) == (root.pk, 1)
    assert (below.comment.parent_id, below.comment.level) == (reply.comment.pk, 2)
    assert root.nested_count == 2


def test_add_comments_in_a_few_queries_whatever_the_size(site, django_assert_max_num_queries):
    post = BlogPageFactory(parent=site["index"])
    entries = []
    for number in range(200):
        parent = entries[-1] if number % 3 else None
        entries.append(
            creation.NewComment(comment=_comment(post, f"c{number}"), status=Status.PUBLISHED, parent=parent)
        )
    with django_assert_max_num_queries(11):  # bulk inserts in batches; one more since the Spanish version
        creation.add_comments(entries)
    assert Comment.objects.for_page(post).count() == 200
