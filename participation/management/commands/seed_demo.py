"""Fill the registry with the Rhein-Sieg-Kreis demo: the real organisations and bodies from
`participation/data/rhein-sieg-kreis.json`, and fictional people in them.

Idempotent: every record is looked up by its natural key and saved (through the services,
so it leaves an audit entry) only when it is new or differs from what is stored.

Afterwards every installed app may add its own demo data on top of the registry: an app
opts in with a module `<app>.demo` that has a function `seed(*, stdout)` (idempotent too).
That keeps participation the base: it never imports the apps that build on it."""

import datetime
import json
import re
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from participation import erasure_requests, services
from participation.hooks import app_modules
from participation.models import (
    BarrierReport,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ErasureRequest,
    LegalPage,
    LegalPageKind,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    RetentionRun,
)
from participation.purging import run_purges

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "rhein-sieg-kreis.json"
# The demo's imprint, privacy notice and accessibility statement: <kind>.<language>.md.
LEGAL_DIR = DATA_FILE.parent / "legal"
SINCE = datetime.date(2019, 1, 1)

SOCIAL_OFFICE = "Kreisverwaltung Rhein-Sieg-Kreis – Sozialamt"
HEALTH_OFFICE = "Kreisverwaltung Rhein-Sieg-Kreis – Gesundheitsamt"
COUNTY_OFFICES = [
    (SOCIAL_OFFICE, "Sozialamt", "sozialamt@rhein-sieg-kreis.example"),
    (HEALTH_OFFICE, "Gesundheitsamt", "gesundheitsamt@rhein-sieg-kreis.example"),
]
COUNTY_DOMAIN = "rhein-sieg-kreis.example"

BODY_DETAILS = {
    BodyKind.STEERING_GROUP: (
        "Lenkungsgruppe",
        "Kreisverwaltung und Vertretungen der Städte und Gemeinden; steuert den Aufbau der "
        "Sozial- und Gesundheitsplanung.",
    ),
    BodyKind.WORKING_GROUP: (
        "AG Sozialplanung",
        "Fraktionen, vier Kommunen, drei Wohlfahrtsverbände und Verwaltung; extern moderiert.",
    ),
    BodyKind.PROJECT_GROUP: ("Projektgruppe", "Das vierköpfige Kernteam im Kreis."),
    BodyKind.COMMITTEE: ("Sozialausschuss", "Erhält regelmäßig Berichte (Vorlagen)."),
}
RECURRING_DETAILS = {
    "Quartalsgespräch": ("Quartalsgespräch", "Vier Gespräche im Jahr mit der ARGE Wohlfahrt."),
    "Dienstbesprechung": (
        "Dienstbesprechung SozDez",
        "Berichte und Absprachen mit den kommunalen Sozialdezernaten.",
    ),
}

# Fictional people. Municipal staff: (municipality, title, first, last, function).
COUNTY_PEOPLE = [
    # key, title, first, last, function, organisation
    ("dezernent", "Dr.", "Werner", "Thielmann", "Sozialdezernent des Kreises", SOCIAL_OFFICE),
    ("lead", "", "Andrea", "Lindemeyer", "Projektleitung", SOCIAL_OFFICE),
    ("coordination", "", "Tobias", "Hartwig", "Projektkoordination", SOCIAL_OFFICE),
    ("staff", "", "Sabine", "Krämling", "Referentin Sozialplanung", SOCIAL_OFFICE),
    ("controlling", "", "Markus", "Engelbrecht", "Controlling", SOCIAL_OFFICE),
    ("health", "", "Julia", "Brandtner", "Referentin Gesundheitsplanung", HEALTH_OFFICE),
]
MUNICIPAL_PEOPLE = [
    ("Siegburg", "", "Claudia", "Vossberg", "Sozialdezernentin"),
    ("Siegburg", "", "Jan", "Pohlmann", "Sozialplaner"),
    ("Troisdorf", "", "Michael", "Steinfeldt", "Sozialdezernent"),
    ("Troisdorf", "", "Katharina", "Lübben", "Sozialplanerin"),
    ("Sankt Augustin", "Dr.", "Petra", "Hollmann", "Sozialdezernentin"),
    ("Sankt Augustin", "", "Florian", "Weidenbach", "Referent Sozialplanung"),
    ("Hennef (Sieg)", "", "Stefan", "Rautenberg", "Sozialdezernent"),
    ("Hennef (Sieg)", "", "Miriam", "Ostendorf", "Sozialplanerin"),
    ("Much", "", "Birgit", "Kessenich", "Fachbereichsleitung Soziales"),
    ("Much", "", "Lukas", "Merten", "Sachbearbeiter Sozialplanung"),
    ("Eitorf", "", "Thomas", "Gierlich", "Fachbereichsleitung Soziales"),
    ("Eitorf", "", "Anja", "Schlömer", "Sozialplanerin"),
]
# The demo member's person (`ensure_demo_member` gives her an account): the planner of a
# municipality whose survey response is in progress and who sits in the steering group.
DEMO_MEMBER = ("Troisdorf", "Katharina", "Lübben")


def demo_member_email():
    municipality, first, last = DEMO_MEMBER
    return f"{slug(first)}.{slug(last)}@{slug(municipality)}.example"


# One person for each welfare association and political group, in the JSON's order.
WELFARE_PEOPLE = [
    ("Monika", "Heuser", "Fachbereichsleitung Soziale Dienste"),
    ("Ralf", "Kuckertz", "Geschäftsführung"),
    ("Sevgi", "Aydın", "Referentin Sozialplanung"),
    ("Dirk", "Pützstück", "Kreisgeschäftsführer"),
    ("Heike", "Walterscheid", "Referentin Sozialpolitik"),
]
GROUP_PEOPLE = [
    ("Christian", "Röttgen", "Fraktionsgeschäftsführer"),
    ("Lena", "Bartscherer", "Fraktionsgeschäftsführerin"),
    ("Oliver", "Hamacher", "Fraktionsgeschäftsführer"),
    ("Nadine", "Overath", "Fraktionsgeschäftsführerin"),
    ("Kemal", "Yıldırım", "Fraktionsgeschäftsführer"),
]
OTHER_PEOPLE = {
    "Jobcenter Rhein-Sieg": ("Carsten", "Niederau", "Bereichsleitung Markt und Integration"),
    "G.I.B. (Landesberatung Armutsbekämpfung und Sozialplanung)": (
        "Ute",
        "Fassbender",
        "Beraterin Sozialplanung",
    ),
    "Datenschutzbeauftragte/r": ("Gabriele", "Schmitz-Lenné", "Datenschutzbeauftragte"),
}


def slug(text):
    text = text.lower().translate(
        str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})
    )
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def group_name(name):
    return f"Kreistagsfraktion {name}" if " " in name else f"{name}-Kreistagsfraktion"


class Seeder:
    """Upserts records through the services and counts what it did."""

    def __init__(self):
        self.created = 0
        self.updated = 0

    def upsert(self, model, save, lookup, **values):
        instance = model.objects.filter(**lookup).first()
        is_new = instance is None
        if is_new:
            instance = model(**{key.removesuffix("__iexact"): v for key, v in lookup.items()})
        changed = is_new
        for name, value in values.items():
            field = model._meta.get_field(name)
            current = getattr(instance, field.attname)
            wanted = value.pk if field.is_relation and value is not None else value
            if current != wanted:
                setattr(instance, name, value)
                changed = True
        if changed:
            save(instance, actor=None)
            if is_new:
                self.created += 1
            else:
                self.updated += 1
        return instance

    def organisation(self, name, kind, *, short_name="", ags=None, email=""):
        lookup = {"ags": ags} if ags else {"name": name}
        fields = {"name": name, "kind": kind, "short_name": short_name, "email": email}
        if ags:
            fields["ags"] = ags
        return self.upsert(Organisation, services.save_organisation, lookup, **fields)

    def person(self, first, last, *, domain, title="", organisation, function, contact=False):
        email = f"{slug(first)}.{slug(last)}@{domain}"
        person = self.upsert(
            Person,
            services.save_person,
            {"email__iexact": email},
            title=title,
            first_name=first,
            last_name=last,
        )
        self.upsert(
            Membership,
            services.save_membership,
            {"person": person, "organisation": organisation, "valid_from": SINCE},
            function=function,
            is_contact=contact,
        )
        return person

    def body(self, name, kind, short_name, description):
        return self.upsert(
            Body,
            services.save_body,
            {"name": name},
            kind=kind,
            short_name=short_name,
            description=description,
        )

    def seat(self, body, person, role=BodyRole.MEMBER, *, represents=None, deputy_of=None):
        return self.upsert(
            BodyMembership,
            services.save_body_membership,
            {"body": body, "person": person, "valid_from": SINCE},
            role=role,
            represents=represents,
            deputy_of=deputy_of,
        )


class Command(BaseCommand):
    help = "Load the Rhein-Sieg-Kreis demo registry (idempotent)."

    def handle(self, *args, **options):
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        seeder = Seeder()
        with transaction.atomic():
            self.seed(seeder, data)
        self.stdout.write(
            f"seed_demo: {seeder.created} created, {seeder.updated} updated. Registry now: "
            f"{Organisation.objects.count()} organisations "
            f"({Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count()} "
            f"municipalities), {Person.objects.count()} people, "
            f"{Membership.objects.count()} memberships, {Body.objects.count()} bodies, "
            f"{BodyMembership.objects.count()} seats."
        )
        with transaction.atomic():
            self.seed_legal_pages()
            self.seed_barrier_report()
            self.seed_erasure_request()
        self.seed_apps()
        self.seed_retention_run()

    def seed_legal_pages(self):
        """The demo texts of the legal pages, each only if the page does not exist yet: a
        text the coordinators have edited is theirs and stays."""
        created = 0
        for kind in LegalPageKind.values:
            if LegalPage.objects.filter(kind=kind).exists():
                continue
            texts = {
                language: (LEGAL_DIR / f"{kind}.{language}.md").read_text(encoding="utf-8")
                for language in ("de", "en")
            }
            page = LegalPage(kind=kind, body_de=texts["de"], body_en=texts["en"])
            services.save_legal_page(page, actor=None)
            created += 1
        self.stdout.write(f"seed_demo: {created} legal pages created.")

    def seed_barrier_report(self):
        """One open report from the accessibility statement's form, so the coordinators'
        list has something to answer; stored as a visitor's would be, without a mail."""
        if BarrierReport.objects.exists():
            return
        BarrierReport.objects.create(
            page="/workshops/",
            description=(
                "Im Programm des Workshops ist die Tabelle mit dem Bildschirmleser schwer zu "
                "lesen. Können Sie mir das Programm als barrierefreies PDF schicken? (Demo)"
            ),
            name="Maria Beispiel (Demo)",
            email="maria.beispiel@demo.mitplanen.example",
        )

    def seed_retention_run(self):
        """One run of the nightly purge over the whole demo, so the retention page shows a
        logged run; only when none is logged yet."""
        if RetentionRun.objects.exists():
            return
        run = run_purges()
        self.stdout.write(f"seed_demo: retention run logged, {run.total} records removed.")

    def seed_erasure_request(self):
        """One request for erasure waiting in the coordinators' queue (from a welfare
        association's member without an account, through an invitation's link) and one
        declined (a seat in a body to hand over first), unless the queue has ever held
        one."""
        if ErasureRequest.objects.exists():
            return
        person = (
            Person.objects.filter(
                user=None,
                erased_at=None,
                memberships__organisation__kind=OrganisationKind.WELFARE_ASSOCIATION,
            )
            .order_by("last_name", "first_name", "pk")
            .first()
        )
        if person is not None:
            erasure_requests.request_erasure(
                person=person, channel=ErasureRequest.Channel.PERSONAL_LINK
            )
            self.stdout.write(f"seed_demo: an erasure request from {person} waits.")
        seated = (
            Person.objects.filter(user=None, erased_at=None, body_memberships__isnull=False)
            .exclude(pk=getattr(person, "pk", None))
            .order_by("last_name", "first_name", "pk")
            .first()
        )
        if seated is not None:
            # Declined before the demo began: recorded as it stands, so seeding mails nobody
            # (`erasure_requests.dismiss_request` tells the requester).
            ErasureRequest.objects.create(
                person=seated,
                channel=ErasureRequest.Channel.PERSONAL_LINK,
                dismissed_at=timezone.now(),
                reason="Ihr Sitz im Gremium muss zuerst an eine Nachfolge übergeben werden. "
                "Bitte bitten Sie danach erneut um Löschung.",
            )
            self.stdout.write(f"seed_demo: an erasure request from {seated} was declined.")

    def seed_apps(self):
        """Call `seed(stdout=...)` of every installed app's `demo` module, in app order
        (`participation.hooks.app_modules`)."""
        for _config, module in app_modules("demo"):
            seed = getattr(module, "seed", None)
            if callable(seed):
                with transaction.atomic():
                    seed(stdout=self.stdout)

    def seed(self, seeder, data):
        orgs = {}
        for name, short, email in COUNTY_OFFICES:
            orgs[name] = seeder.organisation(
                name, OrganisationKind.COUNTY_OFFICE, short_name=short, email=email
            )
        municipalities = {}
        for item in data["municipalities"]:
            domain = f"{slug(item['name'])}.example"
            municipalities[item["name"]] = seeder.organisation(
                f"{item['kind']} {item['name']}",
                OrganisationKind.MUNICIPALITY,
                short_name=item["name"],
                ags=item["ags"],
                email=f"soziales@{domain}",
            )
        welfare = [
            seeder.organisation(name, OrganisationKind.WELFARE_ASSOCIATION)
            for name in data["welfare_associations"]
        ]
        groups = [
            seeder.organisation(group_name(name), OrganisationKind.POLITICAL_GROUP, short_name=name)
            for name in data["political_groups"]
        ]
        for name in data["other_actors"]:
            kind = (
                OrganisationKind.JOBCENTER
                if name.startswith("Jobcenter")
                else OrganisationKind.OTHER
            )
            orgs[name] = seeder.organisation(name, kind)

        county = {}
        for key, title, first, last, function, org_name in COUNTY_PEOPLE:
            county[key] = seeder.person(
                first,
                last,
                title=title,
                domain=COUNTY_DOMAIN,
                organisation=orgs[org_name],
                function=function,
                contact=key == "coordination",
            )
        municipal = []  # (organisation, head of department, planner)
        for index in range(0, len(MUNICIPAL_PEOPLE), 2):
            pair = MUNICIPAL_PEOPLE[index : index + 2]
            organisation = municipalities[pair[0][0]]
            domain = f"{slug(pair[0][0])}.example"
            people = [
                seeder.person(
                    first,
                    last,
                    title=title,
                    domain=domain,
                    organisation=organisation,
                    function=function,
                    contact=position == 1,
                )
                for position, (_, title, first, last, function) in enumerate(pair)
            ]
            municipal.append((organisation, *people))

        def contact_person(org, domain, first, last, function):
            person = seeder.person(
                first, last, domain=domain, organisation=org, function=function, contact=True
            )
            return org, person

        welfare_people = [
            contact_person(org, f"{slug(org.name)}.example", *person)
            for org, person in zip(welfare, WELFARE_PEOPLE, strict=True)
        ]
        group_people = [
            contact_person(org, f"{slug(org.short_name)}-fraktion.example", *person)
            for org, person in zip(groups, GROUP_PEOPLE, strict=True)
        ]
        others = {
            name: contact_person(orgs[name], f"{slug(name)}.example", *person)
            for name, person in OTHER_PEOPLE.items()
        }

        bodies = {}
        for item in data["bodies"]:
            details = BODY_DETAILS.get(item["kind"])
            if details is None:
                details = next(
                    v for k, v in RECURRING_DETAILS.items() if item["name"].startswith(k)
                )
            bodies[item["kind"], item["name"].split()[0]] = seeder.body(
                item["name"], item["kind"], *details
            )
        office = orgs[SOCIAL_OFFICE]

        def body(kind, first_word=None):
            return next(b for (k, w), b in bodies.items() if k == kind and first_word in (None, w))

        # Steering group: the county chairs; municipal department heads represent their
        # town, each with the town's planner as deputy where there is one.
        steering = body(BodyKind.STEERING_GROUP)
        seeder.seat(steering, county["dezernent"], BodyRole.CHAIR, represents=office)
        seeder.seat(steering, county["lead"], represents=office)
        for organisation, head, planner in municipal:
            principal = seeder.seat(steering, head, represents=organisation)
            if organisation.short_name in {"Siegburg", "Troisdorf", "Sankt Augustin"}:
                seeder.seat(
                    steering,
                    planner,
                    BodyRole.DEPUTY,
                    represents=organisation,
                    deputy_of=principal,
                )
        gib_org, gib_person = others["G.I.B. (Landesberatung Armutsbekämpfung und Sozialplanung)"]
        seeder.seat(steering, gib_person, BodyRole.GUEST, represents=gib_org)

        # Working group: political groups, four municipalities, three welfare associations,
        # administration.
        working = body(BodyKind.WORKING_GROUP)
        seeder.seat(working, county["lead"], BodyRole.CHAIR, represents=office)
        seeder.seat(working, county["staff"], represents=office)
        for organisation, person in group_people:
            seeder.seat(working, person, represents=organisation)
        for organisation, _head, planner in municipal[:4]:
            seeder.seat(working, planner, represents=organisation)
        for organisation, person in welfare_people[:3]:
            seeder.seat(working, person, represents=organisation)
        jobcenter_org, jobcenter_person = others["Jobcenter Rhein-Sieg"]
        seeder.seat(working, jobcenter_person, BodyRole.GUEST, represents=jobcenter_org)

        project = body(BodyKind.PROJECT_GROUP)
        seeder.seat(project, county["lead"], BodyRole.CHAIR, represents=office)
        for key in ("coordination", "staff", "controlling"):
            seeder.seat(project, county[key], represents=office)

        quarterly = body(BodyKind.RECURRING_TALK, "Quartalsgespräch")
        seeder.seat(quarterly, county["dezernent"], BodyRole.CHAIR, represents=office)
        seeder.seat(quarterly, county["coordination"], represents=office)
        for organisation, person in welfare_people:
            seeder.seat(quarterly, person, represents=organisation)

        heads = body(BodyKind.RECURRING_TALK, "Dienstbesprechung")
        seeder.seat(heads, county["dezernent"], BodyRole.CHAIR, represents=office)
        for organisation, head, _planner in municipal:
            seeder.seat(heads, head, represents=organisation)
        seeder.seat(heads, county["lead"], BodyRole.GUEST, represents=office)

        committee = body(BodyKind.COMMITTEE)
        for organisation, person in group_people:
            seeder.seat(committee, person, represents=organisation)
        seeder.seat(committee, county["dezernent"], BodyRole.GUEST, represents=office)
        seeder.seat(committee, county["lead"], BodyRole.GUEST, represents=office)
