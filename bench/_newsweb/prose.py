"""Short generated news prose in five languages, different on every page.

Each sentence is a language's pattern filled from word pools by a random generator
seeded with the article (and its version), with numbers mixed in: two articles, or
two versions of one article, share words but not text, so the crawler's "same bytes"
and "same text" checks see what they would see on a real site. Every string is free
of '"', '<' and '&', so pages are assembled without escaping.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LANGUAGES = ("en", "de", "fr", "es", "it")


@dataclass(frozen=True)
class Vocabulary:
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    places: tuple[str, ...]
    pattern: str  # {s} subject, {v} verb, {o} object, {p} place, {n} a number
    headline: str
    sections: tuple[str, ...]
    more: str  # "next page" in this language


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


VOCABULARIES = {
    "en": Vocabulary(
        _pool("the city council; the regional board; a local union; the finance minister;"
              " the harbour authority; a group of residents; the school district;"
              " the transport agency; the health service; a coalition of farmers"),
        _pool("approved; rejected; postponed; announced; questioned; defended; revised;"
              " proposed; criticised; welcomed"),
        _pool("a new budget; the rail extension; plans for a bridge; the water tariff;"
              " a housing scheme; the recycling contract; longer opening hours;"
              " the tram timetable; a wind farm; the hospital merger"),
        _pool("in the old town; near the station; on the east bank; in the northern"
              " districts; at the port; across the valley; in the suburbs"),
        "{s} {v} {o} {p} on day {n}, citing {m} objections.",
        "{S} {v} {o}",
        _pool("politics; business; culture; sport"), "Next page"),
    "de": Vocabulary(
        _pool("der Stadtrat; die Landesregierung; eine Gewerkschaft; der Finanzminister;"
              " die Hafenbehoerde; eine Buergerinitiative; das Schulamt;"
              " der Verkehrsverbund; die Klinikleitung; ein Bauernverband"),
        _pool("billigte; verwarf; verschob; verkuendete; hinterfragte; verteidigte;"
              " ueberarbeitete; schlug vor; kritisierte; begruesste"),
        _pool("einen neuen Haushalt; die Bahnverlaengerung; den Brueckenplan;"
              " die Wassergebuehr; ein Wohnprojekt; den Entsorgungsvertrag;"
              " laengere Oeffnungszeiten; den Strassenbahnfahrplan; einen Windpark"),
        _pool("in der Altstadt; am Bahnhof; am Ostufer; in den noerdlichen Vierteln;"
              " am Hafen; im ganzen Tal; in den Vororten"),
        "{s} {v} {o} {p} am Tag {n} trotz {m} Einwaenden.",
        "{S} {v} {o}",
        _pool("politik; wirtschaft; kultur; sport"), "Naechste Seite"),
    "fr": Vocabulary(
        _pool("le conseil municipal; la region; un syndicat local; le ministre des finances;"
              " l autorite portuaire; un collectif d habitants; le rectorat;"
              " la regie des transports; la direction de l hopital; une cooperative agricole"),
        _pool("a approuve; a rejete; a reporte; a annonce; a conteste; a defendu;"
              " a revu; a propose; a critique; a salue"),
        _pool("un nouveau budget; le prolongement du tram; le projet de pont;"
              " le tarif de l eau; un programme de logements; le contrat de recyclage;"
              " des horaires elargis; un parc eolien; la fusion des hopitaux"),
        _pool("dans la vieille ville; pres de la gare; sur la rive est; dans les quartiers"
              " nord; au port; dans toute la vallee; en banlieue"),
        "{s} {v} {o} {p} le jour {n}, malgre {m} objections.",
        "{S} {v} {o}",
        _pool("politique; economie; culture; sport"), "Page suivante"),
    "es": Vocabulary(
        _pool("el ayuntamiento; el gobierno regional; un sindicato local;"
              " el ministro de hacienda; la autoridad portuaria; un grupo de vecinos;"
              " la consejeria de educacion; el consorcio de transportes;"
              " la direccion del hospital; una cooperativa agricola"),
        _pool("aprobo; rechazo; aplazo; anuncio; cuestiono; defendio; reviso; propuso;"
              " critico; celebro"),
        _pool("un nuevo presupuesto; la ampliacion del tren; el proyecto del puente;"
              " la tarifa del agua; un plan de vivienda; el contrato de reciclaje;"
              " horarios mas amplios; un parque eolico; la fusion de hospitales"),
        _pool("en el casco antiguo; junto a la estacion; en la orilla este; en los barrios"
              " del norte; en el puerto; en todo el valle; en las afueras"),
        "{s} {v} {o} {p} el dia {n}, pese a {m} objeciones.",
        "{S} {v} {o}",
        _pool("politica; economia; cultura; deportes"), "Pagina siguiente"),
    "it": Vocabulary(
        _pool("il consiglio comunale; la giunta regionale; un sindacato locale;"
              " il ministro delle finanze; l autorita portuale; un comitato di residenti;"
              " l ufficio scolastico; l agenzia dei trasporti; la direzione sanitaria;"
              " una cooperativa agricola"),
        _pool("ha approvato; ha respinto; ha rinviato; ha annunciato; ha contestato;"
              " ha difeso; ha rivisto; ha proposto; ha criticato; ha accolto"),
        _pool("un nuovo bilancio; il prolungamento della ferrovia; il progetto del ponte;"
              " la tariffa dell acqua; un piano casa; il contratto dei rifiuti;"
              " orari piu lunghi; un parco eolico; la fusione degli ospedali"),
        _pool("nel centro storico; vicino alla stazione; sulla riva est; nei quartieri"
              " nord; al porto; in tutta la valle; in periferia"),
        "{s} {v} {o} {p} il giorno {n}, nonostante {m} obiezioni.",
        "{S} {v} {o}",
        _pool("politica; economia; cultura; sport"), "Pagina successiva"),
}


def _fill(vocabulary: Vocabulary, pattern: str, rng: random.Random) -> str:
    subject = rng.choice(vocabulary.subjects)
    return pattern.format(
        s=subject, S=subject[:1].upper() + subject[1:], v=rng.choice(vocabulary.verbs),
        o=rng.choice(vocabulary.objects), p=rng.choice(vocabulary.places),
        n=rng.randint(1, 9999), m=rng.randint(2, 999))


def sentence(language: str, rng: random.Random) -> str:
    text = _fill(VOCABULARIES[language], VOCABULARIES[language].pattern, rng)
    return text[:1].upper() + text[1:]


def headline(language: str, rng: random.Random) -> str:
    vocabulary = VOCABULARIES[language]
    return f"{_fill(vocabulary, vocabulary.headline, rng)} ({rng.randint(10, 99)})"


def paragraphs(language: str, rng: random.Random, count: int) -> list[str]:
    """``count`` paragraphs of 3-5 sentences each."""
    return [" ".join(sentence(language, rng) for _ in range(rng.randint(3, 5)))
            for _ in range(count)]
