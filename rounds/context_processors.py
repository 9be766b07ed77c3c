from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Values every layout template needs, without a query."""
    return {"BASE_URL": settings.BASE_URL, "SITE_DESCRIPTION": settings.SITE_DESCRIPTION}
