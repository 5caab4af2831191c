"""The schema /api/schema/ serves, loaded for schemathesis and for validating single answers."""

import json

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from werkzeug import Client

# Bounded and repeatable: a few derandomised examples per operation, both valid and invalid input;
# the coverage phase (dozens of boundary cases per operation) is left to a manual `st run`.
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 4, "deterministic": True, "no-shrink": True},
        "seed": 8,
        "phases": {"coverage": {"enabled": False}},
    }
)


def served_schema():
    """The schema the API itself serves at /api/schema/, ready to call the application in-process.

    Loaded as a document rather than with `from_wsgi`, which leaves out the operation the schema came
    from: /api/schema/ is an operation of the API like the others.
    """
    app = WSGIHandler()
    response = Client(app).get("/api/schema/?format=json")
    assert response.status_code == 200, response.status_code
    loaded = schemathesis.openapi.from_dict(json.loads(response.get_data()), config=CONFIG)
    loaded.app = app
    return loaded
