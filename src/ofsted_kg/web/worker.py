"""Entry point of a SPARQL worker process: ``python -m ofsted_kg.web.worker GRAPH_DIR``.

Requests arrive on stdin and replies leave on a private copy of stdout; anything else the process
prints goes to stderr, so it cannot corrupt the replies.
"""

from __future__ import annotations

import os
import sys

from .sparql import worker_main


def main(argv: list[str]) -> int:
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    worker_main(argv[0], sys.stdin.buffer, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
