"""The app as gunicorn serves it, plus a bare Flask route at /_bare/ping in the same workers:
bench/load.py --spike compares the app's throughput with it in the same run."""
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wsgi import app as idea4gov

bare = Flask("bare")
bare.add_url_rule("/ping", "ping", lambda: "ok")
app = DispatcherMiddleware(idea4gov, {"/_bare": bare})
