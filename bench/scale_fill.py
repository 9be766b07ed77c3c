"""The content bench/scale.py measures: 10,000 posts and up to a million threaded comments, written
in bulk in bounded memory.

Posts: one made through Wagtail (`add_child`, about 120 ms each on PostgreSQL here, so 10,000
would take 20 minutes), then cloned row for row: treebeard paths computed as `add_child` computes
them, the page and blog-page rows inserted in batches, then the search index filled in batches.

Comments: row for row what `comments.threads.store_new_threads` writes (django_comments, xtd's
thread fields in depth-first order, the moderation row with its cooked HTML), streamed in batches
of `BATCH` with PostgreSQL's COPY (SQLite: executemany). Each text is cooked once (all comments
with one text share its HTML, as the app would store it). Shapes: threads of one to five comments,
at most four levels deep; 3% held, 1% spam (their replies hidden by visibility's rule), a few
reported, questions with official answers; one post holds 2% of every batch (20,000 of 1M).
"""

import datetime
import json
import uuid

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django_comments.models import Comment as ContribComment
from django_comments_xtd.models import XtdComment
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor
from comments.models import Moderation, Status
from comments.sanitize import POLICY, comment_html
from comments.states import flags_for
from glossary.models import Term
from subscriptions.models import Subscriber

BATCH = 20_000
BIG_SLUG = "the-post-with-twenty-thousand-comments"
BIG_SHARE = 50  # one comment in 50 goes to the big post
TEXTS = [
    "We waited three hours in the clinic and nobody could tell us why. The EHR showed no booking.",
    "The nurses on the night shift were kind. Discharge took most of the next day, though.",
    "My mother's prior authorization took two weeks; the portal said nothing the whole time.",
    "Parking was full again. The shuttle from the far lot runs every 30 minutes, not 10.",
    "Thank you for writing this. The interpreter service made all the difference for my father.",
    "Why does the PHR show a different medication list from the one the pharmacy printed?",
    "The billing office answered on the first call and fixed the duplicate charge.",
    "Please keep the cafeteria open later: visitors in the ICU have nowhere to eat after 7.",
]
COMMENT_COLUMNS = [
    "id", "content_type_id", "object_pk", "site_id", "user_id", "user_name", "user_email",
    "user_url", "comment", "submit_date", "ip_address", "is_public", "is_removed",
]  # fmt: skip
XTD_COLUMNS = ["comment_ptr_id", "thread_id", "parent_id", "level", "order", "followup", "nested_count"]
MODERATION_COLUMNS = [
    "comment_id", "status", "reasons", "role", "reject_reason", "decided_by_id", "decided_at",
    "report_count", "routed_at", "moderators_notified_at", "ever_published", "email_proven",
    "wants_notices", "highlighted_at", "reader", "html", "html_policy", "question", "answer_id",
    "answered_at", "helpful",
]  # fmt: skip
REASONS = {
    Status.WAITING: json.dumps([{"code": "first_time", "detail": ""}]),
    Status.SPAM: json.dumps([{"code": "blocked", "detail": "casino"}]),
    Status.PUBLISHED: "[]",
}


def write(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Append `rows` to `table`: COPY on PostgreSQL, executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def reset_sequences(*models) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def posts(count: int) -> None:
    """`count` posts under the English blog index, the big post first: one through Wagtail, the
    rest cloned from its rows."""
    index = BlogIndexPage.objects.get(locale__language_code="en")
    author = Author.objects.first()
    body = json.dumps([{"type": "paragraph", "value": "<p>Our EHR and the patient portal disagree.</p>"}])
    first = BlogPage(title="The post with twenty thousand comments", slug=BIG_SLUG, intro="Scale.", body=body)
    first.date = datetime.date(2020, 1, 1)
    first.post_authors.add(BlogPageAuthor(author=author))
    index.add_child(instance=first)
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    blog_fields = [f for f in BlogPage._meta.local_concrete_fields if not f.primary_key]
    index.refresh_from_db()
    step = index.get_last_child()._get_lastpos_in_path()
    for start in range(1, count, 1000):
        with transaction.atomic():
            clones = []
            for n in range(start, min(count, start + 1000)):
                step += 1
                clone = Page(**{f.attname: getattr(first, f.attname) for f in page_fields})
                clone.path = Page._get_path(index.path, index.depth + 1, step)
                clone.slug, clone.title = f"scale-post-{n}", f"Scale post {n}: waiting times"
                clone.draft_title, clone.url_path = clone.title, f"{index.url_path}{clone.slug}/"
                clone.translation_key = uuid.uuid4()
                clones.append(clone)
            Page.objects.bulk_create(clones)
            rows = []
            for n, clone in enumerate(clones, start):
                values = {f.attname: getattr(first, f.attname) for f in blog_fields}
                values["date"] = datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 2000)
                prepared = [f.get_db_prep_save(values[f.attname], connection) for f in blog_fields]
                rows.append((clone.pk, *prepared))
            write(BlogPage._meta.db_table, ["page_ptr_id", *[f.column for f in blog_fields]], rows)
            BlogPageAuthor.objects.bulk_create(
                BlogPageAuthor(page_id=clone.pk, author=author, sort_order=0) for clone in clones
            )
    Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
    backend = get_search_backend()
    live = BlogPage.objects.filter(path__startswith=index.path).order_by("pk")
    for start in range(0, live.count(), 500):
        backend.add_bulk(BlogPage, list(live[start : start + 500]))


def extras(terms: int, subscribers: int) -> None:
    for n in range(terms):  # save() gives each its locale and translation key
        Term.objects.create(term=f"Scale term {n}", expansion="Scale", definition="A term made for scale.")
    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"follower{n}@example.org", status="active", confirmed_at=now)
            for n in range(Subscriber.objects.count(), subscribers)
        ),
        batch_size=5000,
    )


class Comments:
    """Writes comments batch by batch, keeping only counters between batches."""

    def __init__(self) -> None:
        self.content_type = ContentType.objects.get_for_model(BlogPage).pk
        self.big = str(BlogPage.objects.get(slug=BIG_SLUG).pk)
        self.posts = [str(pk) for pk in BlogPage.objects.order_by("pk").values_list("pk", flat=True)]
        self.moderator = User.objects.get_or_create(username="scale-moderator")[0].pk
        self.html = [str(comment_html(text)) for text in TEXTS]
        self.next_id = (ContribComment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.threads = 0
        self.made = 0
        self.now = timezone.now()

    def fill(self, total: int) -> None:
        """Add comments until `total` are stored (by this writer), in batches."""
        while self.made < total:
            with transaction.atomic():
                self._batch(min(BATCH, total - self.made))
        reset_sequences(ContribComment)

    def _batch(self, size: int) -> None:
        comments, threads, moderations = [], [], []
        stop = self.made + size
        while self.made < stop:
            t = self.threads
            self.threads += 1
            post = self.big if t % BIG_SHARE == 0 else self.posts[(t * 7919) % len(self.posts)]
            replies = min(t % 5, stop - self.made - 1)
            root = self.next_id
            when = self.now - datetime.timedelta(minutes=(t * 104_729) % (730 * 24 * 60))
            for k in range(replies + 1):
                pk, n = self.next_id, self.made
                self.next_id += 1
                self.made += 1
                level = min(k, 3)
                parent = root if k == 0 else (pk - 1 if k <= 3 else root + 2)
                status = Status.WAITING if n % 100 < 3 else Status.SPAM if n % 100 == 3 else Status.PUBLISHED
                flags = flags_for(status)
                submitted = when + datetime.timedelta(minutes=17 * k)
                comments.append(
                    (pk, self.content_type, post, 1, None, f"Reader {n % 50_000}",
                     f"reader{n % 50_000}@example.org", "", TEXTS[n % len(TEXTS)], submitted, None,
                     flags["is_public"], flags["is_removed"])
                )  # fmt: skip
                threads.append((pk, root, parent, level, k + 1, False, replies - k if k < 3 else 0))
                decided = status != Status.WAITING and n % 2 == 0
                question = k == 0 and t % 50 == 0
                answer = root + 1 if question and replies and t % 100 == 0 else None
                role = "staff" if k == 1 and t % 100 == 0 else "reader"
                moderations.append(
                    (pk, status, REASONS[status], role, "", self.moderator if decided else None,
                     submitted + datetime.timedelta(minutes=5 + n % 600) if decided else None,
                     1 if n % 250 == 7 else 0, None, None, status == Status.PUBLISHED, False, False,
                     None, "", self.html[n % len(TEXTS)], POLICY, question, answer,
                     submitted + datetime.timedelta(minutes=17) if answer else None, 0)
                )  # fmt: skip
        write(ContribComment._meta.db_table, COMMENT_COLUMNS, comments)
        write(XtdComment._meta.db_table, XTD_COLUMNS, threads)
        write(Moderation._meta.db_table, MODERATION_COLUMNS, moderations)
