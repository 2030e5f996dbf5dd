"""Calling the service in-process: httpx against the ASGI app, no network and no server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from starlette.applications import Starlette

from kla_model._base.json_schema import schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_JSON = ROOT / "examples" / "kota-tangerang-2025.json"
EXAMPLE_CSV = ROOT / "examples" / "districts-2025.csv"


def example_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_JSON.read_text("utf-8"))
    return data


def call(app: Starlette, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` through httpx's ASGI transport, as the service's own machine
    (``Host: localhost``); a body given as ``content=`` without ``headers=`` is sent as JSON.
    """
    if "content" in kwargs and "headers" not in kwargs:
        kwargs["headers"] = {"Content-Type": "application/json"}

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())


def conforms(name: str, data: Any) -> None:
    """Raise if ``data`` does not follow the shipped schema ``name``."""
    jsonschema.Draft202012Validator(schema(name)).validate(data)


def problems(response: httpx.Response) -> list[dict[str, str]]:
    """The problems of an error response as ``{location, message}``, after checking its shape
    against the schema and that each problem is said in both languages (``message`` is the
    English, kept for the clients that read it)."""
    body = response.json()
    conforms("problems", body)
    found: list[dict[str, str]] = body["problems"]
    for problem in found:
        assert problem["message_en"] == problem["message"], problem
        assert problem["message_id"] and problem["message_id"] != problem["message"], problem
    return [{"location": p["location"], "message": p["message"]} for p in found]


def lines(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON Lines of a batch response, each checked against ``batch-line``."""
    found = [json.loads(line) for line in response.text.splitlines()]
    for line in found:
        conforms("batch-line", line)
    return found
