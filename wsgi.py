"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""
from idea4gov import create_app

app = create_app()
