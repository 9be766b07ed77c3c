"""The demo glossary in Spanish (`manage.py seed_demo`): each term a translation of an English one.

Written for Spanish-speaking patients in the United States, so the Spanish acronym leads where
Spanish has one (HCE for the EHR) and the English one is a variant where readers meet it as is
(HIPAA). Idempotent: a term that has its Spanish version is left alone.
"""

from django.db import transaction
from wagtail.models import Locale

from .models import Term

__all__ = ["SPANISH_TERMS", "seed"]

# Keyed by the English term's slug; related terms follow the English ones'.
SPANISH_TERMS: dict[str, dict] = {
    "ehr": {
        "slug": "hce",
        "term": "HCE",
        "expansion": "Historia clínica electrónica",
        "case_sensitive": True,
        "variants": "historia clínica electrónica\nhistorias clínicas electrónicas",
        "definition": (
            "El registro de la atención de un paciente que guarda un hospital: diagnósticos, "
            "medicamentos, alergias, resultados y notas del personal clínico. Lo guarda y controla "
            "la institución, no el paciente."
        ),
        "explanation": (
            "<p>La escribe el personal clínico para el personal clínico. El paciente tiene derecho a "
            "verla y a pedir una copia, y a solicitar que se corrija un error, pero no a cambiarla.</p>"
            "<p>No es lo mismo que un <b>RPS</b>, el registro personal de salud, que pertenece al "
            "paciente.</p>"
        ),
    },
    "phr": {
        "slug": "rps",
        "term": "RPS",
        "expansion": "Registro personal de salud",
        "case_sensitive": True,
        "variants": "registro personal de salud\nregistros personales de salud",
        "definition": (
            "Un registro de salud que lleva el propio paciente, en papel o en una aplicación. El "
            "paciente decide qué contiene y quién puede verlo."
        ),
    },
    "emr": {
        "slug": "hcd",
        "term": "expediente médico electrónico",
        "variants": "expedientes médicos electrónicos",
        "definition": (
            "La versión digital de la carpeta de un consultorio o de una sola clínica. A diferencia "
            "de la HCE, no suele compartirse con otros servicios."
        ),
    },
    "phi": {
        "slug": "isp",
        "term": "información de salud protegida",
        "variants": "PHI",
        "definition": (
            "Cualquier dato de salud que permita saber de quién se trata: un nombre, una fecha, un "
            "número de historia. La ley obliga a protegerlo."
        ),
    },
    "hipaa": {
        "slug": "hipaa",
        "term": "HIPAA",
        "expansion": "Ley de Portabilidad y Responsabilidad del Seguro Médico",
        "case_sensitive": True,
        "definition": (
            "La ley federal de Estados Unidos que protege la información de salud de los pacientes "
            "y les da derecho a ver y copiar su historia clínica."
        ),
    },
    "patient-portal": {
        "slug": "portal-del-paciente",
        "term": "portal del paciente",
        "variants": "portales del paciente",
        "definition": (
            "El sitio web o la aplicación del hospital donde el paciente ve sus citas, resultados "
            "y mensajes del equipo que lo atiende."
        ),
    },
    "triage": {
        "slug": "triaje",
        "term": "triaje",
        "variants": "triage",
        "definition": (
            "La valoración rápida que decide en qué orden se atiende a cada paciente según su urgencia."
        ),
    },
    "ed": {
        "slug": "urgencias",
        "term": "urgencias",
        "variants": "sala de urgencias\nservicio de urgencias\nsala de emergencias",
        "definition": (
            "El servicio del hospital que atiende sin cita, a "
            "cualquier hora, a quien llega con un problema urgente."
        ),
    },
    "discharge": {
        "slug": "alta",
        "term": "alta",
        "variants": "altas\nalta hospitalaria",
        "definition": (
            "El momento en que un paciente ingresado sale del hospital, con sus medicamentos e "
            "instrucciones para seguir en casa."
        ),
    },
    "readmission": {
        "slug": "reingreso",
        "term": "reingreso",
        "variants": "reingresos",
        "definition": (
            "Volver a ingresar en el hospital poco después de un alta, a menudo en los 30 días siguientes."
        ),
    },
    "los": {
        "slug": "estancia",
        "term": "estancia hospitalaria",
        "variants": "duración de la estancia",
        "definition": "Cuántos días pasa un paciente ingresado, del ingreso al alta.",
    },
    "inpatient": {
        "slug": "paciente-ingresado",
        "term": "paciente ingresado",
        "variants": "pacientes ingresados\nhospitalizado\nhospitalizada",
        "definition": "Un paciente que pasa al menos una noche en el hospital con una cama asignada.",
    },
    "outpatient": {
        "slug": "paciente-ambulatorio",
        "term": "paciente ambulatorio",
        "variants": "pacientes ambulatorios\nconsultas externas",
        "definition": "Un paciente que recibe atención y vuelve a casa el mismo día, sin ingresar.",
    },
    "hcahps": {
        "slug": "hcahps",
        "term": "HCAHPS",
        "expansion": "Encuesta nacional a pacientes sobre su experiencia en el hospital",
        "case_sensitive": True,
        "definition": (
            "La encuesta oficial que pregunta a los pacientes dados de alta cómo fue su estancia. "
            "Sus resultados son públicos."
        ),
    },
    "hie": {
        "slug": "iis",
        "term": "intercambio de información de salud",
        "variants": "HIE",
        "definition": (
            "La red que permite que hospitales y clínicas "
            "distintos compartan, con permiso, la historia de un paciente."
        ),
    },
    "interoperability": {
        "slug": "interoperabilidad",
        "term": "interoperabilidad",
        "definition": "La capacidad de dos sistemas informáticos de intercambiar datos y entenderlos igual.",
    },
    "telehealth": {
        "slug": "telesalud",
        "term": "telesalud",
        "variants": "telemedicina",
        "definition": "Atención a distancia: una consulta por video o por teléfono en lugar de en persona.",
    },
    "advance-directive": {
        "slug": "voluntades-anticipadas",
        "term": "voluntades anticipadas",
        "variants": "directiva anticipada\ndirectivas anticipadas\ntestamento vital",
        "definition": (
            "Un documento en el que una persona deja dicho qué tratamientos quiere, o no, si un día "
            "no puede decidir por sí misma."
        ),
    },
}


@transaction.atomic
def seed() -> list[Term]:
    """Spanish versions of the English demo terms that have none yet."""
    locale, _created = Locale.objects.get_or_create(language_code="es")
    sources = {
        term.slug: term for term in Term.objects.filter(locale__language_code="en", slug__in=SPANISH_TERMS)
    }
    made: dict[str, Term] = {}
    for slug, data in SPANISH_TERMS.items():
        source = sources.get(slug)
        if source is None or source.get_translation_or_none(locale) is not None:
            continue
        term = Term(locale=locale, translation_key=source.translation_key, **data)
        term.save()
        made[slug] = term
    spanish = {term.translation_key: term for term in Term.objects.filter(locale=locale)}
    for slug, term in made.items():
        related = [spanish.get(other.translation_key) for other in sources[slug].related_terms.all()]
        term.related_terms.set([other for other in related if other is not None])
        term.save()
    return list(made.values())
