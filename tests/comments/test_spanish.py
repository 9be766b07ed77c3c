"""The hold rules on Spanish text (README "Languages"): the PHI patterns in Spanish words and
formats, and the block list whatever the accents; a test each, with the negatives beside them."""

import pytest

from comments.models import Comment, Status
from comments.rules import find_phi, matching_phrases
from tests.comments.factories import post_as_reader
from tests.comments.test_rules import new_comment, policy

HOLDS = {
    "fecha de nacimiento": (
        "Mi fecha de nacimiento está en su sistema, búsquenme.",
        "record or account number",
    ),
    "fecha escrita": ("Me operaron el 3 de marzo de 2024 y me cancelaron dos veces.", "date"),
    "mes día año": ("La cita de marzo 14, 2024 nunca apareció en el portal.", "date"),
    "nacido el": (
        "Mi padre, nacido el día que cerró la fábrica, esperó tres horas.",
        "record or account number",
    ),
    "número de expediente": (
        "Mi número de expediente es el que sale en la pulsera.",
        "record or account number",
    ),
    "historia clínica": ("Pidan mi historia clínica, ahí está todo.", "record or account number"),
    "número de afiliación": (
        "Mi núm. de afiliación es el de la tarjeta del seguro.",
        "record or account number",
    ),
    "habitación": ("Estoy en la habitación 412 y nadie viene.", "record or account number"),
    "diagnóstico": ("Me diagnosticaron diabetes el año pasado y nadie me explicó la dieta.", "diagnosis"),
    "diagnosticado con": ("Mi hijo fue diagnosticado con asma en urgencias.", "diagnosis"),
    "móvil de España": ("Llámeme al 612 34 56 78 por la tarde.", "phone number"),
    "fijo de Madrid": ("El teléfono de casa es 91 123 45 67.", "phone number"),
    "con prefijo": ("Mi número es +34 612 345 678, escríbanme.", "phone number"),
    "celular de México": ("Mi celular es 55 1234 5678, por favor llamen.", "phone number"),
    "con palabra": ("WhatsApp: 1234 5678 90 para lo que necesiten.", "phone number"),
}

PASSES = [
    "La enfermera de noche fue muy amable y me explicó todo con paciencia.",
    "En 2024 cambiaron el horario de visitas de 8 a 5 y fue un acierto.",
    "El 15 de marzo fue mi cita y todo salió bien.",
    "Esperé 45 minutos en la sala, pero la pantalla con los tiempos ayudó.",
    "El diagnóstico temprano salva vidas: gracias por la campaña.",
    "La historia de esta carta me recordó a la de mi madre.",
    "Nací en este hospital hace muchos años.",
]


@pytest.mark.parametrize(("text", "kind"), HOLDS.values(), ids=HOLDS.keys())
def test_spanish_private_health_information_is_found(text, kind):
    assert kind in find_phi(text)


@pytest.mark.parametrize("text", PASSES)
def test_ordinary_spanish_writing_passes(text):
    assert find_phi(text) == []


def test_each_kind_is_named_once_whatever_the_language():
    kinds = find_phi("Call 617-555-0134 o llámeme al 612 34 56 78")
    assert kinds.count("phone number") == 1


def test_the_block_list_matches_spanish_words_whatever_the_accents():
    assert matching_phrases("Eres un ESTUPIDO", ["estúpido"]) == ["estúpido"]
    assert matching_phrases("Qué médico más estúpido", ["estupido"]) == ["estupido"]


def test_the_block_list_keeps_n_and_ene_apart():
    assert matching_phrases("Feliz año nuevo", ["ano"]) == []
    assert matching_phrases("Feliz año nuevo", ["año"]) == ["año"]


@pytest.mark.django_db
def test_a_spanish_block_word_makes_the_comment_spam(site, post):
    comment = post_as_reader(
        new_comment(post, text="Compre píldoras BARATAS aquí"),
        page=post,
        discussion=policy(site, block_words="pildoras baratas"),
    )
    assert comment.moderation.status == Status.SPAM
    assert Comment.objects.filter(pk=comment.pk, is_removed=True).exists()


@pytest.mark.django_db
def test_spanish_phi_holds_the_comment_with_its_reason(site, post):
    comment = post_as_reader(
        new_comment(post, text="Me diagnosticaron cáncer y nadie me llamó."),
        page=post,
        discussion=policy(site),
    )
    assert comment.moderation.status == Status.WAITING
    assert any(reason.get("code") == "phi" for reason in comment.moderation.reasons), (
        comment.moderation.reasons
    )
