"""The reader's view of a discussion: one page of its threads, joined from stored fragments and
cached between changes.

A long discussion must cost little to render and to download:
- **Pages of threads.** A post shows at most `COMMENTS_PER_PAGE` top-level threads, oldest first
  (a thread is never split); `?page=N` on the post shows the others (`CommentPage`). The page a
  comment is on moves as threads are published or hidden, so links to one comment go through
  /comments/<pk>/ (`page_of`).
- **Orders.** `?order=helpful` ("Most helpful", then oldest first): pages, `page_of` and
  /comments/<pk>/?order=helpful follow it; the page cache files it apart (register_order, apps.py).
- **Render on write.** Each comment's sanitised HTML was stored when its text was written
  (cooking.py); here it is only joined. The markup around it is written below in Python rather
  than a template include per comment: Django's engine spends about 0.6 ms on each such include,
  more than everything else a comment costs together. `_comment` is the one place that markup
  lives (comments.css and comments.js read its classes and data attributes).
- **Cached.** The rendered page of threads is cached under the post's page-cache version
  (pagecache.stamps.version) and the page number: whatever purges the post also retires its
  lists, on every app server. The comment form (its timestamp must be fresh) is never in it.

The list is the same whatever else the page shows: glossary annotation, when the post has it, is
applied by the page around the whole discussion (templates/pages/blog_page.html), not here.
"""

import hashlib
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from pagecache.keys import ORDER_PARAM, PAGE_PARAM, Group, order_value, page_number
from pagecache.stamps import version

from .cooking import cook_comments
from .counts import comment_count
from .models import Comment, CommentQuerySet, Discussion, Moderation, Role
from .sanitize import POLICY, shown_name
from .visibility import in_discussion, is_in_discussion

SKIP = "data-glossary-skip"  # what the glossary must leave alone: not the reader's prose

__all__ = [
    "HELPFUL",
    "ORDERS",
    "CommentPage",
    "Node",
    "order_of",
    "page_of",
    "render_comment_list",
    "threads",
    "tree",
]

HELPFUL = "helpful"  # ?order=helpful, "Most helpful"; "" is oldest first
ORDERS = ("", HELPFUL)

# Translated once per render rather than once per comment.
LABELS = {
    "staff": _("Staff"),
    "author": _("Author"),
    "permalink": _("(link to this comment)"),
    "reply": _("Reply"),
    "report": _("Report"),
    "helped": _("This helped"),
    "helpful_count": _("Helpful:"),  # before the count: no plural needed in any language
    "question": _("Question for the hospital"),
}
ANSWERED_BY = _("Answered by %(name)s, %(role)s")
ANSWER_FROM = _("Answer from %(hospital)s")


class Node:
    """One comment in a rendered discussion: what the markup shows of it, worked out once here,
    and its replies."""

    __slots__ = (
        "answer_id",
        "answered_by",
        "answers",
        "children",
        "helpful",
        "html",
        "level",
        "name",
        "pk",
        "question",
        "role",
        "when",
    )

    def __init__(self, pk: int, level: int, name: str, when, role: str, html: str, **extra):
        self.pk = pk
        self.level = level
        self.name = shown_name(name)
        self.when = timezone.localtime(when)
        self.role = role or Role.READER
        self.html = html
        self.children: list[Node] = []
        self.helpful: int = extra.get("helpful") or 0
        self.question: bool = bool(extra.get("question"))
        self.answer_id: int | None = extra.get("answer_id")
        self.answered_by: Node | None = None  # the official answer, when the discussion shows it
        self.answers: int | None = None  # the question this comment is the shown answer of

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)


# What a node needs, read as plain values: building model instances would cost more than the rest
# of a comment's render together.
_FIELDS = (
    "pk",
    "parent_id",
    "level",
    "user_name",
    "submit_date",
    "moderation__role",
    "moderation__html",
    "moderation__html_policy",
    "moderation__helpful",
    "moderation__question",
    "moderation__answer_id",
)


def tree(comments: CommentQuerySet) -> list[Node]:
    """`comments` as nested nodes with their stored HTML, from one query, in O(n).

    Ordered by thread then xtd's depth-first order, so every parent is met before its replies;
    a reply whose parent is not in the queryset (held, rejected) is left out with it. Comments
    cooked under older rules are cooked again (and saved) on the way (cooking.cook_comments).
    A question is answered when its official answer is among the nodes, i.e. shown: the answered
    status follows comments/visibility.py with the rest.
    """
    rows = list(comments.thread_order().values_list(*_FIELDS))
    recooked = cook_comments([row[0] for row in rows if row[7] != POLICY])
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for pk, parent_id, level, name, when, role, html, _policy, helpful, question, answer_id in rows:
        node = Node(
            pk, level, name, when, role, recooked.get(pk, html),
            helpful=helpful, question=question, answer_id=answer_id,
        )  # fmt: skip
        if parent_id == pk:
            roots.append(node)
        elif parent_id in nodes:
            nodes[parent_id].children.append(node)
        else:
            continue
        nodes[pk] = node
    for node in nodes.values():
        answer = nodes.get(node.answer_id) if node.question and node.answer_id else None
        if answer is not None:
            node.answered_by = answer
            answer.answers = node.pk
    return roots


def order_of(request: HttpRequest) -> str:
    """The order `?order=` asks for: one of ORDERS (a value not in it is oldest first)."""
    order = order_value(request.GET.get(ORDER_PARAM))
    return order if order in ORDERS else ""


def _threads(comments: CommentQuerySet, order: str = "") -> CommentQuerySet:
    """The first comments of the shown threads among `comments`, in `order`."""
    # level=0, not parent_id=pk: PostgreSQL cannot estimate a column-to-column test (a full scan).
    roots = comments.published().filter(level=0)
    if order == HELPFUL:
        return roots.order_by("-moderation__helpful", "thread_id")
    return roots.order_by("thread_id")


def threads(page, order: str = "") -> CommentQuerySet:
    """The first comments of `page`'s shown threads, in `order`: what its pages count."""
    return _threads(Comment.objects.for_page(page), order)


def per_page() -> int:
    return max(1, settings.COMMENTS_PER_PAGE)


def page_of(comment: Comment, order: str = "") -> int | None:
    """The number of the page of its post's comments, in `order`, that shows `comment`, or None
    when its post's discussion does not show it (comments.visibility decides). Two queries: is it
    shown, and how many shown threads come before its own (`thread_id` is its thread's first
    comment; in the helpful order, those marked more helpful, then the older among equals)."""
    if not is_in_discussion(comment):
        return None
    same_post = Comment.objects.filter(content_type_id=comment.content_type_id, object_pk=comment.object_pk)
    before = Q(thread_id__lt=comment.thread_id)
    if order == HELPFUL:
        own = Subquery(Moderation.objects.filter(pk=comment.thread_id).values("helpful")[:1])
        before = Q(moderation__helpful__gt=own) | (Q(moderation__helpful=own) & before)
    earlier = _threads(same_post, order).filter(before).count()
    return earlier // per_page() + 1


@dataclass(frozen=True)
class CommentPage:
    """One page of a post's discussion: its HTML, where it stands, and the whole post's count."""

    html: SafeString
    count: int
    number: int
    num_pages: int
    order: str = ""

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def _key(page, is_open: bool, number: int, order: str, hospital: str) -> str:
    state = "|".join(
        [
            order,
            hospital,
            version(page.url, Group.POSTS),
            str(page.pk),
            str(is_open),
            str(settings.COMMENTS_XTD_MAX_THREAD_LEVEL),
            str(per_page()),
            str(number),
        ]
    )
    return "comments:list:" + hashlib.sha256(state.encode()).hexdigest()


def cached_keys(page) -> list[str]:
    """Every key `render_comment_list` may have stored `page`'s lists under at the current
    version (open or closed, every page number): an erasure deletes them, since a purge only
    retires them, and the erased text would stay in the cache until they expire."""
    pages = max(1, -(-threads(page).count() // per_page()))
    # The hospital's name badges official answers, so it is part of the key: every site's, and the
    # default a site without its setting row is given.
    hospitals = {*Discussion.objects.values_list("hospital_name", flat=True)}
    hospitals.add(Discussion._meta.get_field("hospital_name").get_default())
    return [
        _key(page, is_open, number, order, hospital)
        for is_open in (True, False)
        for number in range(1, pages + 1)
        for order in ORDERS
        for hospital in hospitals
    ]


def _comment(node: Node, out: list[str], context: dict) -> None:
    """Append one comment, and its replies inside it, to `out`. Every value is escaped here but
    the stored HTML, which cooking.py made with the sanitiser.

    Lean on purpose: the glossary annotates the whole discussion with an HTML parser whose cost
    grows with every tag (it is most of a long page's render), so there is no wrapper that only
    groups, no hidden text: the permalink's accessible name is in `aria-label` (beginning with its
    visible text, WCAG 2.5.3; never reader text, which stays out of attributes), Reply and Report
    are described by the author's name (`aria-describedby`) inside an article named by it, and
    comments.js makes the slot an inline reply form opens in. What is not the reader's prose is
    skipped by the glossary (`data-glossary-skip`; links are skipped anyway)."""
    pk = node.pk
    labels = context["labels"]
    name = escape(node.name)
    role = node.role
    if role == Role.STAFF:
        modifier = " comment--staff"
        badge = f' <span class="comment__badge" {SKIP}>{labels["staff"]}</span>'
    elif role == Role.AUTHOR:
        modifier = " comment--author"
        badge = f' <span class="comment__badge comment__badge--author" {SKIP}>{labels["author"]}</span>'
    else:
        modifier = badge = ""
    when = node.when
    date = f"{when.day} {context['months'][when.month]} {when.year}, {when.hour:02}:{when.minute:02}"
    badge += _question_badges(node, labels, context)
    reply = ""
    if context["open"] and node.level < context["max_level"]:
        reply = (
            f'<a href="{context["reply"]}{pk}/" data-comment-reply="{pk}" aria-describedby="c{pk}-by">'
            f"{labels['reply']}</a> "
        )
    out.append(
        f'<li class="comment-list__item">'
        f'<article class="comment{modifier}" id="c{pk}" aria-labelledby="c{pk}-by">'
        f'<span class="comment__author" id="c{pk}-by" {SKIP}>{name}</span>{badge} '
        f'<a class="comment__permalink" href="#c{pk}" aria-label="{date} {labels["permalink"]}">{date}</a>'
        f'<div class="comment__text">{node.html}</div>'
        f'<footer class="comment__actions">{_helpful(node, labels, context)}{reply}'
        f'<a href="{context["report"]}{pk}/" data-comment-report aria-describedby="c{pk}-by">'
        f"{labels['report']}</a></footer>"
    )
    if node.children:
        out.append('<ol class="comment-list comment-list--replies">')
        for child in node.children:
            _comment(child, out, context)
        out.append("</ol>")
    out.append("</article></li>")


def _question_badges(node: Node, labels: dict, context: dict) -> str:
    """A question's badge and, once its official answer is shown, who answered with a link to it;
    the answer's badge naming the hospital (Discussion.hospital_name)."""
    out = ""
    if node.question:
        out += f' <span class="comment__badge comment__badge--question" {SKIP}>{labels["question"]}</span>'
        answer = node.answered_by
        if answer is not None:
            role = escape(str(Role(answer.role).label))
            by = escape(str(ANSWERED_BY % {"name": answer.name, "role": role}))
            out += f' <a class="comment__answered" href="#c{answer.pk}" {SKIP}>{by}</a>'
    if node.answers is not None:
        out += f' <span class="comment__badge comment__badge--answer" {SKIP}>{context["answer_from"]}</span>'
    return out


def _helpful(node: Node, labels: dict, context: dict) -> str:
    """The "This helped" form: a POST that works without script (comments/helpful_views.py), with
    the count as of this render (comments.js brings it up to date from helpful.counts)."""
    pk, count = node.pk, node.helpful
    hidden = "" if count else " hidden"
    return (
        f'<form class="comment__helpful" method="post" action="{context["helpful"]}{pk}/">'
        f'<button class="comment__helpful-button" type="submit" data-helpful="{pk}"'
        f' aria-describedby="c{pk}-by">{labels["helped"]}</button>'
        f'<span class="comment__helpful-count"{hidden}> {labels["helpful_count"]}'
        f' <span data-helpful-count="{pk}">{count}</span></span></form> '
    )


def render_nodes(nodes: list[Node], *, is_open: bool, hospital: str = "") -> SafeString:
    """The comment list's HTML: the stored fragments joined in their markup."""
    if not nodes:
        return mark_safe("")
    context = {
        "answer_from": escape(str(ANSWER_FROM % {"hospital": hospital})),
        "helpful": reverse("comments:helpful", args=[1]).removesuffix("1/"),
        "open": is_open,
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
        "labels": {key: escape(str(label)) for key, label in LABELS.items()},
        "months": {number: escape(str(month)) for number, month in MONTHS.items()},
        "reply": reverse("comments:reply", args=[1]).removesuffix("1/"),
        "report": reverse("comments:report", args=[1]).removesuffix("1/"),
    }
    out = ['<ol class="comment-list">']
    for node in nodes:
        _comment(node, out, context)
    out.append("</ol>")
    return mark_safe("".join(out))  # noqa: S308 - escaped above, comment HTML from the sanitiser


def render_comment_list(page, is_open: bool, request: HttpRequest, hospital: str = "") -> CommentPage:
    """The page of `page`'s published comments that `request`'s `?page=` asks for, in the order
    `?order=` asks for (`order_of`). A value that is not a plain page number gives the first page
    (the page cache files it under the first page's entry too: pagecache.keys) and a number past
    the end the last. `hospital`: the name official answers are badged with."""
    timeout = settings.COMMENT_LIST_CACHE_SECONDS
    number = page_number(request.GET.get(PAGE_PARAM))
    order = order_of(request)
    if timeout and number:
        cached = cache.get(_key(page, is_open, number, order, hospital))
        if cached is not None:
            html, count, shown, num_pages = cached
            return CommentPage(mark_safe(html), count, shown, num_pages, order)  # noqa: S308 - our own output

    ids = threads(page, order).values_list("thread_id", flat=True)
    shown: Page = Paginator(ids, per_page()).get_page(number or 1)
    thread_ids = list(shown.object_list)
    nodes = tree(in_discussion(Comment.objects.for_page(page)).filter(thread_id__in=thread_ids))
    if order:  # the tree comes oldest first: put its threads in the order the page counted them
        place = {thread: n for n, thread in enumerate(thread_ids)}
        nodes.sort(key=lambda node: place[node.pk])
    result = CommentPage(
        render_nodes(nodes, is_open=is_open, hospital=hospital),
        comment_count(page),
        shown.number,
        shown.paginator.num_pages,
        order,
    )
    if timeout:
        entry = (str(result.html), result.count, result.number, result.num_pages)
        cache.set(_key(page, is_open, result.number, order, hospital), entry, timeout)
    return result
