"""``navoppfolging admin``: team-mode administration, run by the database owner.

    navoppfolging admin add-user IDENT --role VEILEDER|TEAMLEDER [--name NAME] [--password-stdin]
    navoppfolging admin delegate REF IDENT --until DATE
    navoppfolging admin handover REF... --to IDENT [--as-of DATE] [--yes]

``add-user`` creates the advisors row and, on PostgreSQL, the login role (the ident in lower
case) as a member of ``navoppfolging_veileder`` or ``navoppfolging_teamleder``. The password is
read from standard input with ``--password-stdin`` (one line), never from the command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from navoppfolging.commands import open_db, parse_as_of
from navoppfolging.dates import parse_iso
from navoppfolging.errors import UsageError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("admin", parents=[common], help="administrasjon av teamdatabasen")
    actions = p.add_subparsers(dest="admin_command", metavar="HANDLING", required=True)
    add = actions.add_parser("add-user", parents=[common], help="opprett veileder/teamleder med databaserolle")
    add.add_argument("ident", metavar="IDENT", help="NAV-ident, f.eks. Z990001")
    add.add_argument("--role", required=True, choices=["VEILEDER", "TEAMLEDER"])
    add.add_argument("--name", default=None, help="navn (standard: identen)")
    add.add_argument("--unit", default=None, help="enhet med nummer og navn, f.eks. «0315 NAV Grünerløkka» "
                     "(aktivitetsplanen viser navnet)")
    add.add_argument("--password-stdin", dest="password_stdin", action="store_true",
                     help="les passordet fra standard input")
    add.set_defaults(func=run_add_user)
    dlg = actions.add_parser("delegate", parents=[common], help="gi en kollega tilgang til en sak til en dato")
    dlg.add_argument("ref", metavar="REF")
    dlg.add_argument("ident", metavar="IDENT")
    dlg.add_argument("--until", required=True, metavar="DATO", help="siste dag med tilgang (ÅÅÅÅ-MM-DD)")
    dlg.set_defaults(func=run_delegate)
    ho = actions.add_parser("handover", parents=[common], help="overfør saker til en annen veileder")
    ho.add_argument("refs", metavar="REF", nargs="+")
    ho.add_argument("--to", required=True, metavar="IDENT")
    ho.add_argument("--as-of", dest="as_of", metavar="DATO", default=None)
    ho.add_argument("--yes", action="store_true", help="overfør også når mottakeren går over taket på 50")
    ho.set_defaults(func=run_handover)
    p.set_defaults(func=run_add_user)


def run_add_user(args: argparse.Namespace) -> int:
    from navoppfolging.domain import Advisor, AdvisorIdent, Role
    from navoppfolging.services import AdvisorService
    from navoppfolging.teamdb import create_login_role, is_postgres, role_name

    role = Role(args.role)
    role_name(args.ident)  # refuse an ident that cannot be a role name before writing anything
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise UsageError("--password-stdin: tomt passord")
    db = open_db(args)
    try:
        service = AdvisorService(db)
        existing = service.get(args.ident)
        service.save(Advisor(ident=AdvisorIdent(args.ident), name=args.name or (existing.name if existing else args.ident),
                             unit=args.unit or (existing.unit if existing else None), role=role,
                             phone=existing.phone if existing else None, email=existing.email if existing else None))
        if is_postgres(db.url):
            with db.engine.begin() as conn:
                name = create_login_role(conn, args.ident, role, password)
            print(f"Opprettet {role.value.lower()} {args.ident} med databaserolle {name}.")
        else:
            print(f"Opprettet {role.value.lower()} {args.ident} (lokal database: ingen databaserolle).")
    finally:
        db.close()
    return 0


def run_delegate(args: argparse.Namespace) -> int:
    from navoppfolging.handover import delegate

    try:
        until = parse_iso(args.until)
    except ValueError:
        raise UsageError(f"--until: ikke en dato (ÅÅÅÅ-MM-DD): {args.until!r}") from None
    db = open_db(args)
    try:
        delegate(db, args.ref, args.ident, until=until)
    finally:
        db.close()
    print(f"{args.ident} har tilgang til {args.ref} til og med {until.isoformat()}.")
    return 0


def run_handover(args: argparse.Namespace) -> int:
    from navoppfolging.handover import HandoverService

    as_of = parse_as_of(args.as_of)
    db = open_db(args)
    try:
        service = HandoverService(db)
        preview = service.preview(args.refs, to=args.to, as_of=as_of)
        if preview.warning:
            print(f"Advarsel: {preview.warning}", file=sys.stderr)
            if not args.yes:
                print("Ingenting er overført. Bruk --yes for å overføre likevel.", file=sys.stderr)
                return 1
        result = service.hand_over(args.refs, to=args.to)
    finally:
        db.close()
    print(f"Overført {len(result.moved)} saker til {result.receiver}.")
    return 0
