"""Domain types shared by the rule engine, the services, the exchange format and the UI.

Everything here is plain, immutable data: services hand these out, the rule engine reads them,
the UI shows them. Enum values are NAV's own codes (portfolio-format.md), so they can be
written to the exchange file and the database as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NewType

AdvisorIdent = NewType("AdvisorIdent", str)
CaseRef = NewType("CaseRef", str)
# Ids of contacts, activities, reminders and exceptions are strings unique within one case
# ("k1", "a3"): the exchange format carries them and due items refer to them.
ItemId = NewType("ItemId", str)


class Role(StrEnum):
    VEILEDER = "VEILEDER"
    TEAMLEDER = "TEAMLEDER"


class Flag(StrEnum):
    LANDGRUPPE_3 = "LANDGRUPPE-3"
    UKRAINA = "UKRAINA"
    KVP = "KVP"
    IPS = "IPS"
    AMS = "AMS"


class Innsatsgruppe(StrEnum):
    STANDARD_INNSATS = "STANDARD_INNSATS"
    SITUASJONSBESTEMT_INNSATS = "SITUASJONSBESTEMT_INNSATS"
    SPESIELT_TILPASSET_INNSATS = "SPESIELT_TILPASSET_INNSATS"
    GRADERT_VARIG_TILPASSET_INNSATS = "GRADERT_VARIG_TILPASSET_INNSATS"
    VARIG_TILPASSET_INNSATS = "VARIG_TILPASSET_INNSATS"


class Hovedmal(StrEnum):
    SKAFFE_ARBEID = "SKAFFE_ARBEID"
    BEHOLDE_ARBEID = "BEHOLDE_ARBEID"
    OKE_DELTAKELSE = "OKE_DELTAKELSE"


class Channel(StrEnum):
    OPPMOTE = "OPPMOTE"
    VIDEO = "VIDEO"
    TELEFON = "TELEFON"
    DIGITAL_DIALOG = "DIGITAL_DIALOG"


class ContactStatus(StrEnum):
    PLANLAGT = "PLANLAGT"
    GJENNOMFORT = "GJENNOMFORT"
    IKKE_MOTT = "IKKE_MOTT"
    AVLYST = "AVLYST"


class ActivityCategory(StrEnum):
    JOBBSOKING = "JOBBSOKING"
    STILLING = "STILLING"
    ARBEID = "ARBEID"
    TILTAK = "TILTAK"
    UTDANNING = "UTDANNING"
    BEHANDLING = "BEHANDLING"
    EGEN_AKTIVITET = "EGEN_AKTIVITET"


class ActivityStatus(StrEnum):
    FORSLAG = "FORSLAG"
    PLANLAGT = "PLANLAGT"
    GJENNOMFORES = "GJENNOMFORES"
    FULLFORT = "FULLFORT"
    AVBRUTT = "AVBRUTT"


class Responsible(StrEnum):
    BRUKER = "BRUKER"
    NAV = "NAV"
    BEGGE = "BEGGE"
    ANNEN = "ANNEN"


class ExceptionKind(StrEnum):
    TILBUD_AVSLATT = "TILBUD_AVSLATT"
    IKKE_OPPNADD_KONTAKT = "IKKE_OPPNADD_KONTAKT"
    ANNET = "ANNET"


# Bokmål labels in NAV's own words (aktivitetsplan / veilarbportefoljeflatefs), used by the UI,
# the printed plan and the spreadsheets. Kept here so every surface says the same thing.
INNSATSGRUPPE_LABELS: dict[Innsatsgruppe, str] = {
    Innsatsgruppe.STANDARD_INNSATS: "Gode muligheter",
    Innsatsgruppe.SITUASJONSBESTEMT_INNSATS: "Trenger veiledning",
    Innsatsgruppe.SPESIELT_TILPASSET_INNSATS: "Trenger veiledning, nedsatt arbeidsevne",
    Innsatsgruppe.GRADERT_VARIG_TILPASSET_INNSATS: "Jobbe delvis",
    Innsatsgruppe.VARIG_TILPASSET_INNSATS: "Liten mulighet til å jobbe",
}
# A case with no § 14 a assessment yet: one wording in the list, the header and «Ny sak».
INNSATSGRUPPE_UNSET_LABEL = "Ikke vurdert"
INNSATSGRUPPE_SHORT: dict[Innsatsgruppe, str] = {
    Innsatsgruppe.STANDARD_INNSATS: "Standard",
    Innsatsgruppe.SITUASJONSBESTEMT_INNSATS: "Situasjonsbestemt",
    Innsatsgruppe.SPESIELT_TILPASSET_INNSATS: "Spesielt tilpasset",
    Innsatsgruppe.GRADERT_VARIG_TILPASSET_INNSATS: "Gradert varig",
    Innsatsgruppe.VARIG_TILPASSET_INNSATS: "Varig tilpasset",
}
HOVEDMAL_LABELS: dict[Hovedmal, str] = {
    Hovedmal.SKAFFE_ARBEID: "Skaffe arbeid",
    Hovedmal.BEHOLDE_ARBEID: "Beholde arbeid",
    Hovedmal.OKE_DELTAKELSE: "Øke deltakelse eller mål om arbeid",
}
CHANNEL_LABELS: dict[Channel, str] = {
    Channel.OPPMOTE: "Oppmøte",
    Channel.VIDEO: "Video",
    Channel.TELEFON: "Telefon",
    Channel.DIGITAL_DIALOG: "Digital dialog",
}
CONTACT_STATUS_LABELS: dict[ContactStatus, str] = {
    ContactStatus.PLANLAGT: "Planlagt",
    ContactStatus.GJENNOMFORT: "Gjennomført",
    ContactStatus.IKKE_MOTT: "Ikke møtt",
    ContactStatus.AVLYST: "Avlyst",
}
CATEGORY_LABELS: dict[ActivityCategory, str] = {
    ActivityCategory.JOBBSOKING: "Jobbsøking",
    ActivityCategory.STILLING: "Stilling",
    ActivityCategory.ARBEID: "Arbeid",
    ActivityCategory.TILTAK: "Tiltak gjennom NAV",
    ActivityCategory.UTDANNING: "Utdanning",
    ActivityCategory.BEHANDLING: "Behandling",
    ActivityCategory.EGEN_AKTIVITET: "Egen aktivitet",
}
ACTIVITY_STATUS_LABELS: dict[ActivityStatus, str] = {
    ActivityStatus.FORSLAG: "Forslag",
    ActivityStatus.PLANLAGT: "Planlagt",
    ActivityStatus.GJENNOMFORES: "Gjennomføres",
    ActivityStatus.FULLFORT: "Fullført",
    ActivityStatus.AVBRUTT: "Avbrutt",
}
RESPONSIBLE_LABELS: dict[Responsible, str] = {
    Responsible.BRUKER: "Du",
    Responsible.NAV: "NAV",
    Responsible.BEGGE: "Begge",
    Responsible.ANNEN: "Annen",
}
# An activity whose responsible party nobody has recorded (the exchange format allows null).
RESPONSIBLE_UNSET_LABEL = "Ikke avklart"
RESPONSIBLE_CHOICES: dict[Responsible | None, str] = {code: label for code, label in RESPONSIBLE_LABELS.items()}
RESPONSIBLE_CHOICES[None] = RESPONSIBLE_UNSET_LABEL


def responsible_label(responsible: Responsible | None) -> str:
    return RESPONSIBLE_CHOICES[responsible]

EXCEPTION_LABELS: dict[ExceptionKind, str] = {
    ExceptionKind.TILBUD_AVSLATT: "Tilbud avslått",
    ExceptionKind.IKKE_OPPNADD_KONTAKT: "Ikke oppnådd kontakt",
    ExceptionKind.ANNET: "Annet",
}
FLAG_LABELS: dict[Flag, str] = {
    Flag.LANDGRUPPE_3: "Landgruppe 3",
    Flag.UKRAINA: "Ukraina",
    Flag.KVP: "KVP",
    Flag.IPS: "IPS",
    Flag.AMS: "AMS",
}
ROLE_LABELS: dict[Role, str] = {Role.VEILEDER: "Veileder", Role.TEAMLEDER: "Teamleder"}

# The languages offered in «Ny sak» and Oversikt, and how a stored code is named everywhere
# (case header, Historikk, spreadsheet import). The code is what the exchange format stores
# (ISO 639; Dari «prs»); any other language may be typed and is stored as typed. Norwegian and
# Sami first, then alphabetically.
LANGUAGE_LABELS: dict[str, str] = {
    "nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "se": "Nordsamisk",
    "am": "Amharisk", "ar": "Arabisk", "da": "Dansk", "prs": "Dari", "en": "Engelsk", "fr": "Fransk",
    "ku": "Kurdisk", "lt": "Litauisk", "ps": "Pashto", "fa": "Persisk (farsi)", "pl": "Polsk",
    "ru": "Russisk", "so": "Somali", "es": "Spansk", "sv": "Svensk", "th": "Thai", "ti": "Tigrinja",
    "tr": "Tyrkisk", "uk": "Ukrainsk", "ur": "Urdu", "vi": "Vietnamesisk",
}
# Codes stored by earlier versions for a language now listed under another code.
_LANGUAGE_ALIASES: dict[str, str] = {"fa-AF": "prs"}


def language_code(code: str | None) -> str | None:
    """The listed code for ``code`` (an earlier version's «fa-AF» is Dari, «prs»); other values as they are."""
    return _LANGUAGE_ALIASES.get(code, code) if code else code


def language_label(code: str | None) -> str:
    """«Ukrainsk» for «uk»; a language typed by hand (not in the list) as it was typed; "" for none."""
    if not code:
        return ""
    return LANGUAGE_LABELS.get(language_code(code) or code, code)


@dataclass(frozen=True, slots=True)
class Advisor:
    """``role`` None: not stated (an exchange file may leave it out). Saving or importing such an
    advisor keeps an existing advisor's stored role and makes a new one VEILEDER; an advisor
    read from the database always has its role."""

    ident: AdvisorIdent
    name: str
    unit: str | None = None
    role: Role | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A § 14 a assessment (vurdering av innsatsbehov)."""

    date: dt.date
    innsatsgruppe: Innsatsgruppe
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A meeting or dialogue, planned or held. ``time`` and ``place`` are optional extensions."""

    id: ItemId
    date: dt.date
    channel: Channel
    status: ContactStatus
    summary: str = ""
    interpreter_booked: bool = False
    time: dt.time | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    id: ItemId
    title: str
    category: ActivityCategory
    status: ActivityStatus
    start: dt.date | None = None
    end: dt.date | None = None
    responsible: Responsible | None = Responsible.BRUKER  # None: not decided («Ikke avklart»)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Reminder:
    """Huskelapp: a manual reminder with a date."""

    id: ItemId
    date: dt.date
    text: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class RecordedException:
    """An exception recorded on a case («tilbud avslått», «ikke oppnådd kontakt», …)."""

    id: ItemId
    date: dt.date
    kind: ExceptionKind
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExternalContact:
    role: str
    name: str
    phone: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Dagpenger:
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Aap:
    applied_on: dt.date | None = None
    decided_on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Omstillingsstonad:
    death_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Benefits:
    dagpenger: Dagpenger = field(default_factory=Dagpenger)
    aap: Aap = field(default_factory=Aap)
    omstillingsstonad: Omstillingsstonad = field(default_factory=Omstillingsstonad)


@dataclass(frozen=True, slots=True)
class Case:
    """One young person's case with everything the rules, the window and the plan need."""

    ref: CaseRef
    advisor: AdvisorIdent
    name: str
    birth_date: dt.date
    fnr: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    needs_interpreter: bool = False
    flags: tuple[Flag, ...] = ()
    registered_on: dt.date | None = None
    follow_up_offered_on: dt.date | None = None
    goal: str | None = None
    hovedmal: Hovedmal | None = None
    benefits: Benefits = field(default_factory=Benefits)
    sick_leave_start: dt.date | None = None
    assessments: tuple[Assessment, ...] = ()
    contacts: tuple[Contact, ...] = ()
    activities: tuple[Activity, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    exceptions: tuple[RecordedException, ...] = ()
    external_contacts: tuple[ExternalContact, ...] = ()
    closed_on: dt.date | None = None
    closed_reason: str | None = None
    # Row version for optimistic locking: a save carrying an older version is refused.
    version: int = 0


@dataclass(frozen=True, slots=True)
class Portfolio:
    advisors: tuple[Advisor, ...] = ()
    cases: tuple[Case, ...] = ()


def mask_fnr(fnr: str | None) -> str:
    """Show only the birth date part: «170504 *****». Never log or list the full number."""
    if not fnr:
        return ""
    return f"{fnr[:6]} *****"


def initials(name: str) -> str:
    return "".join(part[0].upper() for part in name.split() if part)
