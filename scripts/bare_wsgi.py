"""The floor for scripts/benchmark.py: a WSGI app that answers every request with one stored
response (status, headers, body) from memory, doing nothing else. Served by the same gunicorn
as the site, it shows what the machine, the server and the client cost on their own."""

import base64
import json
import os

with open(os.environ["BARE_RESPONSE_FILE"], encoding="utf-8") as file:
    _stored = json.load(file)

STATUS = _stored["status"]
HEADERS = [tuple(header) for header in _stored["headers"]]
BODY = base64.b64decode(_stored["body"])


def application(environ, start_response):
    start_response(STATUS, HEADERS)
    return [BODY]
