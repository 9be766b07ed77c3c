from glossary.matching import Entry, Matcher


def term(
    slug: str, *forms: str, case_sensitive: bool = False, expansion: str = "", definition: str = ""
) -> tuple:
    forms = forms or (slug,)
    entry = Entry(slug, forms[0], expansion, definition or f"About {slug}.", f"/glossary/{slug}/")
    return (entry, list(forms), case_sensitive)


def matcher(*terms: tuple) -> Matcher:
    """A matcher built without the database."""
    return Matcher(terms)


EHR = term(
    "ehr",
    "EHR",
    "EHRs",
    "electronic health record",
    "electronic health records",
    case_sensitive=True,
    expansion="Electronic Health Record",
    definition="The hospital's record of a patient's care.",
)
HEALTH_RECORD = term("health-record", "health record", "health records")
TRIAGE = term("triage", "triage")
