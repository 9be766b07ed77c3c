from django.http import HttpResponse
from django.urls import path

from rounds.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", ok), *site_urlpatterns]
