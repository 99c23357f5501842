"""The demo community as data: categories, one account per role and ~40 threads.

``community/demo/seed.py`` loads it through the services. Times are relative:
a thread was asked ``days_ago`` days before the moment of seeding, each reply
``after_hours`` hours after the question (replies are listed in the order they
were written). ``helpful`` names the accounts that voted a reply helpful,
``accepted`` marks the answer the asker (or ``accepted_by``) accepted, and
``official`` marks an agent's answer given on behalf of the support team.

The passwords are public on purpose: these accounts exist for local demos only.
"""

CATEGORIES = [
    {
        "key": "billing",
        "slug": "rechnung-vertrag",
        "name": "Rechnung & Vertrag / Billing & contracts",
        "description": "Rechnungen, Zahlungen, Tarifwechsel, Kündigung und Umzug. "
                       "Invoices, payments, changing plans, cancellation and moving house.",
    },
    {
        "key": "internet",
        "slug": "internet-festnetz",
        "name": "Internet & Festnetz / Internet & landline",
        "description": "DSL, Glasfaser und Kabel, WLAN, Festnetz-Telefonie und Störungen. "
                       "DSL, fibre and cable, Wi-Fi, landline calls and outages.",
    },
    {
        "key": "mobile",
        "slug": "mobilfunk",
        "name": "Mobilfunk / Mobile",
        "description": "SIM und eSIM, Roaming, Datenvolumen, Empfang und Rufnummernmitnahme. "
                       "SIM and eSIM, roaming, data volume, coverage and number porting.",
    },
    {
        "key": "devices",
        "slug": "geraete",
        "name": "Geräte / Devices",
        "description": "Router, Smartphones, Mesh-Systeme, Ratenkauf und Rücksendungen. "
                       "Routers, phones, mesh systems, instalments and returns.",
    },
    {
        "key": "community",
        "slug": "community-feedback",
        "name": "Community & Feedback",
        "description": "Willkommen, Regeln und Wünsche für App und Website. "
                       "Welcome, house rules and ideas for the app and the website.",
    },
]

# One account per role (and several customers). Passwords satisfy
# community.services.accounts.password_problem; the seed checks that.
CUSTOMER_PASSWORD = "demo-customer-1"

ACCOUNTS = [
    {"key": "anna", "email": "anna.schneider@example.com", "name": "Anna Schneider",
     "role": "customer", "locale": "de", "password": CUSTOMER_PASSWORD},
    {"key": "lukas", "email": "lukas.meyer@example.com", "name": "Lukas Meyer",
     "role": "customer", "locale": "de", "password": CUSTOMER_PASSWORD},
    {"key": "mehmet", "email": "mehmet.yilmaz@example.com", "name": "Mehmet Yılmaz",
     "role": "customer", "locale": "de", "password": CUSTOMER_PASSWORD},
    {"key": "jonas", "email": "jonas.weber@example.com", "name": "Jonas Weber",
     "role": "customer", "locale": "de", "password": CUSTOMER_PASSWORD},
    {"key": "emily", "email": "emily.carter@example.com", "name": "Emily Carter",
     "role": "customer", "locale": "en", "password": CUSTOMER_PASSWORD},
    {"key": "james", "email": "james.obrien@example.com", "name": "James O'Brien",
     "role": "customer", "locale": "en", "password": CUSTOMER_PASSWORD},
    {"key": "priya", "email": "priya.sharma@example.com", "name": "Priya Sharma",
     "role": "customer", "locale": "en", "password": CUSTOMER_PASSWORD},
    {"key": "sophie", "email": "sophie.laurent@example.com", "name": "Sophie Laurent",
     "role": "customer", "locale": "en", "password": CUSTOMER_PASSWORD},
    {"key": "katrin", "email": "katrin.vogel@example.com", "name": "Katrin Vogel",
     "role": "moderator", "locale": "de", "password": "demo-moderator-1"},
    {"key": "tim", "email": "tim.berger@example.com", "name": "Tim Berger",
     "role": "agent", "locale": "de", "staff_title": "Kundenservice",
     "password": "demo-agent-123"},
    {"key": "sarah", "email": "sarah.klein@example.com", "name": "Sarah Klein",
     "role": "agent", "locale": "en", "staff_title": "Support team",
     "password": "demo-agent-123"},
    {"key": "admin", "email": "alex.hoffmann@example.com", "name": "Alex Hoffmann",
     "role": "admin", "locale": "en", "staff_title": "Community team",
     "password": "demo-admin-123"},
]

THREADS = [
    # ------------------------------------------------------------------ community
    {
        "key": "welcome", "category": "community", "author": "katrin", "days_ago": 45,
        "pinned": True,
        "title": "Willkommen! / Welcome – bitte vor dem ersten Beitrag lesen",
        "tags": ["regeln", "welcome"],
        "body": """**Herzlich willkommen in unserer Community!** *(English below)*

Hier helfen sich Kundinnen und Kunden gegenseitig, und unser Kundenservice liest mit.
Damit dir schnell geholfen wird:

1. **Erst suchen** – viele Fragen (Roaming, eSIM, Rechnung) sind schon gelöst.
2. **Aussagekräftiger Titel**, z. B. „Internet bricht abends ab (DSL 100)“ statt „Hilfe!!!“.
3. **Keine persönlichen Daten** posten: keine Kundennummer, IBAN, Adresse oder PIN.
4. Hat dir eine Antwort geholfen? Markiere sie als **hilfreich** oder **akzeptiere** sie.

---

**Welcome!** Customers help each other here and our support team reads along.
Search first, use a clear title, never post your customer number, IBAN or PIN, and
accept the answer that solved your problem so others find it too.

Bleibt freundlich – stay friendly. Katrin (Moderation)""",
        "replies": [
            {"author": "lukas", "after_hours": 30, "helpful": ["anna"],
             "body": "Danke für die klaren Regeln! Gibt es auch eine Übersicht, welche "
                     "Themen das Support-Team direkt übernimmt?"},
            {"author": "katrin", "after_hours": 33, "helpful": ["lukas", "emily"],
             "body": "Gute Frage, Lukas: Bleibt eine Frage ein paar Tage ohne Lösung, oder "
                     "geht es um **Kündigung** oder eine **Störung**, schaut sich das "
                     "Support-Team den Thread automatisch an. Ihr müsst nichts extra tun."},
        ],
    },
    # ------------------------------------------------------------------ billing
    {
        "key": "double-charge", "category": "billing", "author": "anna", "days_ago": 23.4,
        "title": "Rechnung doppelt abgebucht – was kann ich tun?",
        "tags": ["rechnung", "lastschrift"],
        "body": """Hallo zusammen,

auf meinem Kontoauszug ist die Rechnung für März **zweimal** abgebucht worden
(je 39,99 €). In *Mein Konto* sehe ich aber nur eine Rechnung.

Soll ich eine der Lastschriften zurückbuchen lassen oder gibt es das Geld automatisch
zurück? Ich möchte keine Mahngebühren riskieren.""",
        "replies": [
            {"author": "lukas", "after_hours": 1.5, "helpful": ["anna"],
             "body": "Bitte **nicht** einfach zurückbuchen lassen – dann fallen oft "
                     "Rücklastschriftgebühren an. Bei mir wurde so etwas nach einem Anruf "
                     "innerhalb einer Woche erstattet."},
            {"author": "tim", "after_hours": 4, "official": True, "accepted": True,
             "helpful": ["anna", "mehmet", "emily"],
             "body": """Hallo Anna,

danke für den Hinweis – da ist bei einem Teil der März-Lastschriften ein Fehler
passiert. Du musst nichts tun:

- Der doppelte Betrag wird in den nächsten **5 Werktagen** automatisch erstattet.
- Es entstehen dir **keine Gebühren**.
- Die Gutschrift siehst du danach auch unter *Mein Konto → Rechnungen*.

Viele Grüße
Tim vom Kundenservice"""},
            {"author": "anna", "after_hours": 52,
             "body": "Geld ist heute wieder auf dem Konto. Danke, Tim!"},
        ],
    },
    {
        "key": "cancel-abroad", "category": "billing", "author": "emily", "days_ago": 19.2,
        "title": "How do I cancel my contract before moving abroad?",
        "tags": ["cancellation", "moving"],
        "body": """Hi everyone,

I'm moving back to the UK in two months and my internet contract still runs until
next spring. Is there a special right to cancel when you move **abroad**
(*Sonderkündigungsrecht*)? And which documents do I need?

Thanks!""",
        "replies": [
            {"author": "jonas", "after_hours": 2, "helpful": ["emily"],
             "body": "Moving abroad counts as a move to an address where the service "
                     "can't be provided, so you can cancel with **one month's notice**. "
                     "You usually need your *Abmeldebescheinigung* (deregistration "
                     "certificate)."},
            {"author": "sarah", "after_hours": 5, "official": True, "accepted": True,
             "helpful": ["emily", "priya"],
             "body": """Hi Emily,

Jonas is right. To cancel because you move abroad:

1. Deregister at the *Bürgeramt* and keep the **Abmeldebescheinigung**.
2. Send the cancellation via *My account → Contract → Cancel* and upload the
   certificate there.
3. Return the rented router within 14 days after the contract ends
   (a prepaid return label is sent by e-mail).

The contract then ends one month after we receive the certificate.

Best regards, Sarah (Support team)"""},
        ],
    },
    {
        "key": "kuendigung-bestaetigung", "category": "billing", "author": "lukas",
        "days_ago": 6.1,
        "title": "Kündigung zum Vertragsende: Bestätigung nicht erhalten",
        "tags": ["kuendigung", "vertrag"],
        "body": """Ich habe vor drei Wochen über das Kündigungsformular auf der Website
gekündigt (Vertragsende 30.06.). Eine Eingangsbestätigung per Mail kam sofort, aber die
eigentliche **Kündigungsbestätigung** mit Enddatum fehlt bis heute.

Ist die Kündigung trotzdem wirksam? Wie lange dauert das normalerweise?""",
        "replies": [
            {"author": "mehmet", "after_hours": 3,
             "body": "Die Eingangsbestätigung ist schon mal dein Nachweis – hebe die Mail "
                     "gut auf. Bei mir kam die richtige Bestätigung nach ca. 10 Tagen."},
            {"author": "tim", "after_hours": 20, "official": True, "helpful": ["lukas"],
             "body": "Hallo Lukas, deine Kündigung ist wirksam, die Eingangsbestätigung "
                     "gilt als Nachweis. Ich habe nachgesehen: Die Bestätigung mit Enddatum "
                     "wurde heute verschickt. Viele Grüße, Tim"},
        ],
    },
    {
        "key": "drittanbieter", "category": "billing", "author": "mehmet", "days_ago": 14.7,
        "title": "Unbekanntes Abo für 9,99 € auf der Mobilfunkrechnung – Drittanbietersperre?",
        "tags": ["rechnung", "drittanbieter", "abo"],
        "body": """Auf meiner letzten Rechnung steht unter *Leistungen anderer Anbieter*
ein Abo „Premium Games“ für **9,99 € im Monat**. Ich habe so etwas nie abgeschlossen.

- Wie bekomme ich das Geld zurück?
- Kann man so etwas für die Zukunft sperren?""",
        "replies": [
            {"author": "anna", "after_hours": 0.8, "accepted": True,
             "helpful": ["mehmet", "jonas", "lukas"],
             "body": """Das ist leider ein Klassiker. So bin ich vorgegangen:

1. In *Mein Konto → Einstellungen* die **Drittanbietersperre** aktivieren (kostenlos).
2. Den Betrag beim Kundenservice **beanstanden** – der wird dann nicht eingezogen.
3. Beim Drittanbieter (steht auf der Rechnung) schriftlich widersprechen.

Bei mir wurde alles gutgeschrieben."""},
            {"author": "mehmet", "after_hours": 26,
             "body": "Hat funktioniert, Sperre ist drin und der Betrag wurde storniert. "
                     "Danke Anna!"},
        ],
    },
    {
        "key": "invoice-address", "category": "billing", "author": "priya", "days_ago": 9.3,
        "title": "Invoice PDF still shows my old address",
        "tags": ["invoice", "address"],
        "body": """I moved last month and changed my address in *My account*. The
contract shows the new address, but the invoice PDF still has the **old one**.
My employer reimburses the bill and needs the correct address. Can I get a corrected
invoice?""",
        "replies": [
            {"author": "james", "after_hours": 4, "helpful": ["priya"],
             "body": "The invoice address is a separate field under *Payment details → "
                     "Billing address*. Changing the contract address doesn't update it."},
            {"author": "sarah", "after_hours": 9, "official": True,
             "body": "Hi Priya, James is right about the separate field. Once you've updated "
                     "it, reply here and we'll issue a corrected PDF for last month. "
                     "– Sarah, Support team"},
        ],
    },
    {
        "key": "preiserhoehung", "category": "billing", "author": "jonas", "days_ago": 28.5,
        "title": "Preiserhöhung angekündigt – habe ich ein Sonderkündigungsrecht?",
        "tags": ["preiserhoehung", "kuendigung"],
        "body": """Ich habe eine Mail bekommen, dass mein Tarif ab dem 1. des übernächsten
Monats **3 € teurer** wird. Darf ich deswegen außerordentlich kündigen, obwohl meine
Mindestlaufzeit noch 8 Monate läuft?""",
        "replies": [
            {"author": "lukas", "after_hours": 2.5, "accepted": True,
             "helpful": ["jonas", "anna", "emily", "mehmet"],
             "body": """Ja. Bei einer einseitigen Preiserhöhung hast du nach dem TKG ein
**Sonderkündigungsrecht**:

- Frist: innerhalb von **drei Monaten** nach Zugang der Mitteilung
- Wirksam frühestens zum Zeitpunkt der Preiserhöhung
- Am besten schriftlich oder über das Kündigungsformular, mit Verweis auf die Mail

Mehr dazu bei der [Verbraucherzentrale](https://www.verbraucherzentrale.de/)."""},
            {"author": "jonas", "after_hours": 30,
             "body": "Perfekt, danke! Ich habe einen günstigeren Tarif angeboten bekommen "
                     "und bleibe jetzt doch."},
        ],
    },
    {
        "key": "bank-transfer", "category": "billing", "author": "sophie", "days_ago": 2.3,
        "title": "Paying by bank transfer instead of SEPA direct debit?",
        "tags": ["payment", "sepa"],
        "body": """My bank account is in France and I'd rather pay each invoice by
**bank transfer** than set up a SEPA direct debit. Is that possible, and is there a fee
for it?""",
        "replies": [],
    },
    {
        "key": "umzug", "category": "billing", "author": "anna", "days_ago": 11.8,
        "title": "Umzug: Vertrag mitnehmen oder neu abschließen?",
        "tags": ["umzug", "vertrag"],
        "body": """Wir ziehen im Sommer von Hamburg nach Leipzig. An der neuen Adresse ist
laut Verfügbarkeitscheck sogar **Glasfaser** möglich.

Kann ich meinen DSL-Vertrag einfach umziehen und dabei auf Glasfaser wechseln, oder
muss ich kündigen und neu abschließen? Beginnt die Mindestlaufzeit dann von vorn?""",
        "replies": [
            {"author": "jonas", "after_hours": 6, "helpful": ["anna"],
             "body": "Bei uns lief das als **Umzug mit Tarifwechsel**. Die Laufzeit hat "
                     "neu begonnen, weil es ein anderer Tarif war. Melde den Umzug aber "
                     "mindestens 6 Wochen vorher, sonst wird es mit dem Techniker-Termin eng."},
        ],
    },
    {
        "key": "student-discount", "category": "billing", "author": "emily", "days_ago": 0.9,
        "title": "Student discount – which proof of enrolment do you accept?",
        "tags": ["student", "discount"],
        "body": """I'm starting a master's programme in October. Does the student discount
accept a letter of admission, or do I need the actual *Immatrikulationsbescheinigung*?
And can it be added to an existing contract?""",
        "replies": [],
    },
    # ------------------------------------------------------------------ internet
    {
        "key": "dsl-evening", "category": "internet", "author": "lukas", "days_ago": 33.2,
        "title": "Internet bricht abends regelmäßig ab (DSL 100)",
        "tags": ["dsl", "verbindungsabbruch", "router"],
        "body": """Seit etwa zwei Wochen bricht meine Verbindung **jeden Abend zwischen
19 und 22 Uhr** mehrmals ab. Tagsüber läuft alles stabil.

Das habe ich schon versucht:

- Router neu gestartet
- Anderes DSL-Kabel verwendet
- Die [Störungsseite](https://example.com/stoerungen) geprüft – keine Meldung

Die Werte aus dem Router:

```
DSL-Sync:      Down 100 Mbit/s / Up 40 Mbit/s
Störabstand:   Down 4 dB / Up 6 dB
CRC-Fehler:    18.734 (letzte 24 h)
Resyncs:       11 (letzte 24 h)
```

Hat jemand eine Idee?""",
        "replies": [
            {"author": "jonas", "after_hours": 1.2, "helpful": ["lukas", "anna"],
             "body": "Ein Störabstand von 4 dB ist sehr knapp, ab ca. 6 dB wird es stabil. "
                     "Abends steigen oft Störungen auf der Leitung. Steckt der Router direkt "
                     "an der ersten TAE-Dose oder hängt da noch eine Verlängerung dran?"},
            {"author": "lukas", "after_hours": 3,
             "body": "Da hing tatsächlich ein 10-m-Verlängerungskabel dran. Ich teste es "
                     "heute Abend ohne."},
            {"author": "tim", "after_hours": 22, "official": True, "accepted": True,
             "helpful": ["lukas", "jonas", "mehmet"],
             "body": """Hallo Lukas,

ich habe die Leitung durchgemessen und das Profil auf **stabil** umgestellt
(etwas mehr Störabstand, dafür ca. 90 statt 100 Mbit/s). Zusammen mit dem Entfernen der
Verlängerung sollten die Abbrüche weg sein.

Falls nicht: Schreib hier einfach, dann schicken wir einen Techniker.

Tim vom Kundenservice"""},
            {"author": "lukas", "after_hours": 75,
             "body": "Seit drei Abenden kein einziger Abbruch mehr. Vielen Dank euch beiden!"},
        ],
    },
    {
        "key": "port-forwarding", "category": "internet", "author": "priya", "days_ago": 27.6,
        "title": "Router Box 7: how do I set up port forwarding for my NAS?",
        "tags": ["router", "port-forwarding", "nas"],
        "body": """I want to reach my Synology NAS from outside (HTTPS on port 5001).
I found *Internet → Permit access* in the router menu, but I'm not sure what to enter,
and it doesn't seem to work from my phone on mobile data.""",
        "replies": [
            {"author": "james", "after_hours": 2, "accepted": True,
             "helpful": ["priya", "emily"],
             "body": """This worked for me on the Router Box 7:

```
Internet → Permit access → Port sharing → Add device for sharing
  Device:        nas (192.168.178.20)
  Application:   Other application
  Protocol:      TCP
  Port to device: 5001  through 5001
  Port requested externally (IPv4): 5001
```

Two things to check:

1. Give the NAS a **fixed IP** (*Home network → Network → Always assign the same IPv4
   address*).
2. If you have **DS-Lite** (no public IPv4 address), port forwarding over IPv4 can't
   work. Check *Overview → Connection*: if it says "DS-Lite tunnel", ask support for a
   public IPv4 address."""},
            {"author": "priya", "after_hours": 5,
             "body": "It was DS-Lite! Support switched me to dual stack and now it works. "
                     "Thanks James."},
        ],
    },
    {
        "key": "stoerung-koeln", "category": "internet", "author": "mehmet", "days_ago": 0.35,
        "title": "Störung in 50667 Köln – seit heute Morgen kein Internet",
        "tags": ["stoerung", "koeln"],
        "body": """Seit ca. 7 Uhr heute Morgen geht bei uns gar nichts mehr: Die
DSL-Lampe am Router blinkt nur, Telefon ist auch tot. Nachbarn im Haus haben das Gleiche.

Ist da eine größere Störung bekannt? Ich arbeite im Homeoffice und brauche eine Info,
wie lange das dauert.""",
        "replies": [
            {"author": "anna", "after_hours": 0.5,
             "body": "Bei meinen Eltern in der Südstadt ist es genauso, also wohl ein "
                     "größeres Problem."},
            {"author": "tim", "after_hours": 1.5, "official": True, "helpful": ["mehmet"],
             "body": """Hallo Mehmet,

ja, leider: In Teilen von Köln-Innenstadt ist bei Bauarbeiten ein Kabel beschädigt
worden. Die Techniker sind vor Ort, wir rechnen mit einer Behebung **heute bis ca.
18 Uhr**.

Als Überbrückung kannst du in *Mein Konto* kostenlos **unbegrenztes Datenvolumen** für
dein Handy freischalten (Hotspot erlaubt). Den aktuellen Stand findest du auf der
[Störungsseite](https://example.com/stoerungen).

Tim vom Kundenservice"""},
        ],
    },
    {
        "key": "glasfaser-freischaltung", "category": "internet", "author": "jonas",
        "days_ago": 16.4,
        "title": "Glasfaser-Anschluss: Wie lange dauert die Freischaltung nach dem Hausanschluss?",
        "tags": ["glasfaser", "anschluss"],
        "body": """Der Glasfaser-Hausanschluss wurde letzte Woche gelegt, das Modem (ONT)
hängt im Keller und leuchtet. Seitdem passiert nichts. Der Bautrupp meinte, die
Freischaltung komme „automatisch“.

Wie lange dauert das erfahrungsgemäß?""",
        "replies": [
            {"author": "lukas", "after_hours": 8, "helpful": ["jonas"],
             "body": "Bei mir waren es zwei Wochen zwischen Hausanschluss und Freischaltung. "
                     "Den Termin bekommst du per Brief und SMS."},
            {"author": "sarah", "after_hours": 26, "official": True,
             "body": "Hallo Jonas, nach dem Hausanschluss dauert die Freischaltung "
                     "normalerweise 10 bis 14 Tage. Deine Freischaltung ist für Donnerstag "
                     "geplant; die Bestätigung kommt per SMS. Viele Grüße, Sarah"},
        ],
    },
    {
        "key": "wifi-5ghz", "category": "internet", "author": "james", "days_ago": 21.9,
        "title": "5 GHz Wi-Fi network keeps disappearing",
        "tags": ["wifi", "5ghz", "router"],
        "body": """Every couple of hours my laptop and phone lose the **5 GHz network**
for about a minute, then it comes back. The 2.4 GHz network stays up.

I live in a flat with lots of neighbours' networks around. Is this a router fault?""",
        "replies": [
            {"author": "priya", "after_hours": 3, "accepted": True,
             "helpful": ["james", "lukas", "emily"],
             "body": """That sounds like **DFS** (dynamic frequency selection): on channels
52–140 the router has to leave the channel for a minute when it detects weather radar.

Fix: *Wi-Fi → Radio channel → Edit radio channel settings* and choose a channel from
**36, 40, 44 or 48** for 5 GHz. Those channels never need DFS."""},
            {"author": "james", "after_hours": 50,
             "body": "Switched to channel 44 two days ago, not a single drop since. "
                     "Brilliant, thanks!"},
        ],
    },
    {
        "key": "sip-telefonie", "category": "internet", "author": "jonas", "days_ago": 38.3,
        "title": "Festnetz-Telefonie mit eigenem Router einrichten (SIP-Zugangsdaten)",
        "tags": ["festnetz", "voip", "router"],
        "body": """Internet läuft mit meinem eigenen Router, aber das Telefon bleibt stumm.
Wo finde ich die **SIP-Zugangsdaten** und was muss ich eintragen?""",
        "replies": [
            {"author": "lukas", "after_hours": 4, "accepted": True,
             "helpful": ["jonas", "mehmet"],
             "body": """Die Daten stehen in *Mein Konto → Anschluss → Telefonie-Zugangsdaten*.
Bei mir sieht die Einrichtung so aus:

```
Telefonie-Anbieter:  Anderer Anbieter
Rufnummer:           0301234567  (mit Vorwahl, ohne +49)
Benutzername:        0301234567
Kennwort:            (aus Mein Konto)
Registrar:           sip.example.com
Proxy:               sip.example.com
STUN-Server:         stun.example.com
```

Danach unter *Telefonie → Telefoniegeräte* das Telefon der neuen Rufnummer zuordnen."""},
            {"author": "jonas", "after_hours": 7,
             "body": "Jetzt klingelt es endlich wieder. Danke!"},
        ],
    },
    {
        "key": "ipv6-vpn", "category": "internet", "author": "emily", "days_ago": 12.6,
        "title": "Is IPv6 supported? My work VPN breaks on DS-Lite",
        "tags": ["ipv6", "vpn", "ds-lite"],
        "body": """My company VPN (IPsec) connects but drops after a few minutes. IT says
it's because my connection is **DS-Lite** and asks whether I can get a public IPv4
address or native dual stack. Is that possible on a home plan?""",
        "replies": [
            {"author": "priya", "after_hours": 5, "helpful": ["emily"],
             "body": "I had the same problem with port forwarding. Support switched me to "
                     "**dual stack** for free, it just took a call. See my thread about the NAS."},
            {"author": "sarah", "after_hours": 11, "official": True, "helpful": ["emily"],
             "body": "Hi Emily, yes: we can switch home plans to dual stack (public IPv4 plus "
                     "IPv6) at no cost. I've requested it for your line; the router will "
                     "reconnect tonight between 2 and 4 am. – Sarah, Support team"},
        ],
    },
    {
        "key": "mesh-obergeschoss", "category": "internet", "author": "anna", "days_ago": 25.1,
        "title": "WLAN reicht nicht bis ins Obergeschoss – Mesh oder Repeater?",
        "tags": ["wlan", "mesh", "repeater"],
        "body": """Unser Router steht im Erdgeschoss im Flur, im Arbeitszimmer oben kommt
kaum noch etwas an (Videocalls ruckeln). Lohnt sich ein **Mesh-System** oder reicht ein
einfacher Repeater? Wir haben Stahlbetondecken.""",
        "replies": [
            {"author": "mehmet", "after_hours": 2,
             "body": "Bei Stahlbeton bringt ein Repeater oft wenig, weil er selbst schon "
                     "schlechten Empfang hat."},
            {"author": "jonas", "after_hours": 3.5, "accepted": True,
             "helpful": ["anna", "mehmet", "lukas", "priya"],
             "body": """Bei Betondecken würde ich das WLAN **per Kabel** nach oben bringen:

- **Mesh-Repeater mit LAN-Anschluss** oben, verbunden per Netzwerkkabel (*LAN-Brücke*)
- Wenn kein Kabel möglich ist: **Powerline** (dLAN) als Zwischenlösung
- Beide Geräte mit derselben SSID und demselben Kennwort, dann wechseln die Geräte
  automatisch

So läuft es bei uns seit einem Jahr ohne Ruckler."""},
            {"author": "anna", "after_hours": 120,
             "body": "Powerline plus Mesh-Repeater oben – Videocalls laufen jetzt stabil. Danke!"},
        ],
    },
    {
        "key": "speedtest", "category": "internet", "author": "lukas", "days_ago": 1.4,
        "title": "Speedtest zeigt nur 40 statt 250 Mbit/s",
        "tags": ["geschwindigkeit", "speedtest"],
        "body": """Ich habe einen 250er-Tarif (Kabel), aber im Speedtest am Laptop komme ich
selten über **40 Mbit/s**. Am Router selbst steht „250 Mbit/s“.

Gemessen per WLAN im Wohnzimmer, ca. 5 m vom Router entfernt.""",
        "replies": [],
    },
    {
        "key": "outage-credit", "category": "internet", "author": "priya", "days_ago": 4.7,
        "title": "Outage lasted two days – will I get a credit on my bill?",
        "tags": ["outage", "refund"],
        "body": """My internet was down from Monday morning until Wednesday evening
(reported to support on Monday). Do I get money back automatically, or do I have to
apply for it?""",
        "replies": [
            {"author": "lukas", "after_hours": 6, "helpful": ["priya"],
             "body": "Since the TKG reform you're entitled to compensation from the "
                     "**third day** of a complete outage after reporting it. I had to ask "
                     "for it, it didn't happen automatically."},
        ],
    },
    # ------------------------------------------------------------------ mobile
    {
        "key": "roaming-tuerkei", "category": "mobile", "author": "anna", "days_ago": 31.5,
        "title": "Roaming in der Türkei – wird das extra berechnet?",
        "tags": ["roaming", "tuerkei", "urlaub"],
        "body": """Wir fliegen in den Herbstferien nach Antalya. In der EU ist Roaming ja
inklusive, aber die Türkei gehört nicht zur EU.

Was kostet dort 1 MB bzw. eine Minute? Und kann ich verhindern, dass die Kinder aus
Versehen eine riesige Rechnung produzieren?""",
        "replies": [
            {"author": "mehmet", "after_hours": 0.7, "accepted": True,
             "helpful": ["anna", "jonas", "emily"],
             "body": """Ich bin jedes Jahr in der Türkei. Wichtig:

- Die Türkei ist **Ländergruppe 2** → ohne Zusatzpaket teuer.
- Buch vorher in *Mein Konto → Roaming* das **Travel-Paket Welt** (7 Tage, 2 GB).
- Für die Kinder-SIMs dort die **Roaming-Datensperre** einschalten.
- Bei Ankunft bekommst du eine SMS mit den Preisen, die Kostengrenze liegt bei
  59,50 € pro Monat, dann wird gesperrt."""},
            {"author": "anna", "after_hours": 3,
             "body": "Super, Paket gebucht und Sperre für die Kinder aktiviert. Danke dir!"},
        ],
    },
    {
        "key": "roaming-usa", "category": "mobile", "author": "james", "days_ago": 8.4,
        "title": "Roaming not working in the USA – phone shows 'No service'",
        "tags": ["roaming", "usa", "apn"],
        "body": """I landed in New York this morning. I booked the *Travel World* pass
before leaving, data roaming is switched on, but the phone just says **No service**.
Restarting didn't help. iPhone 13.""",
        "replies": [
            {"author": "emily", "after_hours": 0.6,
             "body": "Try choosing the network manually: *Settings → Mobile Data → Network "
                     "Selection*, switch off Automatic and pick AT&T or T-Mobile."},
            {"author": "sarah", "after_hours": 1.1, "official": True, "accepted": True,
             "helpful": ["james", "emily"],
             "body": """Hi James,

in the USA only **4G/5G** is available (no 2G/3G any more), so VoLTE roaming must be
active. I've switched it on for your SIM. Please:

1. Switch airplane mode on and off.
2. If data still doesn't work, check the APN:

```
APN:       internet.example
Username:  (empty)
Password:  (empty)
```

Enjoy your trip! Sarah, Support team"""},
            {"author": "james", "after_hours": 1.5,
             "body": "Working now, on T-Mobile with 5G. Thank you both!"},
        ],
    },
    {
        "key": "esim-iphone", "category": "mobile", "author": "mehmet", "days_ago": 18.2,
        "title": "eSIM auf neues iPhone übertragen – wie geht das?",
        "tags": ["esim", "iphone"],
        "body": """Ich habe ein neues iPhone 15 und möchte meine **eSIM** vom alten iPhone
übertragen. Geht das direkt per Schnellstart oder brauche ich einen neuen QR-Code?""",
        "replies": [
            {"author": "priya", "after_hours": 1, "accepted": True,
             "helpful": ["mehmet", "jonas"],
             "body": """Both work, but the direct transfer is quickest:

1. Keep both iPhones next to each other, both on Wi-Fi.
2. New iPhone: *Settings → Mobile Data → Add eSIM → Transfer from nearby iPhone*.
3. Confirm on the old iPhone.

If that fails, order a new eSIM profile in *My account → SIM → Replace eSIM*: you get a
QR code by e-mail within minutes (free of charge once a year)."""},
            {"author": "mehmet", "after_hours": 2,
             "body": "Direktübertragung hat sofort geklappt. Thanks Priya!"},
        ],
    },
    {
        "key": "porting-number", "category": "mobile", "author": "sophie", "days_ago": 15.5,
        "title": "Porting my number from another provider – how long does it take?",
        "tags": ["porting", "number", "switch"],
        "body": """I'd like to switch to you and keep my mobile number. My current contract
ends in six weeks. When should I request the porting, and will I be without a working
phone for a while?""",
        "replies": [
            {"author": "jonas", "after_hours": 3, "helpful": ["sophie"],
             "body": "You can request it any time before the end of the contract. The "
                     "actual switch happens on the day your old contract ends."},
            {"author": "tim", "after_hours": 7, "official": True, "accepted": True,
             "helpful": ["sophie", "emily"],
             "body": """Hi Sophie,

to port your number:

- Order the new plan and tick **“Take my number with me”**.
- Enter the date your old contract ends; we request the porting from your old provider.
- On the switch day the number moves within a few hours. In the meantime the old SIM
  stops working and the new one starts – usually less than an hour without service.

Porting is free for you. Best regards, Tim"""},
        ],
    },
    {
        "key": "datenvolumen", "category": "mobile", "author": "jonas", "days_ago": 10.2,
        "title": "Datenvolumen nach 10 Tagen aufgebraucht – wer verbraucht das?",
        "tags": ["datenvolumen", "android"],
        "body": """Ich habe 15 GB im Monat und das hat immer gereicht. Diesen Monat war nach
**10 Tagen** alles weg, obwohl ich nichts anders gemacht habe. Kann ich irgendwo sehen,
welche App das war?""",
        "replies": [
            {"author": "mehmet", "after_hours": 1.5, "accepted": True,
             "helpful": ["jonas", "anna", "lukas"],
             "body": """Auf Android: *Einstellungen → Netzwerk & Internet → SIMs →
App-Datennutzung*. Typische Verdächtige:

- **Foto-Backup** (Google Fotos, OneDrive) über Mobilfunk
- **App-Updates** über mobile Daten
- Autoplay in Instagram/TikTok in hoher Qualität

Ich würde Backups nur im WLAN erlauben."""},
            {"author": "jonas", "after_hours": 5,
             "body": "Es war tatsächlich das Foto-Backup nach einem Handywechsel – 9 GB! "
                     "Jetzt nur noch im WLAN."},
        ],
    },
    {
        "key": "pin-puk", "category": "mobile", "author": "priya", "days_ago": 5.4,
        "title": "SIM blocked after entering the wrong PIN three times – where is my PUK?",
        "tags": ["sim", "puk"],
        "body": """My phone now asks for a **PUK**. I don't have the original SIM card
holder any more. Where can I find the PUK?""",
        "replies": [
            {"author": "emily", "after_hours": 0.3, "accepted": True,
             "helpful": ["priya", "james"],
             "body": "In *My account → SIM → Show PUK* (you need to log in on another "
                     "device). Careful: after **ten** wrong PUK attempts the SIM is "
                     "permanently blocked and you need a replacement."},
            {"author": "priya", "after_hours": 0.8,
             "body": "Found it, phone works again. Phew, thank you!"},
        ],
    },
    {
        "key": "portierung-gescheitert", "category": "mobile", "author": "lukas",
        "days_ago": 2.9,
        "title": "Rufnummernmitnahme gescheitert – „Daten stimmen nicht überein“",
        "tags": ["rufnummernmitnahme", "anbieterwechsel"],
        "body": """Meine Rufnummernmitnahme wurde abgelehnt, Begründung: *Daten stimmen nicht
mit dem abgebenden Anbieter überein*. Ich habe Name, Geburtsdatum und Kundennummer
doppelt geprüft.

Mein alter Vertrag endet in 5 Tagen. Was kann ich jetzt noch tun?""",
        "replies": [
            {"author": "anna", "after_hours": 4,
             "body": "Oft liegt es an der Schreibweise (z. B. „ue“ statt „ü“ oder ein zweiter "
                     "Vorname). Frag beim alten Anbieter nach, wie genau du dort "
                     "gespeichert bist."},
        ],
    },
    {
        "key": "multisim-watch", "category": "mobile", "author": "emily", "days_ago": 13.1,
        "title": "Can I get a second SIM (multi-SIM) for my smartwatch?",
        "tags": ["multisim", "smartwatch", "esim"],
        "body": """I have an Apple Watch with LTE. Can I share my phone number and data with
the watch, and what does it cost per month?""",
        "replies": [
            {"author": "james", "after_hours": 5, "helpful": ["emily"],
             "body": "I use it with my Galaxy Watch: it's called **MultiSIM** and costs "
                     "4.95 €/month. The watch gets an eSIM, same number, shared data."},
        ],
    },
    {
        "key": "empfang-wohnung", "category": "mobile", "author": "anna", "days_ago": 7.2,
        "title": "Kein Empfang mehr in der Wohnung seit zwei Wochen",
        "tags": ["empfang", "netz"],
        "body": """Seit etwa zwei Wochen habe ich in meiner Wohnung (Erdgeschoss, Altbau) fast
keinen Empfang mehr, draußen ist alles normal. Vorher lief es jahrelang problemlos.
Wurde an einem Mast etwas geändert?""",
        "replies": [
            {"author": "mehmet", "after_hours": 6,
             "body": "Schalte mal **WLAN-Call** (VoWiFi) ein, dann telefonierst du drinnen "
                     "über dein WLAN. Behebt nicht die Ursache, hilft aber sofort."},
            {"author": "tim", "after_hours": 28, "official": True, "helpful": ["anna"],
             "body": "Hallo Anna, in deiner Umgebung wird gerade ein Standort auf 5G "
                     "umgebaut; die Arbeiten sollen Ende des Monats abgeschlossen sein. Bis "
                     "dahin ist WLAN-Call die beste Lösung. Viele Grüße, Tim"},
        ],
    },
    {
        "key": "tethering", "category": "mobile", "author": "james", "days_ago": 20.3,
        "title": "Is hotspot / tethering allowed on my plan?",
        "tags": ["hotspot", "tethering"],
        "body": """I want to use my phone as a hotspot for my laptop on the train. Is that
allowed on the *Mobile M* plan, or does it cost extra?""",
        "replies": [
            {"author": "priya", "after_hours": 2, "accepted": True, "helpful": ["james"],
             "body": "It's allowed on all current plans at no extra cost; the data simply "
                     "counts against your normal volume. Only some old prepaid plans blocked it."},
        ],
    },
    {
        "key": "wlan-call-android", "category": "mobile", "author": "mehmet", "days_ago": 0.6,
        "title": "WLAN-Call auf Android lässt sich nicht aktivieren",
        "tags": ["wlan-call", "vowifi", "android"],
        "body": """Bei meinem Pixel 8 ist die Option **WLAN-Anrufe** ausgegraut. Im Tarif
steht, dass WLAN-Call inklusive ist. Muss das erst freigeschaltet werden?""",
        "replies": [],
    },
    {
        "key": "switzerland", "category": "mobile", "author": "sophie", "days_ago": 3.6,
        "title": "Data pass for a week in Switzerland?",
        "tags": ["roaming", "switzerland"],
        "body": """Switzerland isn't in the EU, so I guess EU roaming doesn't apply? I'm going
skiing for a week and mainly need maps and messaging. Which pass would you recommend?""",
        "replies": [],
    },
    # ------------------------------------------------------------------ devices
    {
        "key": "router-rot", "category": "devices", "author": "jonas", "days_ago": 26.8,
        "title": "Router Box 7 blinkt rot – was bedeutet das?",
        "tags": ["router", "led"],
        "body": """Seit heute blinkt die **Info-LED rot** und das Internet ist weg. Die
Power-LED leuchtet grün. Neustart hat nichts gebracht.""",
        "replies": [
            {"author": "lukas", "after_hours": 0.5, "accepted": True,
             "helpful": ["jonas", "anna"],
             "body": """Rotes Blinken heißt bei der Box 7: **keine Verbindung zum Anbieter**.
Prüf der Reihe nach:

1. Steckt das DSL-Kabel fest in der TAE-Dose (Buchse **F**)?
2. Unter `http://192.168.178.1` → *Übersicht* steht die genaue Meldung.
3. Auf der Störungsseite nach deiner Postleitzahl schauen.

Meist ist es ein lockeres Kabel oder eine Störung."""},
            {"author": "jonas", "after_hours": 1,
             "body": "Das Kabel war beim Staubsaugen halb rausgerutscht. Peinlich, aber danke!"},
        ],
    },
    {
        "key": "return-router", "category": "devices", "author": "emily", "days_ago": 35.7,
        "title": "How do I return the rented router after cancelling?",
        "tags": ["router", "return", "cancellation"],
        "body": """My contract ended last week. Do I need to send the router back, and
where? I haven't received any label.""",
        "replies": [
            {"author": "sarah", "after_hours": 3, "official": True, "accepted": True,
             "helpful": ["emily"],
             "body": """Hi Emily,

yes, rented devices go back within **14 days** after the contract ends:

- Download the free return label in *My account → Devices → Return*.
- Pack the router, power supply and cable (the box isn't required).
- Drop it at any DHL point and keep the receipt.

If the device doesn't arrive, we'd have to charge the replacement value, so the receipt
matters. Sarah, Support team"""},
        ],
    },
    {
        "key": "displayschaden", "category": "devices", "author": "mehmet", "days_ago": 9.9,
        "title": "Handy auf Raten: Displayschaden – greift die Geräteversicherung?",
        "tags": ["smartphone", "versicherung", "ratenkauf"],
        "body": """Mein Smartphone (noch 14 Raten offen) ist mir heruntergefallen, Display
gesprungen. Ich habe beim Kauf die **Geräteversicherung** abgeschlossen. Wie läuft die
Reparatur ab und muss ich eine Selbstbeteiligung zahlen?""",
        "replies": [
            {"author": "anna", "after_hours": 9, "helpful": ["mehmet"],
             "body": "Bei mir gab es 49 € Selbstbeteiligung, Abholung per Kurier, nach 5 Tagen "
                     "war das Handy repariert zurück. Schaden meldest du direkt in der App "
                     "der Versicherung."},
        ],
    },
    {
        "key": "factory-reset", "category": "devices", "author": "priya", "days_ago": 22.6,
        "title": "Factory reset on Router Box 7 – lost my Wi-Fi password",
        "tags": ["router", "reset", "wifi"],
        "body": """I reset the router to factory settings. Now I can't connect: the Wi-Fi
password I used before doesn't work any more. What is the default?""",
        "replies": [
            {"author": "james", "after_hours": 1, "accepted": True,
             "helpful": ["priya", "emily", "sophie"],
             "body": """After a factory reset the router uses the values printed on the
**sticker on the bottom**:

```
Wi-Fi network (SSID):  Router-Box-7-XY
Wi-Fi key (WPA2):      1234 5678 9012 3456 7890
Router password:       word-word-1234
```

Your internet credentials are restored automatically after a few minutes (the router
fetches its configuration), no need to re-enter them."""},
        ],
    },
    {
        "key": "nur-4g", "category": "devices", "author": "anna", "days_ago": 4.3,
        "title": "Neues Smartphone zeigt nur 4G statt 5G an",
        "tags": ["5g", "smartphone"],
        "body": """Mein neues Samsung Galaxy zeigt immer nur **4G**, obwohl mein Tarif 5G
enthält und laut Netzkarte bei mir 5G verfügbar ist.""",
        "replies": [
            {"author": "jonas", "after_hours": 2, "helpful": ["anna"],
             "body": "Schau unter *Einstellungen → Verbindungen → Mobile Netzwerke → "
                     "Netzmodus*, ob dort **5G/LTE/3G/2G (automatisch)** ausgewählt ist. "
                     "Ab Werk steht das bei manchen Geräten auf LTE."},
        ],
    },
    {
        "key": "mesh-firmware", "category": "devices", "author": "james", "days_ago": 1.1,
        "title": "Firmware update broke my mesh setup",
        "tags": ["mesh", "firmware", "router"],
        "body": """After last night's automatic firmware update, my two mesh repeaters show
as *not connected* in the router menu. They're still powered and the LEDs are white.
Re-pairing via the button didn't work.""",
        "replies": [],
    },
    {
        "key": "eigener-router", "category": "devices", "author": "lukas", "days_ago": 40.2,
        "title": "Eigenen Router statt Mietrouter verwenden – welche Zugangsdaten brauche ich?",
        "tags": ["routerfreiheit", "router", "zugangsdaten"],
        "body": """Ich möchte meinen eigenen Router verwenden und den Mietrouter zurückgeben.
Welche Daten muss ich im eigenen Router eintragen?""",
        "replies": [
            {"author": "jonas", "after_hours": 5, "accepted": True,
             "helpful": ["lukas", "mehmet"],
             "body": """Dank **Routerfreiheit** geht das problemlos. Du brauchst die
Zugangsdaten aus *Mein Konto → Anschluss → Internet-Zugangsdaten*:

```
Anschlussart:   DSL (VDSL2, Vectoring)
VLAN-ID:        7
Benutzername:   ab123456@example-dsl.de
Kennwort:       (aus Mein Konto)
```

Für die Telefonie findest du die SIP-Daten im Thread
[Festnetz-Telefonie mit eigenem Router](https://example.com/community/sip)."""},
        ],
    },
    # ------------------------------------------------------------------ community
    {
        "key": "dark-mode", "category": "community", "author": "lukas", "days_ago": 17.4,
        "title": "Wunsch: Dark Mode für die Mein-Konto-App",
        "tags": ["app", "wunsch"],
        "body": """Die App ist abends im Bett ziemlich grell. Ein **Dark Mode**, der der
Systemeinstellung folgt, wäre super. Wer ist noch dafür?""",
        "replies": [
            {"author": "emily", "after_hours": 2, "helpful": ["lukas"],
             "body": "+1 from me. Would also love a bigger font option."},
            {"author": "katrin", "after_hours": 30,
             "body": "Danke für den Vorschlag! Ich habe ihn an das App-Team weitergegeben. "
                     "Stimmt gerne weiter mit „hilfreich“ ab, das hilft bei der Priorisierung."},
        ],
    },
    {
        "key": "daily-usage", "category": "community", "author": "james", "days_ago": 5.9,
        "title": "Feature request: show data usage per day in the app",
        "tags": ["app", "feature-request"],
        "body": """The app only shows the total data used this month. A simple chart per
day would help to spot which day something went wrong (like Jonas's backup problem).""",
        "replies": [],
    },
]

# Example imprint and privacy policy (Markdown), marked as examples: an operator replaces
# them on the admin page "Data retention" before going live. The privacy policy page
# adds the retention periods from the settings by itself.
LEGAL_PAGES = {
    ("imprint", "de"): """**Beispiel – bitte vor dem Start ersetzen.**

## Angaben gemäß § 5 DDG

Beispiel Telekommunikation GmbH
Musterstraße 1
10115 Berlin

Vertreten durch die Geschäftsführung: Erika Mustermann
Registergericht: Amtsgericht Berlin-Charlottenburg, HRB 000000
USt-IdNr.: DE000000000

## Kontakt

E-Mail: community@example.com""",
    ("imprint", "en"): """**Example – please replace before going live.**

## Legal notice (§ 5 DDG)

Beispiel Telekommunikation GmbH
Musterstraße 1
10115 Berlin, Germany

Managing director: Erika Mustermann
Register court: Amtsgericht Berlin-Charlottenburg, HRB 000000
VAT ID: DE000000000

## Contact

E-mail: community@example.com""",
    ("privacy", "de"): """**Beispiel – bitte vor dem Start ersetzen.**

## Verantwortlicher

Beispiel Telekommunikation GmbH (siehe Impressum). Datenschutzbeauftragte:
datenschutz@example.com

## Was wir verarbeiten und warum

- **Ihr Konto** (Name, E-Mail-Adresse, Passwort als Hash): damit Sie Fragen stellen und
  beantworten können (Art. 6 Abs. 1 lit. b DSGVO).
- **Ihre Beiträge** sind öffentlich. Bitte schreiben Sie keine Vertrags-, Telefon- oder
  Kontonummern hinein; das Forum warnt Sie, bevor so etwas öffentlich wird.
- **Anfragen an das Support-Team** und private Angaben dazu sieht nur das Support-Team.
- **IP-Adressen** nur zum Schutz vor Missbrauch (Anmeldeversuche, Registrierungen).

## Ihre Rechte

Sie können Ihre Daten in den Einstellungen jederzeit herunterladen (Art. 15, 20 DSGVO)
und Ihr Konto löschen (Art. 17 DSGVO). Sie haben das Recht, sich bei einer
Aufsichtsbehörde zu beschweren.""",
    ("privacy", "en"): """**Example – please replace before going live.**

## Controller

Beispiel Telekommunikation GmbH (see the imprint). Data protection officer:
datenschutz@example.com

## What we process and why

- **Your account** (name, e-mail address, password as a hash): so that you can ask and
  answer (Art. 6(1)(b) GDPR).
- **Your posts** are public. Please do not write contract, phone or account numbers in
  them; the forum warns you before such data goes public.
- **Requests to the support team** and the private details you give them are seen by the
  support team only.
- **IP addresses** only to protect against abuse (login attempts, registrations).

## Your rights

You can download your data on your settings page at any time (Art. 15 and 20 GDPR) and
delete your account (Art. 17 GDPR). You have the right to complain to a supervisory
authority.""",
}
