"""``ofsted-kg serve``: a local, read-only web server over a graph directory (Flask app, waitress server)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
import threading
from pathlib import Path

from .app import KGState, create_app

__all__ = ["BackgroundServer", "KGState", "add_parser", "create_app", "serve"]


def serve(graph_dir: Path, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0, workers: int = 2,
          threads: int = 8) -> None:
    """Serve ``graph_dir`` until interrupted."""
    import waitress

    app = create_app(Path(graph_dir), timeout=timeout, workers=workers, warm=True)
    print(f"serving {graph_dir} at http://{host}:{port}/ (SPARQL endpoint /sparql; Ctrl-C stops)", file=sys.stderr)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="ofsted-kg")
    finally:
        app.extensions["ofsted_kg"].close()


class BackgroundServer:
    """The app on a free loopback port in a daemon thread (for tests and notebooks)."""

    def __init__(self, graph_dir: Path, *, host: str = "127.0.0.1", port: int = 0, timeout: float = 30.0,
                 workers: int = 2, threads: int = 4):
        from waitress.server import create_server

        self.app = create_app(Path(graph_dir), timeout=timeout, workers=workers)
        self._server = create_server(self.app, host=host, port=port, threads=threads, ident="ofsted-kg")
        self.port = int(self._server.effective_port)  # type: ignore[union-attr]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="ofsted-kg-server")
        self._thread.start()

    def stop(self) -> None:
        self._server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        self._server.close()
        self.app.extensions["ofsted_kg"].close()


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        print(f"warning: serving on {args.host}, not only on this machine", file=sys.stderr)
    serve(Path(args.graph), host=args.host, port=args.port, timeout=args.timeout, workers=args.workers,
          threads=args.threads)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``ofsted-kg serve``."""
    p = subparsers.add_parser("serve", help="serve the graph locally: SPARQL endpoint, explorer, reports, IRIs")
    p.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a SPARQL query may run (default: 30)")
    p.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    p.add_argument("--threads", type=int, default=8, help="request threads (default: 8)")
    p.set_defaults(func=_cmd_serve)
