"""Content for the page benchmarks: seed_demo plus many posts, terms and one long discussion.

DJANGO_SETTINGS_MODULE=... python manage.py shell -c "from bench.fill import fill; fill()"
"""

import datetime
import json

from django.db import transaction
from wagtail.models import Locale

from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor
from comments.creation import NewComment, add_comment, comment_for
from glossary.models import Term

LONG_DISCUSSION_SLUG = "a-post-with-five-hundred-comments"
COMMENT = "Comment number %d about waiting times at the clinic."
# The same discussion on the post's Spanish version (seed_demo makes the Spanish index).
SPANISH_LONG_SLUG = "una-entrada-con-quinientos-comentarios"
SPANISH_COMMENT = "Comentario número %d sobre la espera en la clínica."


@transaction.atomic
def fill(posts: int = 200, terms: int = 50, comments: int = 500) -> None:
    index = BlogIndexPage.objects.get(locale__language_code="en")
    author = Author.objects.first()
    text = "<p>Our EHR and the patient portal disagree about the appointment.</p>"
    body = json.dumps([{"type": "paragraph", "value": text}])
    for n in range(posts):
        post = BlogPage(
            title=f"Benchmark post {n}",
            slug=f"benchmark-post-{n}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            intro="A post made for the benchmark.",
            body=body,
        )
        post.post_authors.add(BlogPageAuthor(author=author))
        index.add_child(instance=post)
    for n in range(terms):
        Term.objects.create(
            term=f"Benchmark term {n}",
            expansion=f"Benchmark expansion {n}",
            definition="A term made for the benchmark.",
        )
    long_post = BlogPage(
        title="A post with five hundred comments",
        slug=LONG_DISCUSSION_SLUG,
        intro="The discussion the benchmark renders.",
        body=body,
    )
    long_post.post_authors.add(BlogPageAuthor(author=author))
    index.add_child(instance=long_post)
    long_post.save_revision().publish()
    _discussion(long_post, COMMENT, comments)
    spanish = long_post.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    spanish.title, spanish.slug = "Una entrada con quinientos comentarios", SPANISH_LONG_SLUG
    spanish.intro = "La conversación que mide el benchmark."
    spanish.body = json.dumps(
        [{"type": "paragraph", "value": "<p>Nuestra HCE y el portal del paciente no coinciden.</p>"}]
    )
    spanish.save_revision().publish()
    _discussion(spanish, SPANISH_COMMENT, comments)


def _discussion(post: BlogPage, text: str, comments: int) -> None:
    chain: list = []  # the current thread, root first, at most three levels deep
    for n in range(comments):
        # Every fourth comment starts a thread; the others reply as deep as threads go.
        if n % 4 == 0:
            chain = [add_comment(NewComment(comment_for(post, text % n, name=f"Reader {n}")))]
            continue
        parent = chain[-1] if len(chain) < 3 else chain[0]
        reply = comment_for(post, text % n, parent=parent, name=f"Reader {n}")
        add_comment(NewComment(reply))
        if len(chain) < 3:
            chain.append(reply)
