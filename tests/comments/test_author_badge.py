"""The "Author" badge belongs to the account linked to the post's Author snippet, never to a name."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from comments.models import Comment, Role
from tests.comments.factories import make_comment
from tests.factories import AuthorFactory, BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceo(db):
    return AuthorFactory(name="Dana Whitfield")


@pytest.fixture
def ceo_post(site, ceo):
    return BlogPageFactory(parent=site["index"], authors=[ceo])


def _staff(django_user_model, username: str, first: str, last: str):
    user = django_user_model.objects.create_user(username, f"{username}@example-hospital.org", "pw")
    user.first_name, user.last_name = first, last
    user.save()
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


def _reply_as(client, user, parent) -> Comment:
    client.force_login(user)
    client.post(f"/admin/comments/{parent.pk}/reply/", {"comment": "Thank you for telling us."})
    return Comment.objects.get(parent_id=parent.pk, level=1)


def test_staff_with_the_authors_name_but_no_link_is_badged_staff(
    client, django_user_model, ceo_post, discussion
):
    impostor = _staff(django_user_model, "namesake", "Dana", "Whitfield")
    reply = _reply_as(client, impostor, make_comment(ceo_post))
    assert reply.moderation.role == Role.STAFF


def test_the_account_linked_to_the_author_is_badged_author(
    client, django_user_model, ceo, ceo_post, discussion
):
    account = _staff(django_user_model, "dana", "D.", "W.")  # the name does not matter
    ceo.user = account
    ceo.save()
    reply = _reply_as(client, account, make_comment(ceo_post))
    assert reply.moderation.role == Role.AUTHOR


def test_an_author_account_is_staff_on_another_authors_post(client, django_user_model, ceo, site, discussion):
    account = _staff(django_user_model, "dana", "Dana", "Whitfield")
    ceo.user = account
    ceo.save()
    other_post = BlogPageFactory(parent=site["index"], authors=[AuthorFactory(name="Sam Ortiz")])
    reply = _reply_as(client, account, make_comment(other_post))
    assert reply.moderation.role == Role.STAFF


def test_one_account_speaks_for_one_author_only(django_user_model, ceo):
    account = _staff(django_user_model, "dana", "Dana", "Whitfield")
    ceo.user = account
    ceo.save()
    second = AuthorFactory(name="Dana W.")
    second.user = account
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_author_snippet_form_offers_the_user_field(client, admin_user, ceo):
    client.force_login(admin_user)
    response = client.get(f"/admin/snippets/blog/author/edit/{ceo.pk}/")
    assert response.status_code == 200
    assert 'name="user"' in response.text
