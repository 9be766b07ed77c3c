"""Spanish versions of the demo's home page, blog index and three posts (`manage.py seed_demo`).

Made the way an editor makes them: Wagtail's copy for translation (which records the source
revision each was made from, blog/translation.py), then the Spanish text, then publication.
Idempotent: a page that already has its Spanish version is left alone.
"""

import datetime
import json

from django.db import transaction
from wagtail.models import Locale, Page

from .demo import CUSTOMER_SERVICE_SLUG
from .models import BlogIndexPage, BlogPage, HomePage

__all__ = ["SPANISH_POSTS", "seed"]


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


HOME = {
    "title": "Rounds",
    "intro": (
        "Notas francas de la dirección del Hospital General Riverbend sobre lo que viven nuestros pacientes."
    ),
}
INDEX = {
    "title": "Todas las entradas",
    "intro": "Todo lo que hemos escrito, de lo más reciente a lo más antiguo.",
}

# Keyed by the English post's slug.
SPANISH_POSTS: dict[str, dict] = {
    CUSTOMER_SERVICE_SLUG: {
        "slug": "tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita",
        "title": "Tres recordatorios y ninguna forma de cambiar la cita",
        "tags": ["experiencia del paciente", "citas", "portal del paciente"],
        "intro": (
            "Una paciente recibió cuatro avisos de su cita de dermatología y no pudo cambiarla ni una "
            "vez. Lo que eso dice de cómo diseñamos nuestros servicios."
        ),
        "body": [
            *_p(
                "El mes pasado una paciente me escribió sobre una cita en nuestra clínica de "
                "dermatología. Se lo recordamos por carta, luego con dos correos y después con un "
                "mensaje de voz. Según nuestras propias cifras, el sistema de recordatorios funcionó.",
                "Ella no necesitaba que se lo recordáramos: necesitaba pasar la cita a la semana "
                "siguiente. El portal del paciente mostraba la cita, pero no dejaba cambiarla. El "
                "menú telefónico solo ofrecía una opción para una cita ya reservada: cancelarla. La "
                "eligió con la esperanza de hablar con alguien y acabó en un buzón de voz lleno.",
            ),
            {
                "type": "quote",
                "value": {
                    "quote": (
                        "Encontraron cuatro maneras de decirme dónde estar y ninguna de dejarme responder."
                    ),
                    "attribution": "De la carta de la paciente, compartida con su permiso",
                },
            },
            {"type": "heading", "value": "Por qué pasa esto"},
            *_p(
                "La clínica usa su propio sistema de citas junto a la HCE del hospital, así que el "
                "portal puede mostrar la cita pero no escribir en la agenda de la clínica. Cada "
                "sistema hace bien su parte; nadie se ocupaba del punto en el que se encuentran, y "
                "ahí es donde estaba la paciente.",
            ),
            {
                "type": "callout",
                "value": {
                    "title": "Lo que vamos a cambiar",
                    "body": "<p>Cada recordatorio dirá cómo cambiar la cita, y la línea de "
                    "cancelaciones comunicará con una persona en horario de consulta.</p>",
                },
            },
            *_p(
                "Cuéntenos dónde más le ha pasado algo así. Una persona de moderación lee cada "
                "comentario antes de publicarlo."
            ),
        ],
    },
    "what-scheduling-an-appointment-should-feel-like": {
        "slug": "como-deberia-ser-pedir-una-cita",
        "title": "Cómo debería ser pedir una cita",
        "tags": ["citas", "acceso"],
        "intro": (
            "Pedir atención debería llevar una sola conversación, no tres. Este es el estándar que fijamos."
        ),
        "body": [
            *_p(
                "Cuando preguntamos a los pacientes qué les molestaba más, la espera para ser "
                "atendidos quedó en segundo lugar. Lo primero era el esfuerzo de conseguir la cita: "
                "las transferencias, la música de espera, la llamada que llegaba en horas de trabajo.",
                "Desde enero, cada clínica que gestione sus propias citas ofrecerá tres cosas: una "
                "hora acordada en la primera llamada, una confirmación por el canal que prefiera el "
                "paciente y una forma de cambiarla por ese mismo canal.",
            ),
            {"type": "heading", "value": "Medir lo que importa"},
            *_p(
                "Antes contábamos cuántos recordatorios enviábamos. Ahora contaremos cuántas citas "
                "se cambiaron sin llamar por teléfono y cuánto tardó el cambio."
            ),
        ],
    },
    "a-waiting-room-redesigned-by-patients": {
        "slug": "una-sala-de-espera-redisenada-por-pacientes",
        "title": "Una sala de espera rediseñada por pacientes",
        "tags": ["experiencia del paciente", "diseño"],
        "intro": (
            "Pedimos a doce pacientes que rediseñaran la sala de espera de consultas externas. "
            "Casi todas sus ideas no costaban nada."
        ),
        "body": _p(
            "Doce pacientes y acompañantes pasaron dos tardes con nuestro equipo de instalaciones. "
            "Movieron sillas, reescribieron carteles y cronometraron cuánto se tardaba en encontrar "
            "los baños.",
            "El cambio más grande fue una pantalla con el tiempo de espera real de cada consulta. "
            "La ansiedad, nos dijeron, viene menos de esperar que de no saber cuánto durará la espera.",
        ),
    },
}


def _translate(page: Page, locale: Locale, fields: dict) -> Page:
    """The Spanish version of `page`, made once through Wagtail's copy for translation."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=True).specific
    for name, value in fields.items():
        if name == "tags":
            translated.tags.clear()
            translated.tags.add(*value)
        else:
            setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@transaction.atomic
def seed() -> HomePage | None:
    locale, _created = Locale.objects.get_or_create(language_code="es")
    home = HomePage.objects.filter(locale__language_code="en").first()
    index = BlogIndexPage.objects.filter(locale__language_code="en").first()
    if home is None or index is None:
        return None
    home_es = _translate(home, locale, HOME)
    _translate(index, locale, INDEX)
    for slug, data in SPANISH_POSTS.items():
        source = BlogPage.objects.filter(locale__language_code="en", slug=slug).first()
        if source is None or source.get_translation_or_none(locale) is not None:
            continue
        post = _translate(source, locale, {**data, "body": json.dumps(data["body"])})
        # The same history as the English post: published the same morning.
        published = datetime.datetime.combine(source.date, datetime.time(9), tzinfo=datetime.UTC)
        BlogPage.objects.filter(pk=post.pk).update(first_published_at=published, last_published_at=published)
    return home_es
