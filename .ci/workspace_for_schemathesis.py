"""Create the workspace schemathesis runs the /workspaces operations against (.ci/run).

Waits for the service at the URL given, creates a workspace from the example submission and
its task force, and prints the shell assignments .ci/schemathesis_hooks.py reads.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]


def main(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"no service answered at {url}")
        time.sleep(0.2)
    submission = yaml.safe_load((ROOT / "examples/kota-tangerang-2025.yaml").read_text("utf-8"))
    submission.pop("verification")
    assignment = yaml.safe_load(
        (ROOT / "examples/kota-tangerang-2025-agencies.yaml").read_text("utf-8")
    )
    body = {"submission": submission, "assignment": assignment}
    created = httpx.post(f"{url}/workspaces", json=body, timeout=60)
    if created.status_code != 201:
        raise SystemExit(f"creating the workspace failed: {created.status_code} {created.text}")
    data = created.json()
    print(f"KLA_SCHEMATHESIS_WORKSPACE={data['workspace']['id']}")
    print(f"KLA_SCHEMATHESIS_TOKEN={data['link']['token']}")
    print(f"KLA_SCHEMATHESIS_LINK={data['link']['id']}")


if __name__ == "__main__":
    main(sys.argv[1])
