"""A truly bare Django app: its own minimal settings, no installed apps, no middleware, one view
that answers "ok". The real ceiling of this stack on this machine: `bench/pages.py` serves it with
the same gunicorn worker count as the project and reports every page's ratio to it."""
