"""Command line: a thin layer over build, the query runner and the exporters."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import GraphNotFoundError, IngestError, QueryError


def _authority_bindings(graph: Path, name: str | None) -> dict[str, str]:
    """Resolve --authority (name, GSS code or LA number) to the authority IRI to bind."""
    if not name:
        return {}
    from .ingest.authorities import AuthorityRegister
    from .ingest.triples import authority_iri

    extra = sorted(Path(graph).glob("authorities*.csv"))
    register = AuthorityRegister.load(extra=extra)
    authority = register.by_code(name.strip()) or register.resolve(name)
    if authority is None:
        raise QueryError(f"unknown authority {name!r}: give a name such as 'Hertfordshire', a GSS code such as "
                         "E10000015, or an LA number such as 919")
    return {"authorityIri": authority_iri(authority.gss).value}


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .store import open_backend
    from .summary import judgement_history

    report = build([Path(p) for p in args.paths], Path(args.out), jobs=args.jobs)
    t = report.totals
    print(f"built {args.out}: {t['ok']} ok, {t['failed']} failed, {t['skipped']} skipped of {t['files']} files; "
          f"{t['inspections']} inspections, {t['judgements']} judgements, {t['findings']} findings, "
          f"{t['quads']} quads in {report.seconds:.1f} s", file=sys.stderr)
    if args.reason:
        from .reason import reason

        result = reason(Path(args.out))
        print(f"reasoned over {args.out} with HermiT: {'consistent' if result.consistent else 'INCONSISTENT'}",
              file=sys.stderr)
        if not result.consistent:
            return 1
    if not args.quiet:
        backend = open_backend(Path(args.out))
        print(judgement_history(backend))
        backend.close()
    return 1 if report.failed else 0


def cmd_query(args: argparse.Namespace) -> int:
    from .queries import format_results, named_queries, run_named
    from .store import open_backend

    if args.list or not args.name:
        for q in named_queries().values():
            print(f"{q.name:<32} {q.description}")
        return 0
    backend = open_backend(Path(args.graph), args.backend)
    results = run_named(backend, args.name, _authority_bindings(Path(args.graph), args.authority))
    _emit(format_results(results, args.format))
    return 0


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_sparql(args: argparse.Namespace) -> int:
    from .queries import format_results
    from .store import open_backend

    text = args.query
    if text.endswith(".rq") and Path(text).is_file():
        text = Path(text).read_text(encoding="utf-8")
    backend = open_backend(Path(args.graph), args.backend)
    _emit(format_results(backend.select(text, _authority_bindings(Path(args.graph), args.authority)), args.format))
    return 0


def cmd_persistence(args: argparse.Namespace) -> int:
    from .store import open_backend
    from .summary import persistence_table

    backend = open_backend(Path(args.graph), args.backend)
    _emit(persistence_table(backend, _authority_bindings(Path(args.graph), args.authority)))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_ilacs, evaluate_themes

    if not args.outcomes and not args.annotations:
        raise QueryError("give --outcomes (Ofsted's official ILACS outcomes CSV) and/or --annotations "
                         "(a theme annotation CSV such as tests/data/seed_annotations.csv)")
    ok = True
    if args.outcomes:
        text, passed = evaluate_ilacs(Path(args.graph), Path(args.outcomes), threshold=args.threshold)
        print(text)
        ok = ok and passed
    if args.annotations:
        text, passed = evaluate_themes(Path(args.graph), Path(args.annotations))
        print(text)
        ok = ok and passed
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    from . import export, reason, validate
    from .queries import FORMATS, named_queries
    from .store import BACKENDS

    p = argparse.ArgumentParser(prog="ofsted-kg", description=__doc__)
    p.add_argument("--version", action="version", version=f"ofsted-kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a graph from report files and folders")
    b.add_argument("paths", nargs="+", help="report files (.pdf .txt .md .html) or folders of them")
    b.add_argument("--out", required=True, help="graph directory to write (graph.ttl, store/, build-report.json)")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument("--quiet", action="store_true", help="do not print the judgement history")
    b.add_argument("--reason", action="store_true", help="then run the HermiT OWL reasoner (needs Java) and store "
                   "the inferred types (as `ofsted-kg reason`)")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a named query")
    q.add_argument("name", nargs="?", choices=sorted(named_queries()), help="query name (omit to list them)")
    q.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    q.add_argument("--authority", help="restrict to one authority (name, GSS code or LA number)")
    q.add_argument("--format", choices=sorted(FORMATS), default="table")
    q.add_argument("--backend", choices=sorted(BACKENDS), default="oxigraph")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("sparql", help="run any SELECT query (text or a .rq file)")
    s.add_argument("query")
    s.add_argument("--graph", default="kg")
    s.add_argument("--authority", help="bind ?authorityIri to this authority")
    s.add_argument("--format", choices=sorted(FORMATS), default="table")
    s.add_argument("--backend", choices=sorted(BACKENDS), default="oxigraph")
    s.set_defaults(func=cmd_sparql)

    pw = sub.add_parser("persistence", help="persistent weaknesses per authority, one quote per cycle")
    pw.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    pw.add_argument("--authority", help="one authority (name, GSS code or LA number)")
    pw.add_argument("--backend", choices=sorted(BACKENDS), default="oxigraph")
    pw.set_defaults(func=cmd_persistence)

    export.add_parser(sub)

    from .viz import explorer, report, timeline
    from .web import add_parser as add_serve_parser

    explorer.add_parser(sub)
    report.add_parser(sub)
    timeline.add_parser(sub)
    add_serve_parser(sub)
    validate.add_parser(sub)
    reason.add_parser(sub)

    v = sub.add_parser("evaluate", help="compare extracted judgements with Ofsted's official outcomes, and "
                       "themes and polarity with a hand annotation")
    v.add_argument("--graph", default="kg")
    v.add_argument("--outcomes", help="ilacs_outcomes_official.csv")
    v.add_argument("--annotations", help="theme annotation CSV (file, authority, inspection, quote, polarity, "
                   "themes)")
    v.add_argument("--threshold", type=float, default=0.99, help="cell agreement required (default 0.99)")
    v.set_defaults(func=cmd_evaluate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (IngestError, QueryError, GraphNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
