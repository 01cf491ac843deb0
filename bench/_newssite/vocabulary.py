"""The site's sections and the pools of words its prose is drawn from.

Every string below is free of '"', '<' and '&', so pages are assembled without escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE_NAME = "The Daily Ledger"


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


@dataclass(frozen=True)
class Section:
    slug: str
    label: str
    subsections: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    orgs: tuple[str, ...]
    roles: tuple[str, ...]


def _section(slug: str, label: str, subsections: str, topics: str, orgs: str,
             roles: str) -> Section:
    subs = tuple((pair.split("=")[0], pair.split("=")[1]) for pair in split_list(subsections))
    return Section(slug, label, subs, split_list(topics), split_list(orgs), split_list(roles))


SECTIONS = (
    _section(
        "world", "World",
        "europe=Europe; americas=Americas; asia=Asia; africa=Africa; middle-east=Middle East",
        "ceasefire plan; border crossing; aid convoy; peace agreement; sanctions package;"
        " coalition government; refugee resettlement scheme; election observer mission;"
        " trade corridor; naval patrol; grain export deal; prisoner exchange;"
        " reconstruction fund; visa regime; regional summit; power-sharing deal",
        "the United Nations; the foreign ministry; the European Commission; the African Union;"
        " the Red Cross; the interior ministry; the opposition alliance",
        "foreign minister; UN envoy; senior diplomat; regional governor; aid coordinator;"
        " government spokesperson",
    ),
    _section(
        "politics", "Politics",
        "elections=Elections; parliament=Parliament; policy=Policy;"
        " local-government=Local government; analysis=Analysis",
        "spending review; planning reform; housing bill; leadership contest; budget vote;"
        " voter registration drive; boundary review; lobbying register; pension shake-up;"
        " childcare plan; tax cut; select committee inquiry; council tax freeze; by-election;"
        " cabinet reshuffle; welfare overhaul",
        "the Treasury; the opposition; the electoral commission; the cabinet office;"
        " the finance committee; the governing party; the city council",
        "chancellor; shadow minister; party chair; backbench MP; council leader;"
        " political strategist",
    ),
    _section(
        "business", "Business",
        "markets=Markets; economy=Economy; companies=Companies;"
        " personal-finance=Personal finance; energy=Energy",
        "interest rate decision; earnings forecast; bond sale; takeover bid; wage settlement;"
        " supply chain review; mortgage market; inflation report; share buyback;"
        " factory expansion; profit warning; pension fund merger; retail sales slump;"
        " gas price cap; jobs report; merger talks",
        "the central bank; Northwind Holdings; the competition regulator; Harbour Street Capital;"
        " the statistics office; Ferrovia Group; the chamber of commerce",
        "chief executive; chief economist; finance director; fund manager; market analyst;"
        " union negotiator",
    ),
    _section(
        "technology", "Technology",
        "ai=AI; gadgets=Gadgets; security=Security; startups=Start-ups; internet=Internet",
        "language model; data breach; chip shortage; app store policy; encryption debate;"
        " smartphone launch; cloud outage; ransomware attack; broadband rollout;"
        " content moderation policy; battery technology; satellite internet service;"
        " privacy policy; software update; online safety law; funding round",
        "Lumen Systems; the data protection authority; Parallax Labs; the telecoms regulator;"
        " Quillfeather; the national cyber security centre; Brightwave",
        "chief technology officer; security researcher; product manager; software engineer;"
        " venture capitalist; digital rights campaigner",
    ),
    _section(
        "science", "Science",
        "space=Space; climate=Climate; environment=Environment; physics=Physics;"
        " biology=Biology",
        "telescope survey; sea ice record; fossil discovery; gene-editing trial; rocket launch;"
        " coral survey; particle detector; drought forecast; carbon capture project;"
        " bird migration study; lunar mission; ocean warming study; wildfire season;"
        " peer-reviewed paper; field experiment; soil monitoring network",
        "the space agency; the university physics department; the met office;"
        " the natural history museum; the marine institute; the academy of sciences;"
        " the observatory",
        "lead author; planetary scientist; climate researcher; marine biologist;"
        " professor of physics; mission director",
    ),
    _section(
        "health", "Health",
        "medicine=Medicine; mental-health=Mental health; nutrition=Nutrition;"
        " public-health=Public health; research=Research",
        "waiting list target; vaccine programme; clinical trial; hospital funding;"
        " screening programme; GP appointment system; drug shortage; maternity review;"
        " mental health service; flu season; cancer treatment plan; pay offer for nurses;"
        " dementia research; prescription charge; air pollution study; diet guidance",
        "the health service; the medicines regulator; the royal college of nursing;"
        " the public health agency; St Aldric’s Hospital; the health department;"
        " the patients’ association",
        "consultant surgeon; chief medical officer; health secretary; senior nurse;"
        " epidemiologist; family doctor",
    ),
    _section(
        "sport", "Sport",
        "football=Football; tennis=Tennis; cricket=Cricket; athletics=Athletics;"
        " cycling=Cycling",
        "title race; transfer window; cup final; injury crisis; relegation battle;"
        " world record attempt; Test series; stage victory; qualifying round; doping inquiry;"
        " stadium expansion; coaching change; penalty shootout; home season; semi-final;"
        " season opener",
        "the football association; Riverside United; the national selectors; the league;"
        " the anti-doping agency; Eastfield Rovers; the tour organisers",
        "head coach; club captain; team manager; sporting director; former champion;"
        " match official",
    ),
    _section(
        "culture", "Culture",
        "film=Film; music=Music; books=Books; art=Art; television=Television",
        "film festival; album release; museum reopening; book prize shortlist; theatre season;"
        " streaming deal; gallery retrospective; concert tour; literary festival;"
        " box office run; drama series; poetry collection; arts funding round;"
        " opera production; debut novel; documentary premiere",
        "the national gallery; the arts council; Meridian Pictures;"
        " the broadcasting corporation; the book trust; the philharmonic orchestra;"
        " Lantern Records",
        "artistic director; film critic; curator; novelist; producer; festival director",
    ),
)

# Templates are filled by Writer: {slot} draws from the pool of that name, {Slot}
# capitalises the draw, and a draw that holds slots is filled in turn.
POOLS: dict[str, tuple[str, ...]] = {
    "place": split_list(
        "Lisbon; Nairobi; Osaka; Valparaíso; Gdańsk; Leeds; Marseille; Toronto; Accra; Hanoi;"
        " Bergen; Seville; Adelaide; Cork; Bratislava; Quito; Manchester; Lyon; Tbilisi;"
        " Kraków; Porto; Durban; Glasgow; Bologna; Rotterdam; Montreal; Cardiff; Bristol;"
        " Tallinn; Ljubljana; Vilnius; Bilbao; Halifax; Perth; Dundee; Aarhus; Ghent; Trieste;"
        " Salzburg; Zagreb"),
    "first": split_list(
        "Amelia; Tomás; Priya; Daniel; Chiara; Kwame; Helen; Yusuf; Sofia; Marcus; Ingrid;"
        " Ravi; Leila; Owen; Beatriz; Jonah; Mei; Patrick; Anika; Samuel; Freya; Mateo; Grace;"
        " Idris; Hannah; Luca; Nadia; Felix; Rosa; Elliot; Zara; Hugo; Maya; Callum; Irene;"
        " Theo; Alisha; Rowan; Elena; Kofi"),
    "last": split_list(
        "Okafor; Lindqvist; Moreau; Fernández; Whitaker; Nakamura; Brennan; Haddad; Kowalski;"
        " Achterberg; Osei; Delacroix; Marsh; Petrov; Castellano; Byrne; Adeyemi; Holloway;"
        " Novak; Rahman; Sørensen; Quint; Albright; Mendes; Fitzgerald; Varga; Ashworth; Kaur;"
        " Lemaire; Ogunleye; Strand; Caldwell; Bianchi; Hargreaves; Mbeki; Rossi; Ellison;"
        " Tanaka; Duval; Keane"),
    "verb": split_list(
        "announced; rejected; approved; delayed; criticised; defended; unveiled; questioned;"
        " expanded; suspended; welcomed; postponed; scrapped; revised; backed; challenged;"
        " confirmed; outlined; reviewed; extended; paused; funded; blocked; endorsed;"
        " investigated; downplayed; accelerated; reversed; tightened; relaxed"),
    "hverb": split_list(
        "backs; rejects; delays; unveils; warns over; defends; scraps; revives; pauses;"
        " extends; reviews; questions; tightens; expands; abandons; doubles down on;"
        " signals shift on; faces pressure over; opens inquiry into; cuts funding for"),
    "adj": split_list(
        "sweeping; long-awaited; controversial; modest; ambitious; fragile; unexpected;"
        " limited; renewed; costly; temporary; cautious; bold; contested; delayed; record;"
        " gradual; wide-ranging; narrow; unprecedented; fresh; sharp; quiet; significant;"
        " provisional; two-year; landmark; hard-fought; stalled; revised"),
    "time": split_list(
        "on Monday; on Tuesday; on Wednesday; on Thursday; on Friday; over the weekend;"
        " last week; earlier this month; in recent months; since the spring; late on Sunday;"
        " this morning; in the past year; for the first time in a decade;"
        " after months of delay"),
    "conn": split_list(
        "However,; Meanwhile,; Even so,; By contrast,; At the same time,; For now,; Still,;"
        " In practice,; Separately,; Until then,; In the meantime,; On paper,"),
    "month": split_list(
        "January; February; March; April; May; June; July; August; September; October;"
        " November; December"),
    "small": split_list("two; three; four; five; six; seven; eight; nine"),
    "ordinal": split_list("second; third; fourth; fifth; sixth"),
    "year": tuple(str(year) for year in range(2009, 2026)),
    "num": tuple(str(n) for n in range(12, 990, 7)),
    "pct": tuple(f"{n / 10:.1f}%" for n in range(5, 400, 3)),
    "money": (*(f"£{n} million" for n in range(3, 900, 11)),
              *(f"€{n / 10:.1f}bn" for n in range(11, 300, 7))),
    "agency": split_list("Reuters; AP; AFP; Getty Images; PA; EPA; Bloomberg"),
    "quote": split_list(
        "We have been clear from the start that the {topic} needs a {adj} response;"
        " Nobody should be surprised by what happened {time};"
        " This is a {adj} moment, and we intend to get it right;"
        " The numbers simply do not add up, and people in {place} know it;"
        " We will keep talking, but our patience is not unlimited;"
        " It is too early to say what the {topic} will mean for families;"
        " There is a real risk that the {topic} becomes a distraction;"
        " I have never seen anything like it in {small} decades;"
        " We need to see the detail before we can support it;"
        " Frankly, the {topic} has been handled badly from the outset;"
        " Our priority is to make sure nobody is left behind;"
        " The evidence points in one direction, and we should follow it;"
        " This was never going to be quick or easy;"
        " People deserve a straight answer about the {topic};"
        " We are cautiously optimistic, but there is a long way to go"),
    "sentence": split_list(
        "{Org} {verb} the {adj} {topic} {time}, according to people familiar with the matter.;"
        " {conn} {org} said the {topic} would be {verb} if costs rose by more than {pct}.;"
        " “{quote},” said {person}, {role} at {org}.;"
        " {person}, a {role} who has followed the {topic} closely, said the {adj} timetable"
        " left little room for error.;"
        " The {topic} is expected to cost about {money}, roughly {pct} more than first"
        " estimated.;"
        " Officials in {place} {verb} the plan {time}, saying it had been drawn up without"
        " proper consultation.;"
        " {conn} the {topic} has divided opinion in {place}, where {num} people signed a"
        " petition against it.;"
        " Figures published {time} showed a {pct} rise, the largest increase since {year}.;"
        " Asked whether the {topic} would go ahead, {person} said: “{quote}.”;"
        " {Org} has {verb} similar proposals before, most recently in {year}.;"
        " The decision follows a {adj} review of the {topic}, which found {num} cases where"
        " the rules had not been followed.;"
        " Supporters argue that the {topic} will bring {adj} benefits to {place} within"
        " {small} years.;"
        " {conn} critics warn that the {topic} could leave {org} exposed if demand falls.;"
        " A spokesperson for {org} declined to comment on the {topic}, but said a fuller"
        " statement would follow.;"
        " Around {num} people gathered outside the offices of {org} in {place} {time}.;"
        " The {topic} was first proposed in {year} and has been {verb} at least {small}"
        " times since.;"
        " {person} told reporters in {place} that the {topic} remained a priority.;"
        " Documents seen by this newspaper suggest that {org} {verb} the {topic} as early as"
        " {month} {year}.;"
        " {conn} the {adj} {topic} is unlikely to be settled before {month}.;"
        " Analysts at {org} estimate the {topic} could affect up to {num},000 households.;"
        " {Org} said it had {verb} its guidance after a {adj} rise in complaints.;"
        " The {topic} in {place} has become a test case for how similar schemes are run"
        " elsewhere.;"
        " When the plan was {verb} {time}, few expected the {topic} to attract so much"
        " attention.;"
        " {person}, {role} at {org}, said the figures were “{adj} but not surprising”.;"
        " It is the {ordinal} time this year that the {topic} has been {verb}.;"
        " Local businesses in {place} say they have yet to see any benefit from the {topic}.;"
        " {conn} {person} has called for an independent inquiry into the {topic}.;"
        " The latest data, covering the {small} months to {month}, point to a {adj}"
        " slowdown.;"
        " Under the proposals, the {topic} would be phased in over {small} years, starting"
        " in {place}.;"
        " {Org} {verb} the claims, calling them “{adj} and misleading”.;"
        " There was no immediate response from {org}, which has previously {verb} the"
        " {topic}.;"
        " Speaking in {place} {time}, {person} described the {topic} as “{adj}”.;"
        " {conn} the {topic} remains popular, with {pct} of those asked saying they back it"
        " in a recent poll.;"
        " Those close to the talks say a deal on the {topic} could be reached within weeks.;"
        " Behind the headlines, the {topic} has quietly reshaped how {org} works.;"
        " {conn} the cost of the {topic} has climbed to {money}, according to {org}.;"
        " In {place}, where the {topic} was tested first, {num} complaints were logged in"
        " {small} months.;"
        " {person}, who {verb} the original {topic}, said the {adj} changes went too far."),
    "linked": split_list(
        "The dispute echoes <a href='{href}'>last year’s row over the {topic}</a>.;"
        " {Org} was criticised <a href='{href}'>earlier this year</a> for its handling of the"
        " {topic}.;"
        " As <a href='{href}'>we reported {time}</a>, the {topic} had already been {verb}"
        " once.;"
        " Similar concerns were raised during <a href='{href}'>the {topic} in {place}</a>.;"
        " {person} has written about <a href='{href}'>the {adj} {topic}</a> before."),
    "headline": split_list(
        "{horg} {hverb} {adj} {topic}; {person} {hverb} {topic} amid {adj} criticism;"
        " Why {place} is watching the {topic}; What we know about the {topic} in {place};"
        " {Place} braces for {adj} {topic}; Inside the {adj} fight over the {topic};"
        " {horg} under pressure as {topic} is {verb}; {Topic} {verb} after {adj} talks in"
        " {place}; {small} questions about the {adj} {topic}; {horg} and {place} clash over"
        " {topic}"),
    "subhead": split_list(
        "What happens next; A {adj} decision; The view from {place}; Counting the cost;"
        " Why it matters; A long road; The {topic} in numbers; Questions remain"),
    "caption": split_list(
        "Protesters outside the offices of {org} in {place} {time}.;"
        " The {topic} has been under discussion since {year}.;"
        " {person}, {role} at {org}, in {place}.; A view of {place}, where the {topic} began.;"
        " Officials from {org} arrive for talks in {place}."),
    "commenter": split_list(
        "quietriver; northernlight; {first}{num}; old_hand_{num}; pragmatist; {last}fan;"
        " skepticaltom; harbourview; {first}_in_{place}; midlandsmum; longtimereader"),
    "comment": split_list(
        "Exactly what I expected from {org}.;"
        " Does anyone actually believe the {topic} will happen on time?;"
        " Lived in {place} for {small} decades and never seen it this bad.;"
        " Good reporting, but the piece skips over who pays for it.;"
        " “{quote}” – we have heard that one before.;"
        " The {topic} was always going to end like this.;"
        " Credit where it is due: this is a {adj} step forward.;"
        " I would like to know what {person} said off the record.;"
        " Same story every year, different names.; Thank you for a balanced article."),
}


POOLS["person"] = tuple(f"{first} {last}" for first in POOLS["first"] for last in POOLS["last"])


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]
