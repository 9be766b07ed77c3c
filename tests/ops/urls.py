"""A view that fails while holding a reader's comment, for the Sentry scrubbing test."""

from django.http import HttpRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def failing(request: HttpRequest):
    comment = request.POST["comment"]  # a local variable of the failing frame: must not be sent
    raise ValueError(
        len(comment),
        f"could not store the comment from {request.POST['email']} at {request.META['REMOTE_ADDR']}",
    )


urlpatterns = [path("fail/", failing)]
