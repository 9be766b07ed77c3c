"""Editors manage terms in the Wagtail admin: a snippet with revisions and clear errors."""

import json

import pytest
from django.urls import reverse

from glossary.models import Term
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_glossary_term:add")


def form(**fields) -> dict:
    return {
        "term": "EHR",
        "expansion": "Electronic Health Record",
        "definition": "The hospital's record.",
        "explanation": json.dumps({"blocks": [], "entityMap": {}}),  # Draftail's empty document
        "variants": "",
        "slug": "",
        **fields,
    }


def test_an_editor_adds_a_term_and_a_revision_is_kept(admin_client):
    response = admin_client.post(ADD, form(variants="EHRs\nelectronic health record", case_sensitive="on"))
    assert response.status_code == 302
    term = Term.objects.get()
    assert term.slug == "ehr"
    assert term.case_sensitive is True
    assert term.variant_list == ["EHRs", "electronic health record"]
    assert term.revisions.count() == 1


def test_a_claimed_variant_is_a_form_error_naming_the_other_term(admin_client):
    TermFactory(term="EHR", slug="ehr", variants="electronic health record")
    response = admin_client.post(ADD, form(term="EMR", variants="electronic health record"))
    assert response.status_code == 200
    assert "already belongs to the term “EHR”" in response.text
    assert Term.objects.count() == 1


def test_an_over_long_definition_is_a_form_error(admin_client):
    response = admin_client.post(ADD, form(definition="x" * 301))
    assert response.status_code == 200
    assert not Term.objects.exists()


def test_hostile_input_is_a_form_error_not_a_500(admin_client):
    response = admin_client.post(ADD, form(term="<script>", variants="\x00\n" + "y" * 5000, slug="../x"))
    assert response.status_code == 200
    assert not Term.objects.exists()


def test_the_listing_shows_terms(admin_client):
    TermFactory(term="Triage", slug="triage")
    response = admin_client.get(reverse("wagtailsnippets_glossary_term:list"))
    assert response.status_code == 200
    assert "Triage" in response.text


def test_editing_a_term_keeps_its_own_variants_valid(admin_client):
    term = TermFactory(term="EHR", slug="ehr", variants="EHRs")
    url = reverse("wagtailsnippets_glossary_term:edit", args=[term.pk])
    response = admin_client.post(url, form(slug="ehr", variants="EHRs", definition="Changed."))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition == "Changed."
