"""Demo glossary for `manage.py seed_demo`: the terms readers of a hospital leadership blog meet.

Idempotent: each term is looked up by its slug and left alone if it exists. The definitions are
written for patients and staff alike; the EHR and PHR entries make their difference plain,
because that is the question readers most often get wrong.
"""

from django.db import transaction
from wagtail.models import Locale

from .models import Term

__all__ = ["TERMS", "seed"]

TERMS: list[dict] = [
    {
        "slug": "ehr",
        "term": "EHR",
        "expansion": "Electronic Health Record",
        "case_sensitive": True,
        "variants": "EHRs\nelectronic health record\nelectronic health records",
        "definition": (
            "The record of a patient's care that a hospital or health system keeps: diagnoses, "
            "medicines, allergies, test results and clinicians' notes, shared by the teams who treat "
            "the patient there. The organisation, not the patient, keeps and controls it."
        ),
        "explanation": (
            "<p>An EHR is written by clinicians for clinicians. Patients have a legal right to see it "
            "and to get a copy, and many hospitals show parts of it through a patient portal, but "
            "the patient cannot change what it says; they can ask for a correction.</p>"
            "<p>It is easy to confuse with a <b>PHR</b>, a personal health record: that one belongs "
            "to the patient, who decides what goes in it and who may see it.</p>"
        ),
        "related": ["phr", "emr", "patient-portal", "hie"],
    },
    {
        "slug": "phr",
        "term": "PHR",
        "expansion": "Personal Health Record",
        "case_sensitive": True,
        "variants": "PHRs\npersonal health record\npersonal health records",
        "definition": (
            "A health record the patient keeps and controls: the patient decides what goes in it and "
            "who may see it, and takes it from one provider to the next. An EHR is the hospital's "
            "record of the patient; a PHR is the patient's own."
        ),
        "explanation": (
            "<p>A PHR can be an app, a website or a folder of paper. Patients fill it themselves and "
            "often copy in results from the EHRs of the places that treat them, so it can hold "
            "the whole picture when each hospital holds only its part.</p>"
            "<p>Because the patient controls it, a PHR is not the hospital's record and is not "
            "covered by the same rules: the patient chooses whom to share it with.</p>"
        ),
        "related": ["ehr", "patient-portal"],
    },
    {
        "slug": "emr",
        "term": "EMR",
        "expansion": "Electronic Medical Record",
        "case_sensitive": True,
        "variants": "EMRs\nelectronic medical record\nelectronic medical records",
        "definition": (
            "A digital version of the paper chart kept by one practice or clinic. Narrower than an EHR, "
            "which is built to follow the patient's care across departments and organisations."
        ),
        "related": ["ehr"],
    },
    {
        "slug": "phi",
        "term": "PHI",
        "expansion": "Protected Health Information",
        "case_sensitive": True,
        "variants": "protected health information",
        "definition": (
            "Information about a person's health, care or payment for care that could identify them, "
            "such as a name beside a diagnosis. In the United States, HIPAA limits who may use it and "
            "share it."
        ),
        "related": ["hipaa"],
    },
    {
        "slug": "hipaa",
        "term": "HIPAA",
        "expansion": "Health Insurance Portability and Accountability Act",
        "case_sensitive": True,
        "variants": "Health Insurance Portability and Accountability Act",
        "definition": (
            "A 1996 United States law whose privacy and security rules say how hospitals and insurers "
            "must protect patients' health information, and give patients the right to see and copy "
            "their own records."
        ),
        "related": ["phi"],
    },
    {
        "slug": "patient-portal",
        "term": "patient portal",
        "variants": "patient portals",
        "definition": (
            "A secure website or app where patients see parts of the hospital's record about them, "
            "such as results, letters and appointments, and can message their care team."
        ),
        "related": ["ehr", "phr"],
    },
    {
        "slug": "triage",
        "term": "triage",
        "definition": (
            "Sorting patients by how urgently they need care, so that the sickest are seen first rather "
            "than those who arrived first."
        ),
        "related": ["ed"],
    },
    {
        "slug": "ed",
        "term": "ED",
        "expansion": "Emergency Department",
        "case_sensitive": True,
        "variants": "emergency department\nemergency departments\nemergency room\nER",
        "definition": (
            "The part of a hospital that treats urgent illness and injury without an appointment, day "
            "and night. Also called the emergency room or A&E."
        ),
        "related": ["triage"],
    },
    {
        "slug": "discharge",
        "term": "discharge",
        "variants": "discharges",
        "definition": (
            "The moment a patient formally leaves hospital care, ideally with their medicines, a plan "
            "for follow-up and a number to call."
        ),
        "related": ["readmission", "los"],
    },
    {
        "slug": "readmission",
        "term": "readmission",
        "variants": "readmissions",
        "definition": (
            "A patient's return to hospital soon after discharge, usually counted within 30 days. "
            "A high rate can mean patients went home before they were ready or without enough support."
        ),
        "related": ["discharge"],
    },
    {
        "slug": "los",
        "term": "LOS",
        "expansion": "Length of stay",
        "case_sensitive": True,
        "variants": "length of stay",
        "definition": (
            "How long a patient stays in hospital, from admission to discharge, often reported as an average."
        ),
        "related": ["discharge"],
    },
    {
        "slug": "inpatient",
        "term": "inpatient",
        "variants": "inpatients",
        "definition": "A patient admitted to a hospital bed, usually for at least one night.",
        "related": ["outpatient"],
    },
    {
        "slug": "outpatient",
        "term": "outpatient",
        "variants": "outpatients",
        "definition": (
            "A patient who receives care without being admitted to a bed, for example at a clinic "
            "appointment or a scan."
        ),
        "related": ["inpatient"],
    },
    {
        "slug": "hcahps",
        "term": "HCAHPS",
        "expansion": "Hospital Consumer Assessment of Healthcare Providers and Systems",
        "case_sensitive": True,
        "definition": (
            "A standard United States survey that asks recent inpatients about their stay, such as how "
            "well nurses and doctors listened and explained. Each hospital's results are published."
        ),
    },
    {
        "slug": "hie",
        "term": "HIE",
        "expansion": "Health Information Exchange",
        "case_sensitive": True,
        "variants": "health information exchange",
        "definition": (
            "Moving patients' electronic health information between organisations such as hospitals, "
            "clinics and pharmacies, or the regional network that does it."
        ),
        "related": ["ehr", "interoperability"],
    },
    {
        "slug": "interoperability",
        "term": "interoperability",
        "definition": (
            "The ability of different computer systems, such as an EHR and a clinic's booking system, "
            "to exchange information and use what they receive."
        ),
        "related": ["hie"],
    },
    {
        "slug": "telehealth",
        "term": "telehealth",
        "variants": "telemedicine",
        "definition": (
            "Care given at a distance: a consultation by video or phone, or advice by secure message."
        ),
    },
    {
        "slug": "advance-directive",
        "term": "advance directive",
        "variants": "advance directives",
        "definition": (
            "A written statement of the treatment a person would or would not want if they became unable "
            "to decide for themselves, such as whether to be resuscitated."
        ),
    },
]


@transaction.atomic
def seed() -> list[Term]:
    """Create the demo terms that do not exist yet; never overwrite an editor's changes."""
    terms = {}
    created = []
    english = Locale.get_default()
    for data in TERMS:
        fields = {key: value for key, value in data.items() if key != "related"}
        term, was_created = Term.objects.get_or_create(slug=data["slug"], locale=english, defaults=fields)
        terms[term.slug] = term
        if was_created:
            created.append((term, data.get("related", [])))
    for term, related in created:
        term.related_terms.set([terms[slug] for slug in related if slug in terms])
        term.save()
    return list(terms.values())
