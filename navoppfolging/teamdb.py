"""Team mode on a shared PostgreSQL server: the password in the OS keyring, login roles per
advisor, and turning the de-identified facts of revision 0002 back into rule-engine input.

Role naming: an advisor's (or team lead's) login role is their NAV-ident in lower case
(``Z990001`` → ``z990001``), a member of ``navoppfolging_veileder`` or
``navoppfolging_teamleder``. Row-level security compares ``lower(advisors.ident)`` with
``current_user``.

psycopg is imported here only inside functions, so the start-up path (SQLite) never loads it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import URL

from navoppfolging.domain import (
    Activity,
    ActivityCategory,
    ActivityStatus,
    Aap,
    AdvisorIdent,
    Assessment,
    Benefits,
    Case,
    CaseRef,
    Channel,
    Contact,
    ContactStatus,
    Dagpenger,
    Innsatsgruppe,
    ItemId,
    Omstillingsstonad,
    Role,
)
from navoppfolging.errors import DatabaseError, UsageError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "navoppfolging"
GROUP_ROLES: dict[Role, str] = {Role.VEILEDER: "navoppfolging_veileder", Role.TEAMLEDER: "navoppfolging_teamleder"}
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")

PasswordPrompt = Callable[[str], "str | None"]


def is_postgres(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def role_name(ident: str) -> str:
    """The login role of an advisor: the NAV-ident in lower case (checked: letters, digits, _)."""
    if not _IDENT.match(ident):
        raise UsageError(f"Ugyldig NAV-ident for en databaserolle: {ident!r} (bokstaver og sifre, maks 20 tegn)")
    return ident.lower()


def keyring_username(url: URL) -> str:
    """``user@host:port/db`` — the keyring entry of one login on one database."""
    return f"{url.username}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def stored_password(url: URL) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_username(url))
    except KeyringError:
        return None


def store_password(url: URL, password: str) -> bool:
    """Keep the password in the OS keyring; False (and ask next time) when there is none."""
    import keyring
    from keyring.errors import KeyringError

    from navoppfolging.crypto import keyring_is_secure

    if not keyring_is_secure():
        # A plaintext-file or failing keyring would put the password in clear text: ask each time.
        log.warning("ingen sikker nøkkelring: passordet til teamdatabasen blir ikke husket")
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(url), password)
        return True
    except KeyringError:
        log.warning("ingen nøkkelring tilgjengelig: passordet til teamdatabasen blir ikke husket")
        return False


def forget_password(url: URL) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_username(url))
    except (PasswordDeleteError, KeyringError):
        pass


# PostgreSQL's SQLSTATE for «permission denied» (row-level security, a missing GRANT).
INSUFFICIENT_PRIVILEGE = "42501"


def is_permission_denied(exc: BaseException) -> bool:
    """True when the server refused the logged-in role (SQLSTATE 42501), whether ``exc`` is
    psycopg's own error or SQLAlchemy's wrapper of it."""
    for candidate in (exc, getattr(exc, "orig", None)):
        if getattr(candidate, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            return True
    return False


def _is_auth_failure(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "password authentication failed" in text or "no password supplied" in text or "28p01" in text


def server_error(url: URL, exc: BaseException) -> DatabaseError:
    """The message for a server that refuses the login or cannot be reached. Names the server,
    never the password nor the driver's own text."""
    if _is_auth_failure(exc):
        return DatabaseError(f"Databaseserveren avviste innloggingen for {url.username or 'brukeren'}: "
                             "feil brukernavn eller passord.")
    host = url.host or "localhost"
    # An unescaped «@» in a password makes SQLAlchemy read part of it as the host.
    server = f"{host}:{url.port or 5432}" if "@" not in host else "serveren"
    return DatabaseError(f"Får ikke kontakt med databasen på {server}. Sjekk nettverket (VPN) og at serveren kjører; "
                         "kontakt IT-ansvarlig hvis feilen varer.")


def connect_url(url: URL, prompt: PasswordPrompt | None, *, probe: Callable[[URL], None]) -> URL:
    """The URL with a password that works: from the URL, else the keyring, else ``prompt``
    (asked once; stored in the keyring after a successful ``probe``). A keyring password that is
    refused is forgotten and asked for again. Without a prompt, the server's own methods
    (trust, peer, ~/.pgpass) are tried as they are."""
    if url.password is not None:
        return url
    label = keyring_username(url)
    saved = stored_password(url)
    if saved is not None:
        candidate = url.set(password=saved)
        try:
            probe(candidate)
            return candidate
        except Exception as exc:  # noqa: BLE001 - the driver's own error types
            if not _is_auth_failure(exc):
                raise
            forget_password(url)
    try:
        probe(url)
        return url  # the server needs no password from us (trust, peer or .pgpass)
    except Exception as exc:  # noqa: BLE001
        if not _is_auth_failure(exc):
            raise
    if prompt is None:
        raise DatabaseError(f"Teamdatabasen krever passord for {label}, og ingen er lagret.")
    password = prompt(label)
    if not password:
        raise DatabaseError("Ingen passord oppgitt; teamdatabasen ble ikke åpnet.")
    candidate = url.set(password=password)
    try:
        probe(candidate)
    except Exception as exc:  # noqa: BLE001
        if _is_auth_failure(exc):
            raise DatabaseError(f"Feil passord for {label}.") from None
        raise
    store_password(url, password)
    return candidate


def cli_prompt(label: str) -> str | None:
    import getpass

    return getpass.getpass(f"Passord for {label}: ")


# --- facts → domain -------------------------------------------------------------------------------


def _zip(*columns: Any) -> Any:
    return zip(*columns, strict=True) if columns[0] is not None else ()


def facts_to_case(row: Any) -> Case:
    """A ``Case`` the rule engine can evaluate, from one row of ``navoppfolging_workload_facts``.

    The ref is the row number (``#17``) and the name is empty: only counts come out."""
    return Case(
        ref=CaseRef(f"#{row.n}"),
        advisor=AdvisorIdent(row.advisor),
        name="",
        birth_date=row.birth_date,
        needs_interpreter=bool(row.needs_interpreter),
        registered_on=row.registered_on,
        follow_up_offered_on=row.follow_up_offered_on,
        benefits=Benefits(
            dagpenger=Dagpenger(end=row.dagpenger_end),
            aap=Aap(applied_on=row.aap_applied_on, decided_on=row.aap_decided_on, start=row.aap_start, end=row.aap_end),
            omstillingsstonad=Omstillingsstonad(death_date=row.omstilling_death_date),
        ),
        sick_leave_start=row.sick_leave_start,
        assessments=tuple(Assessment(date=d, innsatsgruppe=Innsatsgruppe(g)) for d, g in _zip(row.a_dates, row.a_groups)),
        contacts=tuple(
            Contact(id=ItemId(f"k{i}"), date=d, channel=Channel(c), status=ContactStatus(s), interpreter_booked=bool(b))
            for i, (d, c, s, b) in enumerate(_zip(row.k_dates, row.k_channels, row.k_statuses, row.k_interpreter))
        ),
        activities=tuple(
            Activity(id=ItemId(f"a{i}"), title="", category=ActivityCategory(c), status=ActivityStatus(s), start=st, end=en)
            for i, (c, s, st, en) in enumerate(_zip(row.x_categories, row.x_statuses, row.x_starts, row.x_ends))
        ),
    )


# --- administration (run by the database owner) ------------------------------------------------


def session_role(conn: Any) -> Role | None:
    """The group role of the logged-in user (``conn``: a SQLAlchemy connection to PostgreSQL):
    VEILEDER or TEAMLEDER; None for a login in neither group or in both (the owner, an
    administrator or a superuser, whom PostgreSQL counts as a member of every role)."""
    rows = conn.exec_driver_sql(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%(groups)s) AND pg_has_role(current_user, oid, 'MEMBER')",
        {"groups": list(GROUP_ROLES.values())}).all()
    member = {name for (name,) in rows}
    found = [role for role, group in GROUP_ROLES.items() if group in member]
    return found[0] if len(found) == 1 else None


def create_login_role(conn: Any, ident: str, role: Role, password: str | None) -> str:
    """CREATE ROLE <ident> LOGIN IN ROLE <group> (or, when it exists, add it to the group and
    set the password). ``conn`` is a SQLAlchemy connection to PostgreSQL as the owner."""
    from psycopg import sql

    name = role_name(ident)
    group = GROUP_ROLES[role]
    raw = conn.connection.driver_connection
    exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(n)s", {"n": name}).first() is not None
    with raw.cursor() as cur:
        if not exists:
            cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        if password:
            cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
        cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
        other = GROUP_ROLES[Role.TEAMLEDER if role is Role.VEILEDER else Role.VEILEDER]
        cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(name)))
    return name
