"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (every value from the environment).

Run with IDEA4GOV_ENV=production, SECRET_KEY and DATABASE_URL set (ProductionConfig refuses
to start without them), and REDIS_URL for background jobs.
"""
import multiprocessing
import os

#: Where to listen; behind a load balancer or nginx on the same host, a loopback port or socket.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: Sync workers: each request holds one process; 2 x cores + 1 is the usual start.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
#: A request running longer is killed (and the worker replaced); regrouping never runs in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
#: On SIGTERM/SIGHUP a worker finishes its current request for up to this long before it is killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
#: Recycle workers now and then so a slow leak (e.g. the per-area similarity caches) cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
#: Access and error logs to stdout/stderr for the process manager (systemd, Docker) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
#: Trust X-Forwarded-* only from these addresses (the load balancer); see also TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")



def post_worker_init(worker):  # noqa: ANN001, ANN201
    """Each worker loads the tokenizer and every area's similarity index (from the newest snapshot
    in Redis when there is one) before it takes requests: the first request is as fast as the rest.
    It tells the master it is alive between steps, so a long warm-up is not taken for a hang."""
    if os.environ.get("IDEA4GOV_WARM_UP", "1") != "1":
        return
    from idea4gov.ideas.similar import warm

    app = getattr(worker.wsgi, "app", worker.wsgi)  # the Flask app, also behind a WSGI middleware
    warm(app, notify=worker.notify)

#: preload_app = False, deliberately: each worker builds its own app and opens its own
#: database connections after the fork (a connection pool shared across fork() corrupts
#: PostgreSQL sessions), and `kill -HUP` reloads new code without restarting the master.
#: The cost, a second or two of start-up per worker, is paid once.
preload_app = False
