"""The moderation rules, one test per rule that holds, with realistic positives and negatives."""

import datetime

import pytest
from wagtail.models import Site

from comments import moderation
from comments.forms import CommentForm
from comments.models import Comment, Discussion, Status
from comments.rules import assess, count_links, matching_phrases
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment, post_as_reader

pytestmark = pytest.mark.django_db


def test_links_are_counted():
    assert count_links("https://a.org and www.b.org and http://c.org/x") == 3


def test_phrases_match_whole_words_ignoring_case():
    assert matching_phrases("Buy CHEAP pills now", ["cheap pills", "pill"]) == ["cheap pills"]


def policy(site, **fields) -> Discussion:
    discussion = Discussion.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(discussion, name, value)
    discussion.save()
    return discussion


def new_comment(post, text="A kind comment.", email="", name="") -> Comment:
    form = CommentForm(post, data=form_data(post, comment=text, email=email, name=name))
    assert form.is_valid(), form.errors
    return form.get_comment_object(site_id=1)


def test_hold_all_mode_holds_a_clean_reader_comment(site, post):
    comment = post_as_reader(new_comment(post), page=post, discussion=policy(site))
    assert comment.moderation.status == Status.WAITING
    assert comment.is_public is False
    assert [r["code"] for r in comment.moderation.reasons] == ["policy"]


def test_rules_mode_holds_a_first_time_commenter(site, post):
    comment = post_as_reader(
        new_comment(post, email="new@example.org"), page=post, discussion=policy(site, mode="rules")
    )
    assert comment.moderation.status == Status.WAITING
    assert "first_time" in [r["code"] for r in comment.moderation.reasons]


def test_rules_mode_publishes_a_known_commenter_with_proof(site, post):
    make_comment(post, user_email="known@example.org")
    comment = post_as_reader(
        new_comment(post, email="known@example.org"),
        page=post,
        discussion=policy(site, mode="rules"),
        email_proven=True,
    )
    assert comment.moderation.status == Status.PUBLISHED
    assert comment.is_public is True


def test_an_approved_but_unconfirmed_email_is_still_first_time(site, post):
    make_comment(post, user_email="someone@example.org")
    comment = post_as_reader(
        new_comment(post, email="someone@example.org"), page=post, discussion=policy(site, mode="rules")
    )
    assert comment.moderation.status == Status.WAITING


def test_too_many_links_hold_a_comment(site, post):
    discussion = policy(site, mode="rules", max_links=2)
    text = "https://a.org https://b.org https://c.org"
    comment = post_as_reader(new_comment(post, text=text), page=post, discussion=discussion)
    assert {"code": "links", "detail": "3"} in comment.moderation.reasons


def test_a_hold_word_holds_a_comment_and_is_named(site, post):
    comment = post_as_reader(
        new_comment(post, text="Try this miracle cure"),
        page=post,
        discussion=policy(site, mode="rules", hold_words="miracle cure\nlawsuit"),
    )
    assert {"code": "hold_word", "detail": "miracle cure"} in comment.moderation.reasons


def test_private_health_information_is_recorded_in_both_modes(site, post):
    comment = post_as_reader(
        new_comment(post, text="call 555-0134 about my MRN 00482913"), page=post, discussion=policy(site)
    )
    codes = [r["code"] for r in comment.moderation.reasons]
    assert codes == ["policy", "phi"]
    assert (
        "Possible private health information (phone number, record or account number)"
        in comment.moderation.reason_list()
    )


def test_a_block_word_keeps_the_comment_as_spam_never_shown(site, post):
    comment = post_as_reader(
        new_comment(post, text="Cheap PILLS here"),
        page=post,
        discussion=policy(site, block_words="cheap pills"),
    )
    assert comment.moderation.status == Status.SPAM
    assert (comment.is_public, comment.is_removed) == (False, True)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_staff_comment_publishes_at_once(site, post, admin_user):
    comment = post_as_reader(
        new_comment(post, text="Thanks, we are on it."), page=post, user=admin_user, discussion=policy(site)
    )
    assert comment.moderation.status == Status.PUBLISHED
    assert comment.moderation.role == "staff"


def test_reports_reaching_the_threshold_return_a_comment_to_the_queue(site, post):
    discussion = policy(site, reports_to_requeue=2)
    comment = make_comment(post)
    moderation.report(comment.moderation, "10.0.0.1", discussion.reports_to_requeue)
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.PUBLISHED
    moderation.report(comment.moderation, "10.0.0.2", discussion.reports_to_requeue)
    comment.refresh_from_db()
    assert comment.moderation.status == Status.WAITING
    assert comment.is_public is False
    assert "reported" in [r["code"] for r in comment.moderation.reasons]


def test_comments_close_after_the_configured_age(site, post):
    discussion = policy(site, close_after_days=30)
    post.date = datetime.date.today() - datetime.timedelta(days=31)
    assert discussion.is_open(post) is False
    post.date = datetime.date.today() - datetime.timedelta(days=29)
    assert discussion.is_open(post) is True


def test_comments_close_when_the_post_switch_is_off(site, post):
    post.comments_enabled = False
    assert policy(site).is_open(post) is False


def test_a_logged_in_user_without_admin_access_is_a_reader(site, post, django_user_model):
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    comment = post_as_reader(new_comment(post), page=post, user=reader, discussion=policy(site))
    assert comment.moderation.status == Status.WAITING
    assert comment.moderation.role == "reader"


def test_the_staff_account_linked_to_the_post_author_is_badged_author(site, post, admin_user):
    author = post.authors[0]
    author.user = admin_user
    author.save()
    comment = post_as_reader(new_comment(post), page=post, user=admin_user, discussion=policy(site))
    assert comment.moderation.role == "author"


def test_the_lists_are_read_one_phrase_per_line_with_spacing_and_case_folded(site, post):
    discussion = policy(site, mode="rules", hold_words="  Miracle   Cure \n\n  LAWSUIT ")
    verdict = assess(discussion, new_comment(post, text="A miracle cure, or a lawsuit?"), staff=False)
    assert {"code": "hold_word", "detail": "miracle cure, lawsuit"} in verdict.reasons


def test_staff_are_never_held_but_what_matched_is_recorded(site, post):
    verdict = assess(policy(site), new_comment(post, text="Call 555-0134 today."), staff=True)
    assert (verdict.hold, verdict.spam, verdict.codes) == (False, False, ["phi"])


def test_the_block_list_makes_even_staff_text_spam(site, post):
    verdict = assess(
        policy(site, block_words="cheap pills"), new_comment(post, text="cheap pills"), staff=True
    )
    assert (verdict.spam, verdict.codes) == (True, ["blocked"])
