"""Word lists and text templates for ``flask --app community demo generate``.

Texts are built from Markdown fragments (paragraphs, lists, code blocks) with
``{slot}`` placeholders. Every fragment is a block of its own, so a post's HTML is
the concatenation of its fragments' HTML and each distinct fragment is rendered
only once (see ``generate.Composer``).
"""

FIRST_NAMES = {
    "de": ["Anna", "Lukas", "Leonie", "Jonas", "Marie", "Felix", "Lena", "Paul", "Sophie",
           "Maximilian", "Laura", "Tim", "Julia", "Niklas", "Hannah", "Finn", "Lea", "Elias",
           "Katharina", "Moritz", "Sarah", "Jan", "Johanna", "Tobias", "Emma", "David",
           "Mia", "Florian", "Clara", "Sebastian", "Nina", "Stefan", "Sabine", "Thomas",
           "Petra", "Andreas", "Birgit", "Mehmet", "Ayşe", "Emre", "Zeynep", "Jürgen",
           "Ute", "Dirk", "Gülsüm", "Björn", "Jörg", "Frauke"],
    "en": ["Emily", "James", "Olivia", "Jack", "Amelia", "Harry", "Isla", "Oliver", "Ava",
           "George", "Grace", "Noah", "Chloe", "Liam", "Priya", "Arjun", "Sophie", "Daniel",
           "Hannah", "Michael", "Jessica", "Ryan", "Megan", "Samuel", "Ella", "Thomas",
           "Lucy", "Benjamin", "Zoe", "Matthew", "Rachel", "Aidan", "Chloé", "Mateo",
           "Lucía", "Kofi", "Amara", "Wei", "Mei", "Yusuf"],
}
LAST_NAMES = {
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
           "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Yılmaz", "Kaya",
           "Demir", "Nowak", "Kowalski", "Petrović", "Jansen", "Friedrich", "Vogel"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
           "Green", "Hall", "Wood", "Jackson", "Clarke", "O'Brien", "Murphy", "Kelly",
           "Sharma", "Singh", "Chen", "Nguyen", "Garcia", "Martinez", "Okafor", "Mensah",
           "Laurent", "Rossi"],
}
NICKNAMES = ["techfan", "gamer", "homeoffice", "pendler", "commuter", "student", "oma",
             "papa", "nerd", "surfer", "traveller", "kölsch", "berliner", "munich", "ruhrpott"]

STAFF_TITLES = ["Kundenservice", "Support team", "Technik-Support", "Customer care"]

SLOTS = {
    "de": {
        "month": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                  "September", "Oktober", "November", "Dezember"],
        "amount": ["9,99 €", "14,95 €", "19,99 €", "24,99 €", "29,99 €", "34,99 €", "39,99 €",
                   "44,95 €", "49,99 €", "59,99 €", "79,90 €", "112,37 €"],
        "city": ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf",
                 "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg",
                 "Münster", "Freiburg", "Kiel", "Rostock"],
        "country": ["Spanien", "Italien", "der Türkei", "Kroatien", "Griechenland",
                    "der Schweiz", "Österreich", "Thailand", "den USA", "Ägypten", "Norwegen",
                    "Portugal", "Großbritannien"],
        "date": ["31.03.", "30.06.", "30.09.", "31.12.", "Monatsende", "1. des Monats"],
        "weekday": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
                    "Sonntag"],
    },
    "en": {
        "month": ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"],
        "amount": ["€9.99", "€14.95", "€19.99", "€24.99", "€29.99", "€34.99", "€39.99",
                   "€44.95", "€49.99", "€59.99", "€79.90", "€112.37"],
        "city": ["Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart",
                 "Düsseldorf", "Leipzig", "Dortmund", "Bremen", "Dresden", "Hanover"],
        "country": ["Spain", "Italy", "Turkey", "Croatia", "Greece", "Switzerland", "the UK",
                    "Thailand", "the USA", "Egypt", "Norway", "Portugal", "Canada"],
        "date": ["end of March", "end of June", "end of September", "end of the year",
                 "end of the month"],
        "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                    "Sunday"],
    },
    "any": {
        "plan": ["Mobil S", "Mobil M", "Mobil L", "Mobil Unlimited", "DSL 50", "DSL 100",
                 "DSL 250", "Glasfaser 500", "Glasfaser 1000", "Kabel 250", "Prepaid Smart"],
        "speed": ["16", "50", "100", "175", "250", "500", "1000"],
        "router": ["Router Box 7", "Router Box 6", "Fritzbox 7590", "Fritzbox 7530",
                   "Speedport Smart 4", "Glasfaser-Modem", "Kabelrouter CR3"],
        "phone": ["iPhone 15", "iPhone 13", "iPhone SE", "Pixel 8", "Galaxy S24", "Galaxy A54",
                  "Xiaomi 13", "Fairphone 5", "Nokia G42", "OnePlus 12"],
        "device": ["Laptop", "Smart-TV", "PS5", "iPad", "MacBook", "Xbox", "Drucker",
                   "Apple Watch", "Galaxy Watch", "Echo Dot"],
        "app": ["Mein Konto", "MeinKonto-App", "Speedtest-App", "Router-App"],
        "n": ["2", "3", "4", "5", "6", "8", "10", "12", "14", "20"],
        "gb": ["5", "10", "15", "20", "25", "40", "50", "100"],
        "hour": ["7", "8", "12", "17", "18", "19", "20", "21", "22", "23"],
    },
}

TOPICS = ("billing", "internet", "mobile", "devices", "community")
TOPIC_WEIGHTS = (24, 32, 28, 12, 4)

TAGS = {
    "billing": ["rechnung", "invoice", "kuendigung", "cancellation", "vertrag", "sepa",
                "gutschrift", "refund", "umzug", "tarifwechsel", "drittanbieter", "mahnung"],
    "internet": ["dsl", "glasfaser", "fibre", "kabel", "wlan", "wifi", "router", "stoerung",
                 "outage", "festnetz", "ipv6", "speed", "mesh", "port-forwarding"],
    "mobile": ["roaming", "esim", "sim", "datenvolumen", "data", "5g", "empfang", "coverage",
               "rufnummernmitnahme", "porting", "prepaid", "hotspot", "vowifi", "puk"],
    "devices": ["router", "smartphone", "iphone", "android", "firmware", "reset", "mesh",
                "ratenkauf", "ruecksendung", "return", "versicherung", "display"],
    "community": ["app", "feedback", "wunsch", "feature-request", "website", "lob"],
}

# Each question: its title and the sentence that opens its body (after the greeting),
# so that a thread's text is about what its title says.
SUBJECTS = {
    ("billing", "de"): [
        ("Rechnung für {month} zu hoch – {amount} statt sonst {amount2}?",
         "auf meiner Rechnung für {month} stehen **{amount}**, normalerweise zahle ich "
         "{amount2}."),
        ("Doppelte Abbuchung im {month}",
         "im {month} wurde der Betrag von **{amount}** zweimal von meinem Konto abgebucht."),
        ("Kündigung zum {date}: keine Bestätigung erhalten",
         "ich habe zum {date} gekündigt, aber bisher keine Kündigungsbestätigung bekommen."),
        ("Sonderkündigungsrecht bei Umzug nach {city}?",
         "ich ziehe nach {city} und weiß nicht, ob ich meinen Vertrag ({plan}) mitnehmen kann."),
        ("Wie ändere ich meine Bankverbindung (SEPA-Mandat)?",
         "ich habe ein neues Girokonto und möchte die Lastschrift darauf umstellen."),
        ("Unbekanntes Drittanbieter-Abo über {amount} auf der Rechnung",
         "auf der Rechnung taucht ein Abo eines Drittanbieters über {amount} auf, das ich nie "
         "abgeschlossen habe."),
        ("Tarifwechsel von {plan} zu {plan2} – ab wann gilt der neue Preis?",
         "ich möchte von {plan} auf {plan2} wechseln, finde aber in der {app} keinen Button "
         "dafür."),
        ("Mahnung erhalten, obwohl die Rechnung für {month} bezahlt ist",
         "ich habe eine Mahnung bekommen, obwohl die Rechnung für {month} längst bezahlt ist."),
        ("Gutschrift für die Störung im {month} fehlt",
         "für die Störung im {month} wurde mir eine Gutschrift zugesagt, auf der Rechnung sehe "
         "ich aber nichts."),
        ("Preiserhöhung angekündigt – darf ich kündigen?",
         "mein Tarif soll ab dem 1. des übernächsten Monats teurer werden."),
        ("Vertrag mit {plan} verlängert sich automatisch – wie lange noch?",
         "mein Vertrag ({plan}) läuft bald aus und ich weiß nicht, ob und wie lange er sich "
         "verlängert."),
        ("Rechnung als PDF: Wo finde ich die Rechnungen der letzten {n} Monate?",
         "ich brauche die Rechnungen der letzten {n} Monate als PDF für die Steuererklärung."),
    ],
    ("billing", "en"): [
        ("Bill for {month} is higher than usual ({amount} instead of {amount2})",
         "my bill for {month} says **{amount}**, usually I pay {amount2}."),
        ("Charged twice in {month}",
         "in {month} the amount of **{amount}** was debited twice from my account."),
        ("How do I cancel my contract when moving to {country}?",
         "I'm moving to {country} and need to end my contract ({plan})."),
        ("No cancellation confirmation received for the {date}",
         "I cancelled for the {date} but never received a confirmation."),
        ("Changing my bank account for direct debit",
         "I opened a new bank account and want the direct debit to use it."),
        ("Unknown third-party subscription of {amount} on my bill",
         "there is a third-party subscription of {amount} on my invoice that I never signed "
         "up for."),
        ("Switching from {plan} to {plan2} – when does the new price apply?",
         "I want to switch from {plan} to {plan2} but can't find the option in the {app}."),
        ("Got a payment reminder although {month} is paid",
         "I got a payment reminder although {month} was paid on time."),
        ("Credit for the outage in {month} still missing",
         "I was promised a credit for the outage in {month}, but it's not on my invoice."),
        ("Price increase announced – can I cancel early?",
         "I was told my plan will get more expensive from next month."),
        ("Where can I download the invoices of the last {n} months?",
         "I need the invoices of the last {n} months as PDFs for my tax return."),
    ],
    ("internet", "de"): [
        ("Internet bricht abends ab ({plan})",
         "seit {weekday} bricht meine Internetverbindung mehrmals täglich ab, vor allem ab "
         "{hour} Uhr."),
        ("Seit {weekday} kein Internet in {city}",
         "bei uns in {city} geht seit {weekday} gar nichts mehr, die DSL-LED blinkt nur."),
        ("Störung in {city}? Router zeigt keine Verbindung",
         "mein {router} zeigt seit heute Morgen „keine Verbindung“, Nachbars Internet in "
         "{city} ist auch weg."),
        ("Nur {measured} statt {speed} Mbit/s im Speedtest",
         "laut Vertrag habe ich {speed} Mbit/s, im Speedtest komme ich aber nur auf "
         "{measured}."),
        ("WLAN reicht nicht bis ins {room}",
         "das WLAN vom {router} kommt im {room} kaum an."),
        ("{router}: Portfreigabe einrichten",
         "ich möchte an meinem {router} eine Portfreigabe für meinen Server einrichten."),
        ("Festnetz-Telefonie funktioniert nach Router-Tausch nicht mehr",
         "nach dem Tausch auf den {router} funktioniert das Festnetztelefon nicht mehr."),
        ("Glasfaser-Freischaltung dauert schon {n} Wochen",
         "der Glasfaser-Hausanschluss liegt seit {n} Wochen, freigeschaltet ist aber noch "
         "nichts."),
        ("WLAN-Verbindung bricht am {device} ständig ab",
         "mein {device} verliert ständig die WLAN-Verbindung, andere Geräte nicht."),
        ("IPv6 / DS-Lite: VPN funktioniert nicht",
         "mein Firmen-VPN verbindet sich, bricht aber nach ein paar Minuten ab – laut IT wegen "
         "DS-Lite."),
        ("Techniker-Termin verpasst – wie bekomme ich einen neuen?",
         "ich habe den Techniker-Termin am {weekday} verpasst und brauche einen neuen."),
        ("{router} startet alle paar Stunden neu",
         "der {router} startet alle paar Stunden von selbst neu."),
        ("Kabelanschluss: Ping beim Zocken ab {hour} Uhr sehr hoch",
         "ab etwa {hour} Uhr steigt mein Ping beim Spielen auf über 100 ms."),
    ],
    ("internet", "en"): [
        ("Internet drops every evening ({plan})",
         "since {weekday} my connection drops several times a day, especially after "
         "{hour}:00."),
        ("No internet in {city} since {weekday}",
         "nothing has worked in {city} since {weekday}, the DSL light just keeps blinking."),
        ("Outage in {city}? Router shows no connection",
         "my {router} has shown “no connection” since this morning, my neighbours in {city} "
         "are offline too."),
        ("Only {measured} instead of {speed} Mbit/s in speed tests",
         "my contract says {speed} Mbit/s but speed tests only show {measured}."),
        ("Wi-Fi doesn't reach the {room_en}",
         "the Wi-Fi from my {router} barely reaches the {room_en}."),
        ("{router}: how to set up port forwarding",
         "I want to set up port forwarding on my {router} for a home server."),
        ("Landline stopped working after swapping the router",
         "after swapping to the {router} my landline phone stopped working."),
        ("Fibre activation taking {n} weeks already",
         "the fibre connection was installed {n} weeks ago, but it still isn't activated."),
        ("Wi-Fi keeps dropping on my {device}",
         "my {device} keeps losing the Wi-Fi connection, other devices are fine."),
        ("IPv6 / DS-Lite breaks my work VPN",
         "my work VPN connects but drops after a few minutes – IT blames DS-Lite."),
        ("Missed the technician appointment – how do I get a new one?",
         "I missed the technician's visit on {weekday} and need a new appointment."),
        ("{router} reboots every few hours",
         "the {router} reboots by itself every few hours."),
        ("High ping when gaming after {hour}:00 on cable",
         "from about {hour}:00 my ping in games goes above 100 ms."),
    ],
    ("mobile", "de"): [
        ("Roaming in {country} – was kostet das?",
         "ich bin nächste Woche in {country} und frage mich, was mobiles Internet dort kostet."),
        ("Kein Netz in {country} trotz Roaming-Paket",
         "ich bin gerade in {country}, aber mein {phone} zeigt „Kein Netz“."),
        ("eSIM auf das neue {phone} übertragen",
         "ich habe ein neues {phone} und möchte meine eSIM übertragen."),
        ("Rufnummernmitnahme zum {date} – wie lange dauert das?",
         "ich möchte meine Rufnummer zum {date} vom alten Anbieter mitnehmen."),
        ("Datenvolumen ({gb} GB) nach {n} Tagen aufgebraucht",
         "mein Datenvolumen von {gb} GB war diesen Monat schon nach {n} Tagen weg."),
        ("SIM gesperrt – wo finde ich die PUK?",
         "nach dreimal falscher PIN will mein {phone} jetzt eine PUK."),
        ("Kein Empfang in der Wohnung in {city}",
         "seit {n} Tagen habe ich in meiner Wohnung in {city} kaum noch Empfang."),
        ("{phone} zeigt nur 4G statt 5G",
         "mein {phone} zeigt immer nur 4G an, obwohl {plan} 5G enthält."),
        ("WLAN-Call auf dem {phone} aktivieren",
         "bei meinem {phone} ist die Option WLAN-Anrufe ausgegraut."),
        ("Hotspot mit {plan} erlaubt?",
         "ich möchte im Zug mein Handy als Hotspot für den Laptop nutzen ({plan})."),
        ("Zweite SIM (MultiSIM) für die {watch}",
         "ich möchte meine {watch} mit eigener eSIM, aber gleicher Nummer nutzen."),
        ("Prepaid-Guthaben aufladen klappt nicht",
         "beim Aufladen meines Prepaid-Guthabens in der {app} kommt immer eine Fehlermeldung."),
    ],
    ("mobile", "en"): [
        ("Roaming in {country} – what does it cost?",
         "I'm travelling to {country} next week and wonder what mobile data costs there."),
        ("No service in {country} despite the travel pass",
         "I'm in {country} right now and my {phone} says “No service”."),
        ("Transferring my eSIM to the new {phone}",
         "I got a new {phone} and want to move my eSIM over."),
        ("Porting my number by the {date} – how long does it take?",
         "I want to keep my number when I switch to you by the {date}."),
        ("Data volume ({gb} GB) used up after {n} days",
         "my {gb} GB of data were gone after only {n} days this month."),
        ("SIM blocked – where do I find the PUK?",
         "after entering the wrong PIN three times my {phone} asks for a PUK."),
        ("No signal inside my flat in {city}",
         "for {n} days I've had almost no signal in my flat in {city}."),
        ("{phone} only shows 4G instead of 5G",
         "my {phone} only ever shows 4G although {plan} includes 5G."),
        ("How do I enable Wi-Fi calling on the {phone}?",
         "the Wi-Fi calling option on my {phone} is greyed out."),
        ("Is tethering allowed on {plan}?",
         "I'd like to use my phone as a hotspot for my laptop on the train ({plan})."),
        ("Second SIM (MultiSIM) for my {watch}",
         "I'd like my {watch} to have its own eSIM with the same number."),
        ("Prepaid top-up fails",
         "topping up my prepaid credit in the {app} always ends with an error."),
    ],
    ("devices", "de"): [
        ("{router} blinkt rot",
         "die Info-LED an meinem {router} blinkt seit heute rot."),
        ("{router} auf Werkseinstellungen – WLAN-Passwort weg",
         "ich habe den {router} zurückgesetzt und komme jetzt nicht mehr ins WLAN."),
        ("Mietrouter zurückschicken nach Kündigung",
         "mein Vertrag ist beendet und ich weiß nicht, wie ich den Mietrouter zurückschicke."),
        ("{phone} auf Raten: Displayschaden, was nun?",
         "mein {phone} (auf Raten gekauft, noch {n} Raten offen) ist heruntergefallen."),
        ("Firmware-Update für {router} – danach kein Mesh mehr",
         "nach dem letzten Firmware-Update erkennt der {router} meine Mesh-Repeater nicht "
         "mehr."),
        ("Eigenen Router statt {router} verwenden",
         "ich möchte meinen eigenen Router verwenden und den {router} zurückgeben."),
        ("{phone} lädt nicht mehr – Garantie oder Versicherung?",
         "mein {phone} lädt seit ein paar Tagen nicht mehr richtig."),
        ("Rücksendeetikett für {router} nicht erhalten",
         "für die Rücksendung des {router} habe ich nie ein Etikett bekommen."),
    ],
    ("devices", "en"): [
        ("{router} blinking red",
         "the info light on my {router} has been blinking red since this morning."),
        ("Factory reset on {router} – lost my Wi-Fi password",
         "I reset the {router} and now can't get onto the Wi-Fi."),
        ("Returning the rented router after cancelling",
         "my contract has ended and I don't know how to send the rented router back."),
        ("{phone} bought on instalments: cracked screen",
         "my {phone} (bought on instalments, {n} payments left) fell and the screen cracked."),
        ("Firmware update for {router} broke my mesh",
         "since the last firmware update the {router} doesn't find my mesh repeaters."),
        ("Using my own router instead of the {router}",
         "I want to use my own router and send the {router} back."),
        ("{phone} won't charge – warranty or insurance?",
         "my {phone} has stopped charging properly."),
        ("No return label for the {router}",
         "I never received a return label for the {router}."),
    ],
    ("community", "de"): [
        ("Wunsch: Dark Mode in der {app}",
         "die {app} ist abends ziemlich grell – ein Dark Mode wäre toll."),
        ("Lob an den Kundenservice in {city}",
         "ich wollte mich einmal beim Kundenservice bedanken, das ging super schnell."),
        ("Vorschlag: Tagesverbrauch in der {app} anzeigen",
         "es wäre praktisch, den Verbrauch pro Tag in der {app} zu sehen."),
        ("Benachrichtigungen der Community abschalten?",
         "ich bekomme zu jeder Antwort eine E-Mail und würde das gern reduzieren."),
    ],
    ("community", "en"): [
        ("Feature request: dark mode in the {app}",
         "the {app} is very bright at night – a dark mode would be great."),
        ("Thanks to the support team!",
         "I just wanted to thank the support team, that was really quick."),
        ("Suggestion: show daily data usage in the {app}",
         "it would be handy to see usage per day in the {app}."),
        ("How do I turn off community notifications?",
         "I get an e-mail for every reply and would like fewer of them."),
    ],
}
EXTRA_SLOTS = {
    "room": ["Obergeschoss", "Arbeitszimmer", "Kinderzimmer", "Schlafzimmer", "Gartenhaus"],
    "room_en": ["upstairs office", "bedroom", "kids' room", "garden shed", "attic"],
    "watch": ["Apple Watch", "Galaxy Watch", "Pixel Watch"],
}

GREETINGS = {
    "de": ["Hallo zusammen,", "Hallo,", "Hi,", "Guten Tag,", "Moin,", "Servus,",
           "Hallo liebe Community,"],
    "en": ["Hi everyone,", "Hello,", "Hi all,", "Hey,", "Good morning,"],
}

CONTEXT = {
    "de": [
        "Mein Tarif ist **{plan}**, den Vertrag habe ich seit {n} Jahren.",
        "Beim Kundenservice war die Leitung leider dauerhaft besetzt.",
        "In der {app} finde ich dazu leider nichts.",
        "Ich bin seit {n} Jahren Kunde und hatte nie Probleme.",
    ],
    "en": [
        "My plan is **{plan}**, I've been a customer for {n} years.",
        "The hotline queue was too long, so I'm trying here first.",
        "I couldn't find anything about it in the {app}.",
        "I've been a customer for {n} years and never had trouble.",
    ],
}
# Only for questions about the connection (internet, mobile, devices).
CONTEXT_CONNECTION = {
    "de": [
        "Das Problem besteht seit etwa {n} Tagen.",
        "Ich arbeite im Homeoffice und bin darauf angewiesen.",
        "Bei den Nachbarn scheint alles normal zu laufen.",
        "Vorher lief alles jahrelang ohne Probleme.",
    ],
    "en": [
        "This started about {n} days ago.",
        "I work from home, so this is quite urgent for me.",
        "My neighbours don't seem to have the problem.",
        "It used to work fine for years.",
    ],
}

STEPS = {
    ("billing", "de"): ["In der {app} unter *Rechnungen* nachgesehen", "Kontoauszug geprüft",
                        "Die Hotline angerufen", "Das Kontaktformular ausgefüllt",
                        "Die AGB gelesen", "Auf die Bestätigungsmail gewartet"],
    ("billing", "en"): ["Checked *Invoices* in the {app}", "Checked my bank statement",
                        "Called the hotline", "Filled in the contact form",
                        "Read the terms and conditions", "Waited for the confirmation e-mail"],
    ("internet", "de"): ["Router neu gestartet", "Anderes Kabel verwendet",
                         "Router direkt an die erste TAE-Dose gesteckt",
                         "WLAN-Kanal gewechselt", "Werkseinstellungen geladen",
                         "Per LAN-Kabel gemessen", "Die Störungsseite geprüft"],
    ("internet", "en"): ["Restarted the router", "Tried another cable",
                         "Plugged the router into the first wall socket",
                         "Changed the Wi-Fi channel", "Did a factory reset",
                         "Measured over a LAN cable", "Checked the outage page"],
    ("mobile", "de"): ["Handy neu gestartet", "Flugmodus an und aus",
                       "Netz manuell ausgewählt", "Datenroaming eingeschaltet",
                       "SIM-Karte neu eingelegt", "APN-Einstellungen geprüft"],
    ("mobile", "en"): ["Restarted the phone", "Toggled airplane mode",
                       "Selected the network manually", "Switched data roaming on",
                       "Re-inserted the SIM card", "Checked the APN settings"],
    ("devices", "de"): ["Gerät vom Strom getrennt", "Anderes Netzteil probiert",
                        "Reset-Knopf 10 Sekunden gedrückt", "Firmware neu eingespielt",
                        "Die Anleitung gelesen"],
    ("devices", "en"): ["Unplugged the device", "Tried another power supply",
                        "Held the reset button for 10 seconds", "Re-installed the firmware",
                        "Read the manual"],
    ("community", "de"): ["Die Einstellungen durchsucht", "Die App neu installiert"],
    ("community", "en"): ["Looked through the settings", "Re-installed the app"],
}
STEPS_INTRO = {"de": ["Das habe ich schon versucht:", "Bisher probiert:", "Was ich gemacht habe:"],
               "en": ["What I've tried so far:", "Already tried:", "Things I did:"]}

CODE = {
    "internet": [
        "```\nDSL-Sync:     Down {speed} Mbit/s / Up 40 Mbit/s\nStörabstand:  Down {n} dB / "
        "Up 6 dB\nCRC-Fehler:   1{n}.734 (24 h)\nResyncs:      {n}\n```",
        "```\nping 8.8.8.8\nRequest timeout for icmp_seq 12\nRequest timeout for icmp_seq 13\n"
        "64 bytes from 8.8.8.8: icmp_seq=14 ttl=117 time={hour}3.2 ms\n```",
        "```\nInternet → Freigaben → Portfreigaben\n  Gerät:     server (192.168.178.{n}0)\n"
        "  Protokoll: TCP\n  Port:      443 bis 443\n```",
        "```\nSystem log:\n{hour}:12:03 Internet connection lost (PPP timeout)\n"
        "{hour}:12:41 Internet connection established, IPv4 100.64.1.{n}\n```",
    ],
    "mobile": [
        "```\nAPN:        internet.example\nBenutzername: (leer)\nKennwort:   (leer)\n"
        "MCC/MNC:    262/0{n}\n```",
        "```\nNetwork: No service\nRoaming: On\nVoLTE:   Off\n```",
    ],
    "devices": [
        "```\nFirmware:  7.{n}7\nStatus:    Mesh-Repeater nicht verbunden\nLED:       weiß, "
        "blinkt\n```",
        "```\nSystem → Sicherung → Werkseinstellungen\nWLAN-Netzwerkschlüssel: siehe "
        "Typenschild\n```",
    ],
}

QUESTIONS = {
    "de": ["Hat jemand eine Idee, was ich noch tun kann?", "Kennt jemand das Problem?",
           "Was kann ich tun?", "Muss ich dafür extra anrufen?", "Danke schon mal für eure Hilfe!",
           "Wie lange dauert das normalerweise?", "Ist das bei euch auch so?"],
    "en": ["Any ideas what else I can try?", "Has anyone seen this before?",
           "What should I do?", "Do I need to call for this?", "Thanks in advance!",
           "How long does this usually take?", "Is it just me?"],
}
SIGNOFFS = {"de": ["Viele Grüße", "Danke und Gruß", "LG", "Beste Grüße", "Gruß aus {city}"],
            "en": ["Thanks", "Cheers", "Best regards", "Many thanks", "Greetings from {city}"]}

# ------------------------------------------------------------------ replies
OPENERS = {
    "de": ["Hallo,", "Hi,", "Moin,", "Das kenne ich.", "Hatte ich letzten Monat auch.",
           "Gute Frage!", "Bei mir war es genauso."],
    "en": ["Hi,", "Hello,", "I had the same issue.", "Been there.", "Good question!",
           "Same here last month."],
}
ADVICE = {
    ("billing", "de"): [
        "Lass die Lastschrift **nicht** zurückbuchen, sonst kommen Gebühren dazu – ruf lieber "
        "an und lass den Betrag beanstanden.",
        "Die Drittanbietersperre kannst du in der {app} unter *Einstellungen* kostenlos "
        "aktivieren.",
        "Bei einer Preiserhöhung hast du ein Sonderkündigungsrecht von drei Monaten ab Zugang "
        "der Mitteilung.",
        "Die Kündigungsbestätigung kam bei mir erst nach {n} Tagen per Post.",
        "Bei einem Umzug ins Ausland reicht die Abmeldebescheinigung für die Kündigung.",
        "Alle Rechnungen findest du in der {app} unter *Rechnungen → Archiv*.",
        "Der Tarifwechsel gilt immer ab dem nächsten Abrechnungsmonat.",
    ],
    ("billing", "en"): [
        "Don't reverse the direct debit, that adds fees – call and dispute the amount instead.",
        "You can block third-party billing for free in the {app} under *Settings*.",
        "A price increase gives you a special right to cancel within three months.",
        "My confirmation arrived after {n} days by post.",
        "If you move abroad, the deregistration certificate is enough to cancel.",
        "All invoices are in the {app} under *Invoices → Archive*.",
        "A plan change always applies from the next billing month.",
    ],
    ("internet", "de"): [
        "Steck den Router mal direkt an die erste TAE-Dose, ohne Verlängerungskabel.",
        "Stell den 5-GHz-Kanal auf 36, 40, 44 oder 48, dann fällt DFS weg.",
        "Schau auf der Störungsseite nach deiner Postleitzahl, da steht meistens eine "
        "Prognose.",
        "Miss bitte per LAN-Kabel, WLAN-Messungen sagen wenig über die Leitung aus.",
        "Bei DS-Lite funktioniert IPv4-Portfreigabe nicht – frag nach Dual Stack.",
        "Ein Mesh-Repeater mit LAN-Brücke hat bei uns das Problem gelöst.",
        "Der Störabstand ist zu niedrig, lass das Leitungsprofil auf *stabil* stellen.",
    ],
    ("internet", "en"): [
        "Plug the router directly into the first wall socket, without an extension cable.",
        "Set the 5 GHz channel to 36, 40, 44 or 48 so DFS doesn't kick in.",
        "Check the outage page for your postcode, it usually has an estimate.",
        "Measure over a LAN cable, Wi-Fi tests say little about the line.",
        "Port forwarding over IPv4 can't work on DS-Lite – ask for dual stack.",
        "A mesh repeater connected by LAN fixed it for us.",
        "The noise margin is too low, ask support to switch the line profile to *stable*.",
    ],
    ("mobile", "de"): [
        "Buch vorher das Travel-Paket in der {app}, ohne Paket wird es außerhalb der EU teuer.",
        "Wähl das Netz mal manuell aus und schalte Datenroaming ein.",
        "Die PUK findest du in der {app} unter *SIM → PUK anzeigen*.",
        "Schau unter *App-Datennutzung*, oft ist es ein Foto-Backup über Mobilfunk.",
        "WLAN-Call hilft drinnen sofort, wenn der Empfang schlecht ist.",
        "Die eSIM kannst du direkt von Handy zu Handy übertragen, beide im WLAN.",
        "Die Rufnummernmitnahme ist kostenlos und dauert am Stichtag nur ein paar Stunden.",
    ],
    ("mobile", "en"): [
        "Book the travel pass in the {app} before you leave, outside the EU it gets expensive.",
        "Select the network manually and switch data roaming on.",
        "The PUK is in the {app} under *SIM → Show PUK*.",
        "Check *App data usage*, it's often a photo backup over mobile data.",
        "Wi-Fi calling helps immediately when the signal indoors is bad.",
        "You can transfer the eSIM directly from phone to phone, both on Wi-Fi.",
        "Porting is free and only takes a few hours on the switch date.",
    ],
    ("devices", "de"): [
        "Rotes Blinken heißt meistens: keine Verbindung zum Anbieter. Kabel prüfen!",
        "Nach dem Reset gelten die Daten vom Aufkleber auf der Unterseite.",
        "Das Rücksendeetikett gibt es in der {app} unter *Geräte → Rücksendung*.",
        "Die Geräteversicherung hat bei mir 49 € Selbstbeteiligung gekostet.",
        "Nach Firmware-Updates musste ich die Repeater einmal neu koppeln.",
        "Mit Routerfreiheit brauchst du nur die Zugangsdaten aus der {app}.",
    ],
    ("devices", "en"): [
        "Blinking red usually means no connection to the provider. Check the cables!",
        "After a reset the values on the sticker underneath apply.",
        "The return label is in the {app} under *Devices → Return*.",
        "The device insurance cost me a 49 € excess.",
        "After firmware updates I had to re-pair the repeaters once.",
        "You only need the access data from the {app} to use your own router.",
    ],
    ("community", "de"): ["+1, das wünsche ich mir auch!", "Gute Idee, bin dabei.",
                          "Das kann man in den Einstellungen unter *Benachrichtigungen* ändern."],
    ("community", "en"): ["+1, would love that too!", "Great idea, count me in.",
                          "You can change that under *Notifications* in your settings."],
}
FOLLOWUPS = {
    "de": ["Welchen Router hast du genau?", "Tritt das zu bestimmten Uhrzeiten auf?",
           "Hast du schon beim Kundenservice angerufen?", "Welche Firmware ist drauf?",
           "In welchem Ort bist du?"],
    "en": ["Which router do you have exactly?", "Does it happen at certain times?",
           "Have you called support yet?", "Which firmware version is installed?",
           "Where are you located?"],
}
LINKS = {
    "de": ["Mehr dazu auf der [Hilfeseite](https://example.com/hilfe).",
           "Siehe auch die [Störungsseite](https://example.com/stoerungen).",
           "Die [Verbraucherzentrale](https://www.verbraucherzentrale.de/) erklärt das gut."],
    "en": ["More on the [help page](https://example.com/help).",
           "See also the [outage page](https://example.com/outages).",
           "The [Bundesnetzagentur](https://www.bundesnetzagentur.de/) explains it well."],
}
ASKER_REPLIES = {
    "de": ["Danke, das hat geholfen!", "Hat funktioniert, vielen Dank!",
           "Leider keine Besserung, gleicher Fehler wie vorher.",
           "Habe ich probiert, heute Abend berichte ich.", "Super, jetzt läuft alles wieder.",
           "Danke euch, Problem gelöst.", "Das war es tatsächlich. Danke!"],
    "en": ["Thanks, that helped!", "That worked, many thanks!",
           "Unfortunately no change, same error as before.", "Tried it, will report back tonight.",
           "Great, everything works again.", "Thanks all, problem solved.",
           "That was it indeed. Thank you!"],
}
OFFICIAL = {
    "de": ["Hallo und danke für deine Geduld,", "Hallo,", "Guten Tag,"],
    "en": ["Hi and thanks for your patience,", "Hello,", "Hi,"],
}
OFFICIAL_BODY = {
    "de": ["ich habe mir deinen Anschluss angesehen und die Einstellungen korrigiert. Bitte "
           "starte das Gerät einmal neu.",
           "das Problem ist bekannt, unsere Technik arbeitet daran. Eine Gutschrift erfolgt "
           "automatisch.",
           "ich habe die Buchung geprüft und den Betrag storniert. Du siehst die Gutschrift mit "
           "der nächsten Rechnung.",
           "ich habe einen Techniker-Termin für {weekday} zwischen 8 und 12 Uhr eingetragen.",
           "deine Anfrage ist erledigt, die Bestätigung kommt per E-Mail."],
    "en": ["I've checked your line and corrected the settings. Please restart the device once.",
           "this is a known problem and our engineers are on it. A credit is applied "
           "automatically.",
           "I checked the charge and cancelled it. The credit will show on your next invoice.",
           "I've booked a technician for {weekday} between 8 am and 12 noon.",
           "your request is done, you'll get a confirmation by e-mail."],
}
OFFICIAL_SIGN = {"de": ["Viele Grüße, dein Kundenservice", "Beste Grüße vom Support-Team"],
                 "en": ["Best regards, your support team", "Kind regards, Customer care"]}
