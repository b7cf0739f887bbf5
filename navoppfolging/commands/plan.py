"""``navoppfolging plan REF -o FILE.pdf [--as-of DATE] [--profile motet|saksmappe] [--with-fnr]``:
the printed activity plan for one case.

The fødselsnummer is printed only with ``--with-fnr`` (like ``export --with-fnr``), and only in a
profile that may carry it (``saksmappe``); without it the plan has no fødselsnummer at all, not
even masked: the birth date is already on the plan, and a masked number adds nothing to it."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from navoppfolging.commands import check_output, open_db, output_error, parse_as_of
from navoppfolging.errors import NotFoundError, UsageError
from navoppfolging.plan_pdf import DEFAULT, PROFILES


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "plan", parents=[common], help="skriv aktivitetsplanen for en sak til en PDF",
        description="Skriver aktivitetsplanen for en sak som PDF (A4), klar til å skrives ut.",
    )
    parser.add_argument("ref", metavar="REF", help="saksreferansen, f.eks. U-0001")
    parser.add_argument("-o", "--output", metavar="FIL.pdf", required=True, type=Path,
                        help="PDF-filen som skal skrives")
    parser.add_argument("--as-of", metavar="DATO", default=None,
                        help="utskriftsdato og dagen neste møte regnes fra (ÅÅÅÅ-MM-DD; ellers i dag)")
    choices = ", ".join(f"{name} = «{p.label}»" for name, p in PROFILES.items())
    parser.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT.name,
                        help=f"hva planen skal ta med ({choices}; standard: {DEFAULT.name})")
    allowed = ", ".join(name for name, p in PROFILES.items() if p.may_include_fnr)
    parser.add_argument("--with-fnr", action="store_true",
                        help=f"ta med fullt fødselsnummer (bare med --profile {allowed})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    profile = PROFILES[args.profile]
    if args.with_fnr:
        if not profile.may_include_fnr:
            raise UsageError(f"--with-fnr gjelder ikke for --profile {args.profile}: "
                             f"«{profile.label}» tar aldri med fødselsnummer")
        profile = dataclasses.replace(profile, include_fnr=True)
    output: Path = check_output(args.output)
    from navoppfolging.services import AdvisorService, CaseService

    db = open_db(args)
    try:
        try:
            case = CaseService(db).get(args.ref)
        except NotFoundError as exc:
            print(f"navoppfolging: {exc}", file=sys.stderr)
            return 2
        advisor = AdvisorService(db).get(case.advisor)
    finally:
        db.close()

    from navoppfolging.plan_pdf import render_plan

    pdf = render_plan(case, advisor, as_of=as_of, profile=profile)
    # Written next to the target and renamed, so an interrupted run never leaves half a PDF.
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_bytes(pdf)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(output, exc) from None
    # No name on the console: terminals end up in logs and screen shares.
    extra = ", med fødselsnummer" if profile.include_fnr else ""
    print(f"Aktivitetsplan for {case.ref} skrevet til {output} ({profile.label.lower()}{extra}).")
    return 0
