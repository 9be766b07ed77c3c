"""The matching rules, on plain text: words, case, variants, longest match."""

import pytest

from tests.glossary.helpers import EHR, HEALTH_RECORD, TRIAGE, matcher, term


def found(text: str, *terms: tuple) -> list[tuple[str, str]]:
    return [
        (text[m.start : m.end], m.slug) for m in matcher(*(terms or (EHR, HEALTH_RECORD, TRIAGE))).find(text)
    ]


def test_a_term_is_found_as_a_whole_word():
    assert found("Our EHR is new.") == [("EHR", "ehr")]


@pytest.mark.parametrize("text", ["theEHR", "EHRX", "EHR2", "XEHR", "_EHR"])
def test_a_term_inside_a_longer_word_is_not_found(text):
    assert found(text) == []


def test_punctuation_ends_a_word():
    assert found("(EHR), EHR's, EHR-based") == [("EHR", "ehr")] * 3


def test_a_case_sensitive_acronym_does_not_match_in_lower_case():
    assert found("see example.org/ehr and Ehr") == []


def test_a_case_sensitive_terms_lower_case_variants_match_in_any_case():
    assert found("Electronic Health Record") == [("Electronic Health Record", "ehr")]


def test_a_case_insensitive_term_matches_in_any_case():
    assert found("TRIAGE, Triage and triage") == [
        ("TRIAGE", "triage"),
        ("Triage", "triage"),
        ("triage", "triage"),
    ]


def test_variants_match_as_their_term():
    assert found("two EHRs") == [("EHRs", "ehr")]


def test_the_longest_form_wins():
    assert found("an electronic health record here, a health record there") == [
        ("electronic health record", "ehr"),
        ("health record", "health-record"),
    ]


def test_the_longest_form_wins_whichever_term_was_defined_first():
    text = "electronic health records"
    assert found(text, HEALTH_RECORD, EHR) == [("electronic health records", "ehr")]


def test_a_shorter_form_is_found_when_the_longer_one_is_incomplete():
    assert found("electronic health") == [] and found("electronic health-record") == []


def test_whitespace_between_words_may_vary():
    assert found("electronic\n  health\u00a0record") == [("electronic\n  health\u00a0record", "ehr")]


def test_forms_with_punctuation_match_only_as_written():
    covid = term("covid-19", "COVID-19", case_sensitive=True)
    assert found("COVID-19 and COVID 19", covid) == [("COVID-19", "covid-19")]


def test_matches_never_overlap():
    a = term("a", "patient portal")
    b = term("b", "portal access")
    assert found("patient portal access", a, b) == [("patient portal", "a")]


def test_a_form_claimed_twice_belongs_to_the_first_term():
    first, second = term("first", "EHR"), term("second", "EHR")
    assert found("EHR", first, second) == [("EHR", "first")]


def test_forms_that_do_not_start_and_end_with_a_word_character_are_ignored():
    assert found("a C++ b", term("cpp", "C++")) == []


def test_an_empty_matcher_finds_nothing():
    assert list(matcher().find("EHR")) == []


def test_unicode_words_are_whole_words():
    cafe = term("cafe", "café")
    assert found("Café, cafés", cafe) == [("Café", "cafe")]
