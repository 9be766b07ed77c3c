"""Demo content for `manage.py seed_demo`: a fictional hospital's leadership blog.

Idempotent: everything is looked up by a natural key first and left alone if it exists.
"""

import datetime
import json

from django.db import transaction
from wagtail.models import Page, Site

from .models import Author, BlogIndexPage, BlogPage, BlogPageAuthor, HomePage

CUSTOMER_SERVICE_SLUG = "three-reminders-and-no-way-to-reschedule"

AUTHOR = {
    "slug": "eleanor-marsh",
    "name": "Eleanor Marsh",
    "role": "President and CEO, Riverbend General Hospital",
    "bio": (
        "Eleanor has led Riverbend General for six years. Before that she ran its emergency "
        "department and, before that, she worked nights as a ward nurse."
    ),
}


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


POSTS = [
    {
        "slug": CUSTOMER_SERVICE_SLUG,
        "title": "Three reminders, and no way to reschedule",
        "date": datetime.date(2026, 9, 14),
        "tags": ["patient experience", "scheduling", "patient portal"],
        "intro": (
            "A patient was reminded four times about a dermatology appointment and could not "
            "move it once. What that says about how we design our services."
        ),
        "body": [
            *_p(
                "Last month a patient wrote to me about an appointment in our dermatology clinic. "
                "We reminded her by letter, then by two emails, then with a voicemail. By any "
                "internal measure our reminder system worked perfectly.",
                "She did not need reminding. She needed to move the appointment by a week. Our "
                "patient portal showed the booking but offered no way to change it. The phone "
                "menu offered exactly one option for an existing appointment: cancel it. She "
                "chose it, hoping to reach a person, and was sent to the cancellation voicemail "
                "box, which told her it was full and hung up.",
            ),
            {
                "type": "quote",
                "value": {
                    "quote": "You found four ways to tell me where to be, and none to let me answer.",
                    "attribution": "From the patient's letter, shared with her permission",
                },
            },
            {"type": "heading", "value": "Why this happens"},
            *_p(
                "The clinic keeps its own scheduling system beside the hospital's EHR, so the "
                "portal can display the appointment but cannot write to the clinic's calendar. "
                "Each system does its one job well. Nobody owned the moment where they meet, "
                "and that moment is where the patient was standing.",
                "Some patients also keep a PHR of their own, a record they control and bring "
                "from one provider to the next. She had added the appointment to hers, which "
                "meant she had better information about her care than our phone menu did.",
            ),
            {
                "type": "callout",
                "value": {
                    "title": "What we are changing",
                    "body": "<p>Every reminder we send will say how to reschedule, and the "
                    "cancellation line will reach a person during clinic hours.</p>",
                },
            },
            *_p(
                "I would like to hear where else this happens to you. Tell us below; a moderator "
                "reads every comment before it appears."
            ),
        ],
    },
    {
        "slug": "what-scheduling-an-appointment-should-feel-like",
        "title": "What scheduling an appointment should feel like",
        "date": datetime.date(2026, 6, 2),
        "tags": ["scheduling", "access"],
        "intro": "Booking care should take one conversation, not three. Here is the standard we are setting.",
        "body": [
            *_p(
                "When we asked patients what frustrated them most, the wait to be seen came "
                "second. First was the effort it took to get an appointment at all: the transfers, "
                "the hold music, the call back that came while they were at work.",
                "From January, any clinic that books its own appointments will offer three things: "
                "a time chosen in the first call, a confirmation in the patient's preferred "
                "channel, and a way to change the time through that same channel.",
            ),
            {"type": "heading", "value": "Measuring the right thing"},
            *_p(
                "We used to count how many reminders went out. We will now count how many "
                "appointments were changed without a phone call, and how long the change took."
            ),
        ],
    },
    {
        "slug": "listening-to-night-shift",
        "title": "Listening to the night shift",
        "date": datetime.date(2026, 2, 19),
        "tags": ["staff", "listening"],
        "intro": (
            "I spent four nights on the wards this winter. The night shift sees problems the day never does."
        ),
        "body": _p(
            "Most decisions in a hospital are made between nine and five, by people who rarely see "
            "the building at three in the morning. So this winter I worked four night shifts "
            "alongside our nurses and porters.",
            "The lesson was simple. Nearly every delay at night came from a decision made during "
            "the day without asking who would carry it out after dark.",
        ),
    },
    {
        "slug": "a-waiting-room-redesigned-by-patients",
        "title": "A waiting room redesigned by patients",
        "date": datetime.date(2025, 10, 7),
        "tags": ["patient experience", "design"],
        "intro": (
            "We asked twelve patients to redesign the outpatient waiting room. "
            "Most of their ideas cost nothing."
        ),
        "body": _p(
            "Twelve patients and carers spent two afternoons with our facilities team. They moved "
            "chairs, rewrote signs and timed how long it took to find the toilets.",
            "The biggest change was a screen showing each clinic's real waiting time. Anxiety, "
            "they told us, comes less from waiting than from not knowing how long the wait will be.",
        ),
    },
    {
        "slug": "why-we-publish-our-complaints",
        "title": "Why we publish our complaints",
        "date": datetime.date(2025, 3, 24),
        "tags": ["transparency", "listening"],
        "intro": "Every quarter we will publish what patients complained about and what we did next.",
        "body": _p(
            "A complaint is a patient doing us a favour: telling us, for free, where the service "
            "broke. Starting this quarter we will publish a summary of every theme in our "
            "complaints, with names and details removed, and what we changed as a result.",
            "Some of it will be uncomfortable to read. That is the point.",
        ),
    },
    {
        "slug": "discharge-before-noon",
        "title": "Discharge before noon, and why it matters",
        "date": datetime.date(2024, 12, 9),
        "tags": ["flow", "staff"],
        "intro": "A patient who leaves at ten frees a bed for someone waiting in the emergency department.",
        "body": _p(
            "When discharges happen late in the afternoon, the emergency department fills up "
            "with people waiting for beds that are technically empty but not yet ready.",
            "Our wards have agreed to plan each discharge the day before, so that medicines and "
            "transport are ready in the morning.",
        ),
    },
]


@transaction.atomic
def seed() -> HomePage:
    home = _home_page()
    index = _blog_index(home)
    author, _ = Author.objects.get_or_create(slug=AUTHOR["slug"], defaults=AUTHOR)
    for post in POSTS:
        _post(index, author, post)
    return home


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title="Rounds",
        slug="home",
        intro=(
            "Candid notes from the leadership of Riverbend General Hospital on what our patients go through."
        ),
    )
    # Wagtail's first migration leaves a placeholder "Welcome" page; ours replaces it.
    placeholder = Page.objects.filter(depth=2, content_type__model="page").first()
    if placeholder:
        placeholder.slug = "wagtail-welcome-placeholder"
        placeholder.save(update_fields=["slug"])
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    if placeholder:
        placeholder.delete()
    return home


def _blog_index(home: HomePage) -> BlogIndexPage:
    index = BlogIndexPage.objects.first()
    if index:
        return index
    index = BlogIndexPage(title="All posts", slug="blog", intro="Everything we have written, newest first.")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _post(index: BlogIndexPage, author: Author, data: dict) -> BlogPage:
    existing = BlogPage.objects.filter(slug=data["slug"]).first()
    if existing:
        return existing
    post = BlogPage(
        title=data["title"],
        slug=data["slug"],
        date=data["date"],
        intro=data["intro"],
        body=json.dumps(data["body"]),
    )
    post.tags.add(*data["tags"])
    post.post_authors.add(BlogPageAuthor(author=author))
    index.add_child(instance=post)
    revision = post.save_revision()
    revision.publish()
    # Backdate the publication record so the demo reads like a two-year history.
    published = datetime.datetime.combine(data["date"], datetime.time(9), tzinfo=datetime.UTC)
    BlogPage.objects.filter(pk=post.pk).update(first_published_at=published, last_published_at=published)
    return post
