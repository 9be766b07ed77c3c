"""The compiled matcher: memoised per process, rebuilt everywhere after any change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from glossary import registry
from glossary.models import Term
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def slugs() -> set[str]:
    return set(registry.current_matcher().entries)


def test_a_cold_matcher_costs_one_query():
    TermFactory(term="EHR")
    with CaptureQueriesContext(connection) as queries:
        registry.current_matcher()
    assert len(queries) == 1


def test_a_warm_matcher_costs_no_query():
    TermFactory(term="EHR")
    registry.current_matcher()
    with CaptureQueriesContext(connection) as queries:
        assert slugs() == {"ehr"}
    assert len(queries) == 0


def test_saving_a_term_rebuilds_the_matcher(django_capture_on_commit_callbacks):
    assert slugs() == set()
    with django_capture_on_commit_callbacks(execute=True):
        TermFactory(term="EHR")
    assert slugs() == {"ehr"}


def test_editing_a_term_rebuilds_the_matcher(django_capture_on_commit_callbacks):
    term = TermFactory(term="EHR", definition="Old.")
    registry.current_matcher()
    with django_capture_on_commit_callbacks(execute=True):
        term.definition = "New."
        term.save()
    assert registry.current_matcher().entries["ehr"].definition == "New."


def test_deleting_a_term_rebuilds_the_matcher(django_capture_on_commit_callbacks):
    term = TermFactory(term="EHR")
    assert slugs() == {"ehr"}
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert slugs() == set()


def test_the_version_moves_only_after_the_commit(django_capture_on_commit_callbacks):
    before = registry.current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        TermFactory(term="EHR")
    assert registry.current_version() == before
    assert callbacks  # the bump waits for the commit


def test_another_servers_change_is_seen_through_the_shared_version():
    registry.current_matcher()
    # Another app server saved a term: the rows changed and the shared version moved; no signal here.
    Term.objects.bulk_create([Term(term="PHR", slug="phr", definition="x", locale=Locale.get_default())])
    assert slugs() == set()  # this process has not been told yet
    registry.bump_version()
    assert slugs() == {"phr"}


def test_a_lost_version_key_rebuilds_the_matcher():
    registry.current_matcher()
    Term.objects.bulk_create([Term(term="PHR", slug="phr", definition="x", locale=Locale.get_default())])
    cache.delete(registry.VERSION_KEY)  # evicted
    assert slugs() == {"phr"}


def test_bumping_a_missing_version_creates_it():
    cache.delete(registry.VERSION_KEY)
    registry.bump_version()
    assert cache.get(registry.VERSION_KEY) is not None


def test_a_cached_post_shows_a_new_term_once_it_is_saved(client, post, django_capture_on_commit_callbacks):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        TermFactory(term="patient portal", slug="patient-portal")  # the factory post mentions it
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert 'data-term="patient-portal"' in response.text


def test_a_cached_glossary_index_drops_a_deleted_term(client, site, django_capture_on_commit_callbacks):
    term = TermFactory(term="Triage", slug="triage")
    client.get("/glossary/")
    cached = client.get("/glossary/")
    assert cached["X-Page-Cache"] == "hit"
    assert "Triage" in cached.text
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert "Triage" not in client.get("/glossary/").text


def test_a_cached_term_page_shows_an_edited_definition(client, site, django_capture_on_commit_callbacks):
    term = TermFactory(term="Triage", slug="triage", definition="Old words.")
    client.get(term.get_absolute_url())
    assert client.get(term.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        term.definition = "New words."
        term.save()
    assert "New words." in client.get(term.get_absolute_url()).text


LONG = "<p>" + "The clinic answered the phone. " * 400 + "My EHR was wrong, my PHR was right.</p>"


def _count_annotations(monkeypatch) -> list:
    calls = []
    real = registry.annotate_html
    monkeypatch.setattr(registry, "annotate_html", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_a_long_fragment_is_annotated_once_and_restores_the_page_memory(monkeypatch):
    TermFactory(term="EHR")
    TermFactory(term="PHR")
    calls = _count_annotations(monkeypatch)
    first_seen, second_seen = set(), set()
    first = registry.annotate(LONG, first_seen)
    second = registry.annotate(LONG, second_seen)
    assert len(calls) == 1
    assert second == first and 'data-term="ehr"' in second
    assert second_seen == first_seen == {"ehr", "phr"}


def test_the_remembered_fragment_depends_on_what_the_page_annotated_before(monkeypatch):
    TermFactory(term="EHR")
    calls = _count_annotations(monkeypatch)
    fresh = registry.annotate(LONG, set())
    after_body = registry.annotate(LONG, {"ehr"})  # the post body above already defined EHR
    assert len(calls) == 2
    assert 'data-term="ehr"' in fresh and 'data-term="ehr"' not in after_body


def test_a_term_edit_is_never_answered_from_the_remembered_fragment(django_capture_on_commit_callbacks):
    TermFactory(term="EHR")
    assert 'data-term="phr"' not in registry.annotate(LONG, set())
    with django_capture_on_commit_callbacks(execute=True):
        TermFactory(term="PHR")
    assert 'data-term="phr"' in registry.annotate(LONG, set())


def test_short_fragments_are_not_remembered(monkeypatch):
    TermFactory(term="EHR")
    calls = _count_annotations(monkeypatch)
    for _ in range(2):
        registry.annotate("<p>My EHR.</p>", set())
    assert len(calls) == 2
