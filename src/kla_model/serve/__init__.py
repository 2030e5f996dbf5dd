"""``kla serve``: the scorer as an HTTP service (the ``[serve]`` extra: Starlette, uvicorn).

Layer 6, beside the command line: it may import anything in the library and nothing imports
it but the ``kla serve`` command, lazily, so that ``kla`` works without the extra.  Starlette
and uvicorn are imported only in this subpackage.

- :mod:`~kla_model.serve.app`: :func:`create_app`, the routes;
- :mod:`~kla_model.serve.handlers`: the endpoints, thin shells over ``import kla_model``;
- :mod:`~kla_model.serve.batch`: ``POST /batch``, a table in, JSON Lines streamed out;
- :mod:`~kla_model.serve.problems`: errors as ``{"problems": [...]}`` responses;
- :mod:`~kla_model.serve.problem_words`: each problem's message in Indonesian too;
- :mod:`~kla_model.serve.gather`: all of a submission's problems together, the shape's and
  the answers' against the ruleset;
- :mod:`~kla_model.serve.limits`: body limits, reading and parsing bodies within them;
- :mod:`~kla_model.serve.limits`: body limits, types and deadlines, reading and parsing
  bodies within them, and the gate on how many bodies are worked on at once;
- :mod:`~kla_model.serve.guard`: the ``Host`` allow-list, and other sites' posts refused;
- :mod:`~kla_model.serve.headers`: the security headers every answer carries;
- :mod:`~kla_model.serve.config`: the configuration and the rulesets loaded at start;
- :mod:`~kla_model.serve.openapi`: the contract, made of the shipped JSON Schemas;
- :mod:`~kla_model.serve.run`: running it under uvicorn, with any number of workers;
- :mod:`~kla_model.serve.protocol`: uvicorn's HTTP protocol with a deadline for headers.
- :mod:`~kla_model.serve.page`: the self-assessment page at ``/`` and its static files.
"""

from kla_model.serve.app import create_app
from kla_model.serve.config import ServiceConfig
from kla_model.serve.limits import MAX_BATCH_BYTES, MAX_BYTES, MAX_DEPTH

__all__ = ["MAX_BATCH_BYTES", "MAX_BYTES", "MAX_DEPTH", "ServiceConfig", "create_app"]
