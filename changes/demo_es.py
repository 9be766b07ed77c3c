"""The demo's change and topics in Spanish (`manage.py seed_demo`), on the Spanish scheduling post.

The Spanish change cites the Spanish version of the post; it cites no comment, since the readers'
comments were written on the English post, in English. Idempotent.
"""

from django.db import transaction
from wagtail.models import Locale

from blog.demo import CUSTOMER_SERVICE_SLUG
from blog.models import BlogPage

from .demo import CHANGE_TITLE, TOPICS
from .models import Change, ChangePost, Topic

__all__ = ["seed"]

SPANISH_TOPICS = {
    "Scheduling": "Citas",
    "Phone lines": "Líneas telefónicas",
    "Billing": "Facturación",
    "Parking and getting here": "Aparcamiento y cómo llegar",
}
SPANISH_CHANGE = {
    "title": (
        "Ya puede hablar con una persona para cambiar una "
        "cita, y la línea de cancelaciones se revisa cada hora"
    ),
    "description": (
        "Al llamar a la línea de citas, la única opción para una cita ya reservada era cancelarla. "
        "El menú tiene ahora una segunda opción, «cambiar una cita», que pasa directamente a una "
        "persona de admisión en horario de consulta y, fuera de ese horario, a una solicitud de "
        "devolución de llamada.\n\n"
        "Los mensajes de la línea de cancelaciones se escuchan cada hora en punto, en lugar de una "
        "vez al final del día, y el buzón ya no se llena."
    ),
    "department": "Centro de Admisión de Pacientes",
}


@transaction.atomic
def seed() -> Change | None:
    locale, _created = Locale.objects.get_or_create(language_code="es")
    topics = {}
    for topic in Topic.objects.filter(locale__language_code="en", name__in=TOPICS):
        existing = topic.get_translation_or_none(locale)
        if existing is None:
            existing = topic.copy_for_translation(locale)
            existing.name = SPANISH_TOPICS[topic.name]
            existing.slug = ""
            existing.save()
        topics[topic.name] = existing
    source = Change.objects.filter(locale__language_code="en", title=CHANGE_TITLE).first()
    post = BlogPage.objects.filter(locale__language_code="en", slug=CUSTOMER_SERVICE_SLUG).first()
    spanish_post = post.get_translation_or_none(locale) if post else None
    if source is None or spanish_post is None:
        return None
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing
    change = Change(
        locale=locale,
        translation_key=source.translation_key,
        date=source.date,
        topic=topics.get(source.topic.name, source.topic),
        **SPANISH_CHANGE,
    )
    change.cited_posts.add(ChangePost(post=spanish_post))
    change.save()
    change.save_revision(log_action=True)
    return change
