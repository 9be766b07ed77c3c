"""The demo glossary loaded by seed_demo."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from blog.demo import CUSTOMER_SERVICE_SLUG
from glossary.models import Term

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_at_least_fifteen_terms():
    call_command("seed_demo", stdout=None)
    assert Term.objects.count() >= 15
    assert {"ehr", "phr", "emr", "phi", "hipaa", "patient-portal", "triage"} <= set(
        Term.objects.values_list("slug", flat=True)
    )


def test_phr_is_the_patients_own_record_and_differs_from_an_ehr():
    call_command("seed_demo", stdout=None)
    phr = Term.objects.get(slug="phr")
    assert phr.expansion == "Personal Health Record"
    assert "patient keeps and controls" in phr.definition
    assert "EHR" in phr.definition
    assert Term.objects.get(slug="ehr").expansion == "Electronic Health Record"


def test_every_demo_term_passes_validation():
    call_command("seed_demo", stdout=None)
    for term in Term.objects.all():
        term.full_clean()


def test_seed_demo_twice_leaves_the_glossary_alone():
    call_command("seed_demo", stdout=None)
    Term.objects.filter(slug="ehr").update(definition="Edited by an editor.")
    before = list(Term.objects.order_by("pk").values_list("pk", "slug", "definition"))
    call_command("seed_demo", stdout=None)
    assert list(Term.objects.order_by("pk").values_list("pk", "slug", "definition")) == before


def test_the_demo_story_defines_ehr_and_phr_inline(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=None)
    html = client.get(f"/blog/{CUSTOMER_SERVICE_SLUG}/").text
    found = {a["data-term"] for a in BeautifulSoup(html, "html.parser").select(".post__body a[data-term]")}
    assert {"ehr", "phr", "patient-portal"} <= found


def test_demo_related_terms_are_linked():
    call_command("seed_demo", stdout=None)
    assert set(Term.objects.get(slug="phr").related_terms.values_list("slug", flat=True)) == {
        "ehr",
        "patient-portal",
    }
