"""A Slipway sample: a WSGI app that gunicorn serves (Procfile), answering GET / with one line
naming the server that runs it, and GET /health with the content app.json's check expects.
"""


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/":
        body = "Hello from python-gunicorn-app on Slipway, served by " + environ["SERVER_SOFTWARE"]
    elif path == "/health":
        body = "ready"
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]
    data = (body + "\n").encode()
    start_response(
        "200 OK",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]
