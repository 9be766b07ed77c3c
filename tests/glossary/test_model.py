"""Terms: validation of forms and variants, slugs, structured data."""

import pytest
from django.core.exceptions import ValidationError

from glossary.models import Term
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def test_two_terms_may_not_claim_the_same_variant_and_the_error_names_the_other_term():
    TermFactory(term="EHR", variants="electronic health record")
    term = Term(term="EMR", definition="x", variants="Electronic  Health Record")
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert error.value.message_dict["variants"] == [
        "“Electronic Health Record” already belongs to the term “EHR”."
    ]


def test_a_term_may_not_be_another_terms_variant():
    TermFactory(term="EHR", variants="EHRs")
    with pytest.raises(ValidationError) as error:
        Term(term="EHRs", definition="x").full_clean()
    assert "“EHRs” already belongs to the term “EHR”." in error.value.message_dict["term"]


def test_a_term_may_keep_its_own_variants_when_edited():
    term = TermFactory(term="EHR", variants="EHRs")
    term.definition = "Changed."
    term.full_clean()  # no error about its own forms


def test_a_variant_listed_twice_is_an_error():
    with pytest.raises(ValidationError) as error:
        Term(term="EHR", definition="x", variants="EHRs\nehrs").full_clean()
    assert error.value.message_dict["variants"] == ["“ehrs” is listed twice."]


@pytest.mark.parametrize("variant", ["C++", "-dash", "#tag"])
def test_a_variant_must_start_and_end_with_a_letter_or_digit(variant):
    with pytest.raises(ValidationError) as error:
        Term(term="Code", definition="x", variants=variant).full_clean()
    assert "must start and end with a letter or digit" in error.value.message_dict["variants"][0]


def test_the_definition_is_at_most_300_characters():
    with pytest.raises(ValidationError) as error:
        Term(term="Long", definition="x" * 301).full_clean()
    assert "definition" in error.value.message_dict


def test_the_slug_is_made_from_the_term():
    term = Term(term="Patient portal", definition="x")
    term.full_clean()
    assert term.slug == "patient-portal"


def test_a_term_without_a_usable_slug_is_a_form_error():
    with pytest.raises(ValidationError) as error:
        Term(term="!!!", definition="x").full_clean()
    assert "slug" in error.value.message_dict


def test_blank_lines_in_variants_are_ignored():
    assert TermFactory.build(term="EHR", variants="\n EHRs \n\n").forms == ["EHR", "EHRs"]


def test_the_initial_groups_digits_and_symbols_under_hash():
    """An accented letter files under its letter (Émile under E, as dictionaries file it)."""
    assert [Term(term=t).initial for t in ("ehr", "Triage", "3D", "Émile", "ñandú")] == [
        "E",
        "T",
        "#",
        "E",
        "N",
    ]
    assert Term(term="ñandú").initial_in("es") == "Ñ"


def test_structured_data_is_a_defined_term():
    data = TermFactory(term="EHR", slug="ehr", expansion="Electronic Health Record").structured_data()
    assert data["@type"] == "DefinedTerm"
    assert data["name"] == "EHR"
    assert data["alternateName"] == "Electronic Health Record"
    assert data["url"].endswith("/glossary/ehr/")


def test_saving_a_term_keeps_a_revision():
    term = TermFactory(term="EHR")
    revision = term.save_revision()
    assert term.revisions.get() == revision
