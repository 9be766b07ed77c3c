"""The hold rules on Spanish text (README "Languages"): the PHI patterns in Spanish words and
formats, and the block list whatever the accents; a test each, with the negatives beside them."""

import re

import pytest
from django.core import mail

from comments.models import Comment, Status
from comments.rules import find_phi, matching_phrases
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment, post_as_reader
from tests.comments.test_rules import new_comment, policy
from tests.factories import BlogPageFactory, make_spanish_site, translate

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


@pytest.mark.django_db
@pytest.mark.no_rate_limits
def test_a_reader_who_wrote_in_spanish_is_emailed_in_spanish(
    client, site, django_capture_on_commit_callbacks
):
    home_es, index_es = make_spanish_site(site["home"], site["index"])
    spanish_post = translate(BlogPageFactory(parent=site["index"]), title="Visitas", slug="visitas")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/es/comments/post/",
            form_data(spanish_post, comment="Gracias por escuchar.", email="ana@example.org", followup="on"),
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.content_object == spanish_post  # it belongs to the Spanish version
    confirmation = [message for message in mail.outbox if message.to == ["ana@example.org"]]
    assert len(confirmation) == 1
    assert "/es/comments/confirm/" in confirmation[0].body
    assert "Confirme" in confirmation[0].subject or "correo" in confirmation[0].subject.lower()
    link = re.search(r"http://[^\s]+(/es/comments/confirm/[^\s]+/)", confirmation[0].body).group(1)
    assert '<html lang="es">' in client.get(link).text


@pytest.mark.django_db
def test_the_moderation_queue_shows_and_filters_by_language(client, site, django_user_model):
    make_spanish_site(site["home"], site["index"])
    english = BlogPageFactory(parent=site["index"], slug="english-post")
    spanish_post = translate(english, title="Entrada", slug="entrada")
    make_comment(english, comment="An English comment", status=Status.WAITING)
    make_comment(spanish_post, comment="Un comentario en español", status=Status.WAITING)
    client.force_login(django_user_model.objects.create_superuser("mod", "mod@example.org", "pw"))
    everything = client.get("/admin/comments/").text
    assert "Un comentario en español" in everything and "An English comment" in everything
    assert 'lang="es"' in everything and "Español" in everything
    only_spanish = client.get("/admin/comments/", {"language": "es"}).text
    assert "Un comentario en español" in only_spanish and "An English comment" not in only_spanish
    only_english = client.get("/admin/comments/", {"language": "en"}).text
    assert "An English comment" in only_english and "Un comentario en español" not in only_english
    assert client.get("/admin/comments/", {"language": "zz"}).status_code == 200


@pytest.mark.django_db
def test_the_default_guidelines_are_shown_in_the_readers_language(client, site):
    make_spanish_site(site["home"], site["index"])
    english = BlogPageFactory(parent=site["index"], slug="guidelines-post")
    spanish_post = translate(english, title="Normas", slug="normas")
    assert "Before you comment" in client.get(english.url).text
    html = client.get(spanish_post.url).text
    assert "Antes de comentar" in html and "Before you comment" not in html
