"""What a reader's browser does with a comment form: read its fields from the page's HTML."""

from bs4 import BeautifulSoup

__all__ = ["comment_form_fields"]


def comment_form_fields(html: str) -> dict[str, str]:
    """The fields the page's comment form would send as it stands (hidden ones included), the
    way a reader's browser reads them: the timestamp and security hash come from the page."""
    form = BeautifulSoup(html, "html.parser").find("form", attrs={"data-comment-form": True})
    assert form is not None, "no comment form on the page"
    fields = {}
    for element in form.find_all(["input", "textarea"]):
        name = element.get("name")
        if not name or (element.get("type") == "checkbox" and not element.has_attr("checked")):
            continue
        fields[name] = element.get_text() if element.name == "textarea" else element.get("value", "")
    return fields
