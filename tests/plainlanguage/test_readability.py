"""The reading level against texts counted by hand: every word's syllables from the dictionary,
the grade from the published formula. The analysis must agree within half a grade."""

import pytest

from plainlanguage import readability
from plainlanguage.analysis import analyse
from plainlanguage.extract import blocks

# (text, hand count of words per sentence, hand count of syllables), each word counted from a
# dictionary's division (Merriam-Webster for English, the RAE's rules for Spanish).
ENGLISH = {
    "short words": (
        "The nurse came in. She asked me how I felt. I said my leg hurt. She gave me a pill and a "
        "glass of water. Then she sat with me for a while.",
        [4, 6, 5, 10, 8],
        34,  # every word one syllable but "wa-ter"
    ),
    "a reminder notice": (
        "Our hospital is changing how we send appointment reminders. Patients told us the old "
        "messages were confusing. Starting in March, every reminder will include a phone number and "
        "a simple way to reschedule.",
        [9, 8, 16],
        54,  # hos-pi-tal, chang-ing, ap-point-ment, re-mind-ers; mes-sag-es, con-fus-ing; ev-ery ...
    ),
    "a management memo": (
        "Hospital administrators evaluated the patient experience survey results carefully. The "
        "analysis identified communication failures during discharge as the most frequent complaint. "
        "Consequently, the leadership team authorized additional training for clinical personnel "
        "regarding medication instructions.",
        [9, 12, 13],
        89,  # 27 + 27 + 35
    ),
    "a discharge note": (
        "Take one tablet twice a day with food. Call your care team if the pain gets worse or you "
        "have a fever. Do not drive until your doctor says it is safe.",
        [8, 14, 10],
        36,  # 9 + 15 + 12: tab-let; fe-ver; un-til, doc-tor, every other word one syllable
    ),
}
SPANISH = {
    "urgencias": (
        "El paciente esperó tres horas en urgencias. Nadie le explicó por qué. La enfermera le trajo "
        "agua y una manta.",
        [7, 5, 8],
        37,  # pa-cien-te es-pe-ró ho-ras ur-gen-cias; na-die ex-pli-có; en-fer-me-ra tra-jo a-gua u-na man-ta
    ),
    "el portal": (
        "El portal del paciente permite consultar los resultados de laboratorio. También sirve para "
        "pedir una cita con su médico de familia.",
        [10, 11],
        45,  # 24 (por-tal pa-cien-te per-mi-te con-sul-tar re-sul-ta-dos la-bo-ra-to-rio) + 21 (fa-mi-lia...)
    ),
}


def hand_counts(sentence_words: list[int], syllables: int) -> readability.Counts:
    return readability.Counts(len(sentence_words), sum(sentence_words), syllables)


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_english_grade_agrees_with_the_hand_count_within_half_a_grade(name):
    text, sentence_words, syllables = ENGLISH[name]
    expected = max(0.0, readability.flesch_kincaid(hand_counts(sentence_words, syllables)))
    result = analyse(blocks(f"<p>{text}</p>"), language="en")
    assert result.words == sum(sentence_words)
    assert result.sentences == len(sentence_words)
    assert abs(result.grade - expected) <= 0.5, (result.grade, expected)


@pytest.mark.parametrize("name", sorted(SPANISH))
def test_spanish_uses_fernandez_huerta_and_agrees_with_the_hand_count(name):
    text, sentence_words, syllables = SPANISH[name]
    counts = hand_counts(sentence_words, syllables)
    result = analyse(blocks(f"<p>{text}</p>"), language="es")
    assert result.formula == "Fernández-Huerta"
    assert abs(result.ease - readability.fernandez_huerta(counts)) <= 2
    assert abs(result.grade - readability.ease_grade(readability.fernandez_huerta(counts))) <= 0.5


def test_the_formulas_are_the_published_ones():
    counts = readability.Counts(sentences=2, words=20, syllables=30)
    assert readability.flesch_kincaid(counts) == pytest.approx(0.39 * 10 + 11.8 * 1.5 - 15.59)
    assert readability.fernandez_huerta(counts) == pytest.approx(206.84 - 0.60 * 150 - 1.02 * 10)


def test_a_harder_text_grades_higher_than_an_easier_one():
    easy = analyse(blocks(f"<p>{ENGLISH['short words'][0]}</p>"))
    hard = analyse(blocks(f"<p>{ENGLISH['a management memo'][0]}</p>"))
    assert hard.grade > easy.grade + 10


def test_the_same_text_read_as_spanish_uses_the_spanish_formula():
    text = SPANISH["urgencias"][0]
    assert analyse(blocks(f"<p>{text}</p>"), language="es-mx").language == "es"
    assert analyse(blocks(f"<p>{text}</p>"), language="en").ease is None


def test_ease_maps_onto_flesch_school_grades():
    assert readability.ease_grade(95) == pytest.approx(4.5)
    assert readability.ease_grade(65) == pytest.approx(7.75)
    assert readability.ease_grade(-20) == 18.0


@pytest.mark.parametrize(
    ("word", "count"),
    [("patient", 2), ("waited", 2), ("called", 1), ("table", 2), ("make", 1), ("radio", 3), ("media", 3)],
)
def test_english_syllables(word, count):
    assert readability.syllables(word) == count


@pytest.mark.parametrize(("word", "count"), [("leer", 2), ("día", 2), ("ciudad", 2), ("qué", 1), ("agua", 2)])
def test_spanish_syllables_split_strong_vowels_and_keep_diphthongs(word, count):
    assert readability.syllables(word, "es") == count


def test_abbreviations_and_initials_end_no_sentence():
    assert readability.sentences("Dr. Lee saw J. Smith at noon. She was fine.") == [
        "Dr. Lee saw J. Smith at noon.",
        "She was fine.",
    ]
