"""A regional daily with bylines and dates in odd places: the "Millbrook Daily Register".

Written apart from the crawler's code (standard library only). A fictional regional
daily for Millbrook and the Tamsen Valley whose site runs three kinds of templates:

* ``wp``   – a WordPress *block* theme: ``<main>`` holding
  ``<div class="wp-block-post-content">``, permalinks under nested categories
  (/news/local/schools/slug-words/), og:type=article + article:published_time,
  ``<meta name="author">`` on every post but a visible byline on only some, pull
  quotes and image captions inside the body, an inline "Sign up for our morning
  briefing" form inside the body, a "Related" list (inside the content div on some
  posts, Jetpack style, after it on others), a comment-count link, comments and a
  fixed "sticky" subscribe bar.
* ``ld``   – a newer CMS: a single JSON-LD NewsArticle object (no @graph) whose
  ``author`` is a plain string ("Name1, Name2") or, for wire copy, an Organization,
  ``datePublished`` with a -04:00 offset and a later ``dateModified`` (the page also
  shows "Updated ..."); URLs /YYYY/MM/DD/NNNNNNN/; a live-updates box above the
  body, an embedded tweet (``blockquote.twitter-tweet``) inside the body that is
  part of the story, a "Subscribers can read more" paywall teaser after the body,
  a newsletter box and a "Most read" rail. No <article>, no og:type=article; one
  wire story even says og:type=website (a real-world CMS mistake).
* ``bare`` – the legacy county edition: /stories/view/NNNNN, HTML 4 with upper-case
  tags, <center>, <font>, tables, the headline in <h2> (the <title> is generic),
  the byline in ``<i>By Name</i>`` and a date like "March 5, 2024 10:30 AM".
  Each story also has a printer-friendly copy (?print=1) carrying a canonical link.

Ground-truth decisions (documented here because they are judgement calls):

* Wire stories whose JSON-LD author is ``{"@type": "Organization", "name":
  "Associated Wire"}`` expect ``authors == ["Associated Wire"]``: the agency is the
  stated author, and the visible byline says the same.
* ``"author": "Noor Haddad, Dana Whitfield"`` expects two authors.
* A legacy byline "By Walt Pruitt, Register Staff Writer" expects ``["Walt Pruitt"]``
  (the job title is not a name); "By Ada Kessler and Walt Pruitt" expects both.
* Legacy dates with a clock time but no zone ("March 5, 2024 10:30 AM") expect the
  date ``"2024-03-05"``: the project records time and zone where the page gives
  both and falls back to the date otherwise (a zoneless time is not an instant).
  Legacy dates without a time ("March 12, 2024") expect ``"2024-03-12"``.
* WordPress posts expect ``article:published_time`` exactly (the visible <time>
  carries the same instant in the local -04:00 offset).
* The embedded tweet inside an ``ld`` story body is content (its text is a body
  snippet). Pull quotes repeat a sentence of the body and image captions are
  neither required nor forbidden.

``serve()`` starts the site on 127.0.0.1 port 0. ``EXPECTED`` is the per-article
ground truth, ``EXPECTED_NON_ARTICLES`` the pages that must not come out as articles.
"""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import parse_qs

from tests.sites.pages import esc, ground_truth, paras
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

SITE = "Millbrook Daily Register"

# --------------------------------------------------------------------------- people

PEOPLE: dict[str, dict] = {
    "Dana Whitfield": dict(slug="dana-whitfield", bio="""
        Dana Whitfield covers Millbrook City Hall, the city council and the long argument
        about what the riverfront should become. She grew up in the Fifth Ward, studied
        political science at the state university and spent seven years at a statehouse
        bureau before coming home to the Register in 2017. She reads every budget
        amendment so that you do not have to."""),
    "Luis Ortega": dict(slug="luis-ortega", bio="""
        Luis Ortega writes about schools and transportation, two subjects he says are really
        one subject: how people get where they need to go. A former middle school science
        teacher, he joined the Register in 2020 and has covered three budget fights, two
        superintendent searches and every pothole anyone has ever emailed him about."""),
    "Hannah Brandt": dict(slug="hannah-brandt", bio="""
        Hannah Brandt is the Register's business reporter. She covers the shops, farms,
        factories and family firms of the Tamsen Valley, and keeps a running list of every
        storefront on Main Street and what it used to be. Before journalism she managed her
        parents' hardware store for five years."""),
    "Colm Avery": dict(slug="colm-avery", bio="""
        Colm Avery has covered high school sports in the Tamsen Valley since 2009, which means
        he has now written about the children of athletes he wrote about as teenagers. He
        keeps score by hand, in pencil, and has not missed a league final in fifteen years."""),
    "Teodora Vance": dict(slug="teodora-vance", bio="""
        Teodora Vance writes features, history and the occasional environmental story for the
        Register. She is the person in the newsroom who knows which family owned which farm
        in 1910, and she is always looking for old photographs, letters and diaries from
        Ashgrove County households."""),
    "Noor Haddad": dict(slug="noor-haddad", bio="""
        Noor Haddad covers courts, police and public safety in Ashgrove County. She joined
        the Register in 2021 from a legal news service and spends most of her days in the
        county courthouse on Court Street, where she has learned that the most important
        documents are always in the second box."""),
    "Walt Pruitt": dict(slug="walt-pruitt", bio="""
        Walt Pruitt has written the Register's county edition for twenty-six years, covering
        township meetings, grange suppers, fire company fundraisers and the fair. He lives on
        a small farm outside Harlan and writes most of his stories at the kitchen table."""),
    "Ada Kessler": dict(slug="ada-kessler", bio="""
        Ada Kessler reports on the townships and small boroughs of Ashgrove County. She began
        as a stringer covering Fenwick Township meetings while in college and joined the staff
        full time in 2019. She is especially interested in rural roads, water and land use."""),
}

WIRE = "Associated Wire"

# ------------------------------------------------------------------------- articles

ARTICLES: list[dict] = [
    # ------------------------------------------------------------------ wp
    dict(
        key="W1", kind="wp", wp_id=4411,
        path="/news/local/council-delays-vote-on-riverfront-parking-garage/",
        section="/news/local/", cats=[("News", "/news/"), ("Local", "/news/local/")],
        title="Council delays vote on riverfront parking garage",
        authors=["Dana Whitfield"], byline_visible=True,
        published="2024-05-06T14:20:00+00:00", local="2024-05-06T10:20:00-04:00",
        modified="2024-05-07T09:02:11+00:00",
        body=paras("""
            Millbrook City Council put off a decision Monday night on a proposed five-story
            parking garage along the Tamsen River, after more than two hours of public comment
            in which residents argued the structure would wall off the riverfront the city spent
            a decade reclaiming.

            The $18.6 million garage, planned for the gravel lot behind the old Hadley Feed
            building on Water Street, would add 540 spaces to a downtown that merchants say
            loses customers every weekend because there is nowhere to park. Council President
            Irene Castellano said the vote would return on May 20 after staff answer questions
            about traffic and flood risk.

            "We are not going to approve a building of this size on a floodplain because a
            spreadsheet says it pencils out," Castellano said. "I want to see what happens to
            that lot in a hundred-year storm before anyone pours concrete."

            Supporters, including the Downtown Millbrook Partnership, said the garage would pay
            for itself within 14 years through parking fees and would free up curb space on Main
            Street for outdoor dining. Partnership director Samuel Okafor told council that three
            storefronts had closed since January and that owners cited parking in every exit
            conversation.

            Opponents came with photographs. Members of the Friends of the Tamsen Riverwalk held
            up prints of the trail at sunset and pointed out that the garage's west wall would
            sit 30 feet from the path. "You promised us a river we could see," said Gloria Venn,
            who has lived on Bridge Street for 41 years.

            City engineer Marcus Dell said the design raises the ground floor four feet above
            the 2011 flood mark and that the structure could be clad in brick and planted with
            vines. He acknowledged that the study of evening traffic on Water Street had not
            been completed.

            If approved on May 20, construction would begin next spring and take roughly 16
            months, Dell said.
        """),
        snippets=["Millbrook City Council put off a decision Monday night on a proposed "
                  "five-story parking garage",
                  "Partnership director Samuel Okafor told council that three storefronts had "
                  "closed since January",
                  "If approved on May 20, construction would begin next spring and take "
                  "roughly 16 months, Dell said."],
        figure=(0, "The gravel lot behind the old Hadley Feed building, where the garage would "
                   "stand. (Photo: Jen Marsh / Register)"),
        signup_after=1, pullquote=(4, "You promised us a river we could see", "Gloria Venn"),
        related=["W4", "W6"], related_inside=True,
        comments=[("RiverwalkRunner", "Build it somewhere else. The river is the only "
                   "thing downtown that still feels like ours."),
                  ("Ted from Elm St", "Every Saturday I circle the block four times and "
                   "then drive to the mall instead."),
                  ("M. Okonjo", "Did anyone ask what the garage does to the flood "
                   "insurance maps for the houses on Water Street?")],
    ),
    dict(
        key="W2", kind="wp", wp_id=4398,
        path="/news/local/schools/millbrook-teachers-ratify-three-year-contract/",
        section="/news/local/",
        cats=[("News", "/news/"), ("Local", "/news/local/"), ("Schools", "/news/local/")],
        title="Millbrook teachers ratify three-year contract",
        authors=["Luis Ortega"], byline_visible=False,
        published="2024-05-03T21:45:12+00:00", local="2024-05-03T17:45:12-04:00",
        modified="2024-05-03T22:10:40+00:00",
        body=paras("""
            Teachers in the Millbrook Area School District voted overwhelmingly Friday to accept
            a three-year contract that raises starting pay to $52,000 and caps elementary class
            sizes at 24 students, ending eight months of negotiations that at one point brought
            the two sides to the edge of a strike.

            The Millbrook Education Association said 412 of its 455 members voted in favor. The
            school board is expected to approve the agreement at its May 14 meeting.

            "Nobody got everything they wanted, which is usually how you know it's fair," said
            union president Kelsey Marchetti, a fifth-grade teacher at Orchard Hill Elementary.
            "What matters is that a new teacher can afford to live in the district she teaches
            in."

            The contract gives most teachers raises of 4.5% in the first year and 3% in each of
            the next two. It also adds two paid planning periods a week for special education
            staff, a demand the union had described as non-negotiable.

            Superintendent Alan Reyes said the district would cover the cost, roughly $3.1
            million over three years, without raising property taxes by drawing down reserves
            and delaying the replacement of the high school's roof.

            Parents who had organized a letter campaign urging a settlement said they were
            relieved. "My kids were asking me in March whether school would be open after spring
            break," said Tamara Blythe, who has two children at Orchard Hill. "Now I can tell
            them yes."
        """),
        snippets=["Teachers in the Millbrook Area School District voted overwhelmingly Friday",
                  "The contract gives most teachers raises of 4.5% in the first year",
                  "Now I can tell them yes."],
        signup_after=2,
        pullquote=(2, "What matters is that a new teacher can afford to live in the district "
                      "she teaches in.", "Kelsey Marchetti"),
        related=["W1"], related_inside=False,
        comments=[("Orchard Hill Mom", "Thank you to every teacher who stuck with it. My "
                   "daughter's class had 31 kids this year.")],
    ),
    dict(
        key="W3", kind="wp", wp_id=4370,
        path="/news/business/family-bakery-on-quarry-street-closes-after-61-years/",
        section="/news/business/", cats=[("News", "/news/"), ("Business", "/news/business/")],
        title="Family bakery on Quarry Street closes after 61 years",
        authors=["Hannah Brandt"], byline_visible=False,
        published="2024-04-29T07:05:00-04:00", local="2024-04-29T07:05:00-04:00",
        modified="2024-04-29T12:30:00-04:00",
        body=paras("""
            The line outside Dombrowski's Bakery on Saturday morning stretched past the barber
            shop and around the corner onto Elm Street, as customers came for one last box of
            paczki, rye bread and the poppy seed rolls that three generations of the Dombrowski
            family have baked on Quarry Street since 1963.

            The bakery closed for good at 2 p.m., when the shelves were empty. Owner Teresa
            Dombrowski, 68, said she and her husband, Frank, decided in February that they were
            ready to retire and that none of their children wanted to take over the 4 a.m.
            starts.

            "My father used to say the oven doesn't care if you're tired," she said, wiping flour
            from the counter for what she said was probably the last time. "Well, now I'm tired
            and the oven can rest too."

            Frank's parents, Stanislaw and Helena Dombrowski, opened the shop after emigrating
            from Krakow by way of Buffalo. The recipe for the rye, which uses a sourdough starter
            the family says is older than the building, will go to a nephew who bakes in
            Rochester.

            The building has been sold to a developer who plans to convert the ground floor into
            a cafe and the upper floors into two apartments, according to county property
            records.

            Regulars said the closing leaves a hole on a street that has already lost a hardware
            store and a shoe repair shop in the last five years. "This was where you found out
            who had a baby and who was in the hospital," said Ed Kowalczyk, 79, who has bought
            bread there every Saturday since 1971.
        """),
        snippets=["The line outside Dombrowski's Bakery on Saturday morning stretched past the "
                  "barber shop",
                  "The recipe for the rye, which uses a sourdough starter the family says is "
                  "older than the building",
                  "who has bought bread there every Saturday since 1971."],
        figure=(1, "Teresa Dombrowski boxes rye bread on the bakery's final morning. "
                   "(Photo: Jen Marsh / Register)"),
        signup_after=3,
        pullquote=(2, "My father used to say the oven doesn't care if you're tired",
                   "Teresa Dombrowski"),
        related=["W6"], related_inside=True,
        comments=[("Kasia W.", "Their paczki got me through every Fat Thursday since I was "
                   "six. Happy retirement, Teresa and Frank."),
                  ("northsideguy", "Another cafe. Just what Quarry Street needed.")],
    ),
    dict(
        key="W4", kind="wp", wp_id=4420,
        path="/news/local/transportation/route-9-bridge-repairs-to-close-lanes-through-august/",
        section="/news/local/",
        cats=[("News", "/news/"), ("Local", "/news/local/"),
              ("Transportation", "/news/local/")],
        title="Route 9 bridge repairs to close lanes through August",
        authors=["Luis Ortega", "Dana Whitfield"], byline_visible=True,
        published="2024-05-08T10:00:00+00:00", local="2024-05-08T06:00:00-04:00",
        modified="2024-05-08T15:44:00+00:00",
        body=paras("""
            Drivers who cross the Tamsen River on the Route 9 bridge should expect single-lane
            traffic and delays of up to 20 minutes at rush hour starting Monday, when state crews
            begin a $7.4 million repair of the span's deck and joints.

            The state Department of Transportation said the work will continue through the end
            of August. One lane in each direction will remain open during the day, but the bridge
            will close completely on four weekends, the first of them June 8 and 9.

            The 1967 bridge carries about 21,000 vehicles a day and was rated in poor condition
            in the department's most recent inspection, which found cracking in the concrete deck
            and corroded steel at two expansion joints.

            "The bridge is safe, and we're going to keep it that way," district engineer Pauline
            Hurst said at a briefing at the Millbrook fire station. "This is the work that stops
            a poor rating from becoming a weight limit."

            Detours during the weekend closures will send traffic north to the Canal Street
            bridge, which is narrower and already busy. Police Chief Ray Donnelly said officers
            would direct traffic at the Canal Street and Front Street intersection during the
            closures.

            Businesses on the east side of the river said they were bracing for a slow summer.
            The owner of the Riverside Diner, Tom Galanis, said he lost a third of his lunch trade
            during a shorter repair in 2016.
        """),
        snippets=["Drivers who cross the Tamsen River on the Route 9 bridge should expect "
                  "single-lane traffic",
                  "The 1967 bridge carries about 21,000 vehicles a day",
                  "said he lost a third of his lunch trade during a shorter repair in 2016."],
        signup_after=1,
        related=["W1", "L1"], related_inside=False,
        comments=[("commuter_44", "Four weekend closures and the detour is the Canal Street "
                   "bridge. Pack a lunch.")],
    ),
    dict(
        key="W5", kind="wp", wp_id=4432,
        path="/sports/high-school/east-millbrook-softball-wins-first-league-title-since-1998/",
        section="/sports/high-school/",
        cats=[("Sports", "/sports/high-school/"), ("High School", "/sports/high-school/")],
        title="East Millbrook softball wins first league title since 1998",
        authors=["Colm Avery"], byline_visible=True,
        published="2024-05-10T02:30:00+00:00", local="2024-05-09T22:30:00-04:00",
        modified="2024-05-10T11:15:00+00:00",
        body=paras("""
            Junior pitcher Addison Greer struck out 11 and drove in the go-ahead run in the sixth
            inning Thursday as East Millbrook beat Valley Central 4-2 to win the Tamsen Valley
            League softball championship, the program's first title in 26 years.

            Greer, who had allowed just four earned runs all season, gave up a two-run homer in
            the second inning and then retired 14 of the last 15 batters she faced. "After the
            homer I told myself the next pitch is the only one that matters," she said.

            The Eagles tied it in the fourth on a double by senior catcher Maya Ostrowski and took
            the lead when Greer lined a single to left with two outs in the sixth. Freshman Lila
            Brandt added an insurance run with a bunt single that scored Ostrowski.

            Coach Denise Farrow, who played on the 1998 team that won the last title, said she had
            kept a photograph of that team in the dugout all season. "I wanted them to see that
            girls from this school have done it before," Farrow said.

            East Millbrook, now 19-3, will host a first-round state tournament game on Tuesday.
        """),
        snippets=["Junior pitcher Addison Greer struck out 11 and drove in the go-ahead run",
                  "Coach Denise Farrow, who played on the 1998 team",
                  "will host a first-round state tournament game on Tuesday."],
        figure=(2, "East Millbrook players celebrate after the final out at Valley Central. "
                   "(Photo: Colm Avery / Register)"),
        signup_after=2,
        related=["W2"], related_inside=False,
        comments=[("EMHS Class of '98", "Proud of you, Coach Farrow. We were watching from "
                   "the bleachers.")],
    ),
    dict(
        key="W6", kind="wp", wp_id=4290,
        path="/news/local/library-seed-exchange-draws-record-crowd/",
        section="/news/local/", cats=[("News", "/news/"), ("Local", "/news/local/")],
        title="Library seed exchange draws record crowd",
        authors=["Teodora Vance"], byline_visible=False,
        published="2024-03-16T16:00:00+00:00", local="2024-03-16T12:00:00-04:00",
        modified="2024-03-16T16:00:00+00:00",
        body=paras("""
            More than 600 people packed the community room of the Millbrook Public Library on
            Saturday for the annual spring seed exchange, swapping envelopes of heirloom tomato,
            bean and squash seeds and, library staff said, setting an attendance record for the
            eleven-year-old event.

            The exchange began in 2013 with a single card table and a shoebox of seeds donated by
            the Ashgrove County Master Gardeners. This year volunteers filled 40 tables and gave
            away more than 9,000 packets.

            "People come for the seeds and stay for the stories," said reference librarian Ines
            Calloway, who started the exchange. "Everybody has a bean their grandmother grew and
            a reason they still grow it."

            The library also lends seeds year-round from a converted card catalog near the
            children's room. Borrowers are asked, but not required, to return seeds from their
            harvest in the fall.

            Master gardener Phil Anand, who ran a table on saving tomato seeds, said interest had
            grown since the pandemic, when many residents started gardening for the first time.
            "The people who started in 2020 are now the ones teaching," he said.
        """),
        snippets=["More than 600 people packed the community room of the Millbrook Public "
                  "Library",
                  "The library also lends seeds year-round from a converted card catalog",
                  "The people who started in 2020 are now the ones teaching"],
        signup_after=1,
        pullquote=(2, "People come for the seeds and stay for the stories", "Ines Calloway"),
        related=["W3", "B5"], related_inside=True,
        comments=[("GreenThumbGail", "Got six kinds of beans and a lecture on squash "
                   "pollination. Best Saturday of the year.")],
    ),
    # ------------------------------------------------------------------ ld
    dict(
        key="L1", kind="ld", path="/2024/05/02/4817263/", section="/news/local/",
        kicker="Public Safety",
        title="Ashgrove County approves $4.2 million for emergency radio upgrade",
        ld_author="Noor Haddad, Dana Whitfield", byline="By Noor Haddad and Dana Whitfield",
        authors=["Noor Haddad", "Dana Whitfield"],
        published="2024-05-02T08:15:00-04:00", modified="2024-05-02T13:40:00-04:00",
        body=paras("""
            Ashgrove County commissioners voted 3-0 on Wednesday night to spend $4.2 million
            replacing the radio system used by police, firefighters and ambulance crews, after
            years of complaints from first responders about dead zones in the county's northern
            hills.

            The money, most of it from the county's share of federal pandemic relief funds, will
            pay for three new radio towers, about 700 portable and vehicle radios, and new
            consoles at the 911 center in Millbrook.

            Fire chiefs told commissioners that crews working in the hills north of Route 9 often
            cannot reach dispatchers and must relay messages through other units or drive to a
            ridge to get a signal. "We have had firefighters inside a burning house who could not
            talk to the engine in the driveway," said Harlan Township Fire Chief Rob Mercer.

            The county's emergency management agency welcomed the vote in a post on social media
            shortly after the meeting.

            Commissioner Gail Sutter said the system should be fully running by the end of 2025.
            The county will seek bids for the towers this summer.

            The old system, installed in 2002, runs on equipment its manufacturer stopped
            supporting in 2019. County officials said replacement parts now come mostly from
            other counties that have already upgraded.
        """),
        tweet=(3, "Ashgrove County EMA", "AshgroveEMA", "1786012345678901234", "May 1, 2024",
               "Tonight's vote means no more dead zones for the crews who answer your 911 "
               "calls. Thank you, commissioners. Tower work begins this summer."),
        snippets=["Ashgrove County commissioners voted 3-0 on Wednesday night to spend $4.2 "
                  "million",
                  "Tonight's vote means no more dead zones for the crews who answer your 911 "
                  "calls.",
                  "replacement parts now come mostly from other counties that have already "
                  "upgraded."],
    ),
    dict(
        key="L2", kind="ld", path="/2024/05/07/4820019/", section="/news/nation/",
        kicker="Nation",
        title="Spring storms push rivers toward flood stage across the Northeast",
        ld_author={"@type": "Organization", "name": WIRE, "url": "https://example.org/wire"},
        byline=WIRE, authors=[WIRE],
        published="2024-05-07T06:30:00-04:00", modified="2024-05-07T15:05:00-04:00",
        body=paras("""
            ALBANY, N.Y. (AW) - Rivers across upstate New York, Pennsylvania and Vermont rose
            toward flood stage Tuesday after a third straight day of heavy rain, forcing road
            closures and the evacuation of low-lying neighborhoods in several small towns.

            Forecasters said another 1 to 2 inches of rain could fall through Wednesday on ground
            already saturated by a wet April. Flood warnings were in effect for more than 30
            counties.

            In the Susquehanna Valley, emergency crews used boats to reach residents of a mobile
            home park where water had reached the doorsteps. No injuries were reported.

            Forecasters said several rivers could crest Wednesday night at levels not seen in
            more than a decade.

            Governors in New York and Vermont declared states of emergency, freeing up money and
            equipment for local governments.

            Utility companies reported about 40,000 customers without power at the peak of the
            storms on Tuesday morning.
        """),
        tweet=(3, "Northeast Weather Desk", "NEWeatherDesk", "1787654321098765432",
               "May 7, 2024",
               "River gauges on the Schoharie and upper Susquehanna are rising 4 to 6 inches an "
               "hour this morning. Turn around, don't drown."),
        snippets=["Rivers across upstate New York, Pennsylvania and Vermont rose toward flood "
                  "stage Tuesday",
                  "River gauges on the Schoharie and upper Susquehanna are rising 4 to 6 inches",
                  "Utility companies reported about 40,000 customers without power"],
    ),
    dict(
        key="L3", kind="ld", path="/2024/04/22/4809921/", section="/news/local/",
        kicker="Environment",
        title="Former mill site cleanup finds more contamination than expected",
        ld_author="Teodora Vance", byline="By Teodora Vance", authors=["Teodora Vance"],
        published="2024-04-22T17:45:00-04:00", modified="2024-04-23T09:10:00-04:00",
        body=paras("""
            Crews cleaning up the former Ashgrove Woolen Mill on the north bank of the Tamsen
            River have found about twice as much contaminated soil as engineers predicted,
            pushing back the opening of a planned park by at least a year, city officials said
            Monday.

            Testing this winter turned up high levels of lead and chromium, left over from the
            dyeing operations that ran at the mill from 1884 until it closed in 1979, in soil as
            deep as 12 feet near the old dye house.

            "We knew the dye house would be the worst of it," said Julia Pearce, the city's
            environmental project manager. "We did not know how far the plume had spread toward
            the river."

            The extra excavation will add about $1.9 million to the $6 million cleanup. The city
            is applying for a state brownfield grant to cover most of the increase.

            The park, which would connect the Riverwalk trail to the north side neighborhoods,
            had been scheduled to open in the fall of 2025.
        """),
        tweet=(4, "Friends of the Tamsen Riverwalk", "TamsenRiverwalk", "1782468013579246801",
               "April 22, 2024",
               "Disappointed the mill park will be delayed, but we would rather wait a year than "
               "have kids playing on lead. Get it right."),
        snippets=["Crews cleaning up the former Ashgrove Woolen Mill on the north bank",
                  "we would rather wait a year than have kids playing on lead",
                  "had been scheduled to open in the fall of 2025."],
    ),
    dict(
        key="L4", kind="ld", path="/2024/05/09/4822540/", section="/news/business/",
        kicker="Agriculture", og_website=True,
        title="Farmers plant early as a warm spring speeds up the season",
        ld_author={"@type": "Organization", "name": WIRE},
        byline=WIRE, authors=[WIRE],
        published="2024-05-09T10:00:00-04:00", modified="2024-05-09T16:20:00-04:00",
        body=paras("""
            DES MOINES, Iowa (AW) - Farmers across the Midwest are planting corn and soybeans at
            the fastest pace in nearly a decade, taking advantage of a warm, dry stretch that has
            let tractors into fields two weeks earlier than usual.

            About 49% of the corn crop had been planted by Sunday, compared with a five-year
            average of 36%, according to the Agriculture Department's weekly crop progress
            report.

            "You don't get many springs like this, so you don't waste them," said Carl Hendricks,
            who farms 1,200 acres near Ames. He said he had been running his planter until after
            dark most nights.

            An early start can help yields, but it also leaves young plants exposed if a late
            frost arrives. Agronomists said the risk was modest this year, with forecasts showing
            mild weather through the end of the month.

            Grain prices have fallen in recent weeks as traders bet on a large harvest, which
            could squeeze farm incomes already pressured by higher costs for fertilizer and
            equipment.
        """),
        snippets=["Farmers across the Midwest are planting corn and soybeans at the fastest pace",
                  "You don't get many springs like this, so you don't waste them",
                  "already pressured by higher costs for fertilizer and equipment."],
    ),
    dict(
        key="L5", kind="ld", path="/2024/03/28/4799104/", section="/news/local/",
        kicker="Courts",
        title="Judge orders new hearing in 1987 arson case",
        ld_author="Noor Haddad", byline="By Noor Haddad", authors=["Noor Haddad"],
        published="2024-03-28T14:02:00-04:00", modified="2024-03-29T08:00:00-04:00",
        body=paras("""
            An Ashgrove County judge on Thursday ordered a new hearing for a Millbrook man who has
            spent 36 years in prison for a 1987 fire that killed two people, saying new
            scientific evidence raises serious questions about whether the fire was set at all.

            Judge Harriet Lund ruled that Dennis Varga, 61, is entitled to present testimony from
            fire scientists who say the burn patterns investigators relied on at his trial are
            now known to be consistent with an accidental fire.

            Varga was convicted in 1988 of setting the fire at a rooming house on Canal Street
            that killed Walter Briggs, 54, and Anna Szabo, 47. He has always maintained his
            innocence.

            "For thirty-six years, Dennis has been saying the same thing, and for thirty-six
            years nobody listened," said his attorney, Miriam Castellanos of the Valley Innocence
            Project. "Today somebody did."

            District Attorney Kevin Shore said his office would review the ruling and had not
            decided whether to appeal. The hearing has been tentatively set for July.

            Relatives of the victims could not be reached for comment Thursday.
        """),
        snippets=["An Ashgrove County judge on Thursday ordered a new hearing for a Millbrook man",
                  "Varga was convicted in 1988 of setting the fire at a rooming house",
                  "Relatives of the victims could not be reached for comment Thursday."],
    ),
    # ------------------------------------------------------------------ bare
    dict(
        key="B1", kind="bare", story_id=88123, path="/stories/view/88123",
        title="Grange hall marks 100 years with potluck and square dance",
        byline="By Walt Pruitt", authors=["Walt Pruitt"],
        shown="March 5, 2024 10:30 AM", published="2024-03-05",
        body=paras("""
            The Harlan Township Grange will celebrate the 100th anniversary of its hall on
            Saturday with a covered-dish supper, a square dance and an exhibit of photographs
            going back to the building's dedication in the spring of 1924.

            Grange master Elsie Hartwell said about 200 people are expected, including several
            former members who have moved away and are returning for the occasion. The supper
            begins at 5 p.m. and the dance at 7, with calling by Dewey Sloan of Orchard Hill.

            The two-story hall on Grange Road was built by members over two summers with lumber
            cut from a woodlot donated by the Mercer family. It has hosted weddings, 4-H
            meetings, election polling and, for a time in the 1950s, a Saturday movie night.

            "Every family in this township has a story that happened in this building," Hartwell
            said. "We wanted one night where everybody could come and tell them."

            Admission is free. Those attending are asked to bring a dish to share and, if they
            have them, old photographs of the hall to be scanned for the Grange's collection.
        """),
        snippets=["The Harlan Township Grange will celebrate the 100th anniversary of its hall",
                  "built by members over two summers with lumber cut from a woodlot",
                  "old photographs of the hall to be scanned for the Grange's collection."],
    ),
    dict(
        key="B2", kind="bare", story_id=88140, path="/stories/view/88140",
        title="County fair board picks new site for livestock barns",
        byline="By Walt Pruitt, Register Staff Writer", authors=["Walt Pruitt"],
        shown="March 12, 2024", published="2024-03-12",
        body=paras("""
            The Ashgrove County Fair board voted Monday to build new livestock barns on 14 acres
            along Fairground Road, moving the animal exhibits away from the midway for the first
            time in the fair's 131-year history.

            The existing barns, built in the 1940s and 1950s, flood in heavy rain and no longer
            meet state standards for ventilation, fair board president Gene Whitaker said. The
            new site sits on higher ground at the north end of the fairgrounds.

            The project is expected to cost about $2.3 million, to be paid through a combination
            of a state agricultural grant, donations and a capital campaign that will begin this
            summer.

            Some 4-H families have worried that moving the barns will reduce the number of
            fairgoers who wander through to see the animals. Whitaker said a new walkway lined
            with food stands would connect the barns to the midway.

            "The barns are the heart of this fair," he said. "We are not moving them out of
            sight. We are moving them out of the mud."

            Construction could begin after this year's fair, which runs Aug. 12 through 17.
        """),
        snippets=["The Ashgrove County Fair board voted Monday to build new livestock barns",
                  "Some 4-H families have worried that moving the barns",
                  "Construction could begin after this year's fair, which runs Aug. 12 "
                  "through 17."],
    ),
    dict(
        key="B3", kind="bare", story_id=88191, path="/stories/view/88191",
        title="Volunteer fire company buys first new engine in 30 years",
        byline="By Ada Kessler and Walt Pruitt", authors=["Ada Kessler", "Walt Pruitt"],
        shown="April 2, 2024 4:45 PM", published="2024-04-02",
        body=paras("""
            The Cobb's Mill Volunteer Fire Company took delivery last week of its first brand-new
            fire engine since 1994, a $790,000 pumper paid for with a decade of chicken
            barbecues, a state grant and a bequest from a longtime member.

            The red-and-white engine carries 1,000 gallons of water and replaces a 1994 pumper
            whose pump failed twice last year during calls, forcing crews to wait for help from
            neighboring companies.

            Chief Donna Pettibone said the company began saving for the engine in 2014. Its
            twice-monthly barbecues at the firehouse raised about $310,000 over ten years.

            The largest single contribution, $250,000, came from the estate of Harold Emmett, who
            served as a firefighter in Cobb's Mill for 52 years before his death in 2022. The
            engine carries his name on both doors.

            "Harold used to say the old truck was held together with prayer and duct tape,"
            Pettibone said. "He'd be glad to know we can put the duct tape away."

            The company will hold a wet-down ceremony, a tradition in which a new engine is
            sprayed by the crews of neighboring companies, on April 13 at noon.

            The old pumper will be sold at auction.
        """),
        snippets=["The Cobb's Mill Volunteer Fire Company took delivery last week",
                  "came from the estate of Harold Emmett",
                  "The old pumper will be sold at auction."],
    ),
    dict(
        key="B4", kind="bare", story_id=88207, path="/stories/view/88207",
        title="Township residents split on plan to pave Hollow Road",
        byline="By Ada Kessler", authors=["Ada Kessler"],
        shown="April 9, 2024 12:05 PM", published="2024-04-09",
        body=paras("""
            More than 80 people crowded into the Fenwick Township municipal building Monday night
            to argue over whether to pave Hollow Road, a three-mile gravel road that winds
            through farmland and woods along Stony Creek.

            Supervisors are considering a $1.1 million plan to pave the road, which residents say
            turns to mud each spring and to washboard each summer. The township would pay for it
            with a state road grant and money from its liquid fuels fund.

            "I have replaced two sets of shocks and a windshield in three years," said Ron
            Tillis, who drives the road twice a day to his job in Millbrook. "I am not asking for
            a highway. I am asking for a road."

            Others said paving would bring faster traffic and more development to one of the last
            rural corners of the township. "The gravel is the speed limit," said Margaret
            Oyelaran, whose family has farmed along the creek since the 1930s.

            Supervisors said they would take up the plan again at their May meeting.
        """),
        snippets=["More than 80 people crowded into the Fenwick Township municipal building",
                  "The gravel is the speed limit",
                  "Supervisors said they would take up the plan again at their May meeting."],
    ),
    dict(
        key="B5", kind="bare", story_id=88255, path="/stories/view/88255",
        title="Retired teacher's quilt collection goes on display",
        byline="By Teodora Vance", authors=["Teodora Vance"],
        shown="April 18, 2024", published="2024-04-18",
        body=paras("""
            For forty years Lorraine Abbott taught history to eighth-graders at Millbrook Middle
            School. For nearly as long, she collected quilts, buying them at estate sales, church
            rummage sales and farm auctions, often for less than the price of a new blanket.

            Now 84, Abbott has lent 32 of them to the Ashgrove County Historical Society, which
            opens an exhibit of the collection on Saturday at its museum on Court Street.

            The quilts span roughly 1850 to 1960 and include a Civil War-era album quilt signed
            by the women of a Methodist congregation in Harlan, a 1930s quilt pieced from printed
            feed sacks, and a crazy quilt embroidered with the names of a family's children.

            "Every one of these was made by a woman whose name was never in the newspaper,"
            Abbott said. "This was the way they left a record."

            The exhibit runs through September. Admission is $5 for adults and free for children
            and historical society members.
        """),
        snippets=["For forty years Lorraine Abbott taught history to eighth-graders",
                  "a 1930s quilt pieced from printed feed sacks",
                  "Admission is $5 for adults and free for children and historical society "
                  "members."],
    ),
]

BY_KEY = {a["key"]: a for a in ARTICLES}

# --------------------------------------------------------------------- other pages

OBITUARIES = [
    ("Margaret Ellen Sloane, 91, of Harlan", """
        Margaret Ellen Sloane, 91, of Harlan, died peacefully on May 4 at the Tamsen Valley
        Nursing Center surrounded by her family. Born on a dairy farm on Ridge Road, she taught
        piano to three generations of Harlan children and played the organ at Harlan United
        Methodist Church for 58 years. She is survived by four children, eleven grandchildren
        and a great many former students who still cannot play a scale without hearing her
        count. Visitation will be held Friday from 4 to 7 p.m. at Kerr Funeral Home."""),
    ("Raymond J. Fiorello, 77, of Millbrook", """
        Raymond J. Fiorello, 77, of Millbrook, died May 3 after a short illness. A Navy veteran,
        he ran Fiorello's Shoe Repair on Quarry Street for 39 years and was known for fixing
        children's shoes for free in September. He coached Little League at Veterans Field and
        never once, his family says, argued with an umpire. A Mass of Christian burial will be
        celebrated Saturday at 10 a.m. at St. Casimir Church."""),
    ("Dolores Anne Pike, 68, of Fenwick Township", """
        Dolores Anne Pike, 68, of Fenwick Township, died May 1 at home. She worked for 30 years
        as a nurse in the emergency department at Millbrook General Hospital and after retiring
        volunteered at the free clinic on Canal Street. She raised goats, won ribbons for her
        cheese at the county fair and read a mystery novel every week. Services will be private.
        Memorial contributions may be made to the Millbrook Free Clinic."""),
    ("Henry Okonkwo Adeyemi, 83, of Millbrook", """
        Henry Okonkwo Adeyemi, 83, of Millbrook, died April 29. He came to the Tamsen Valley in
        1968 to teach chemistry at Millbrook High School and stayed for 35 years, coaching the
        science olympiad team to four state titles. In retirement he grew prize dahlias and
        tutored students at the public library every Tuesday. A celebration of his life will be
        held June 1 at the library's community room."""),
    ("Beatrice L. Warrick, 95, of Cobb's Mill", """
        Beatrice L. Warrick, 95, of Cobb's Mill, died April 27. She was the first woman elected
        to the Cobb's Mill borough council, in 1971, and served five terms. She kept the
        borough's flower boxes planted for forty summers and baked pies for every fire company
        barbecue until she was 90. Funeral services will be held Thursday at 11 a.m. at Cobb's
        Mill Presbyterian Church."""),
    ("Gerald Thomas Haney, 59, of Millbrook", """
        Gerald Thomas Haney, 59, of Millbrook, died April 25. A lineman for Tamsen Valley
        Electric for 33 years, he worked through every major storm in the valley since 1991 and
        was proud to say he had never missed a call-out. He loved fishing the Tamsen below the
        Route 9 bridge and cooking for his neighbors. Visitation will be held Monday from 5 to
        8 p.m. at Brennan Funeral Home."""),
]

SUBSCRIBE = paras("""
    Local news is not free to make, and for 135 years the people of the Tamsen Valley have
    paid for the Millbrook Daily Register so that someone would be at the council meeting, the
    courthouse, the school board and the ballfield when they could not be there themselves.
    A subscription keeps that promise going.

    Digital access starts at $1 a week for the first six months and $3.99 a week after that.
    It includes unlimited stories on our website and app, the e-Edition replica of every
    printed page, the Register Daily Brief newsletter and our archive of stories going back to
    1998. You can cancel at any time online, without calling anybody or waiting on hold.

    Print and digital subscribers get the Register on their doorstep Wednesday through Sunday,
    plus everything included with digital access. Seven-day print delivery is available in
    Millbrook, Harlan, Cobb's Mill and most of Fenwick Township. Mail delivery is available
    everywhere else.

    Our subscribers pay for the reporting that no one else in the valley does. Last year that
    meant 212 city council, township and school board meetings covered in person, a six-month
    investigation of the county jail's medical contract, and more than 400 high school games.
    It also meant obituaries, wedding announcements, grange suppers and fire company
    barbecues, because a community is more than its government.

    Students, teachers, veterans and seniors over 70 qualify for a discounted rate of $1.99 a
    week. Schools and libraries in Ashgrove County can get free group access for students and
    patrons. Businesses can buy group subscriptions for their employees at a lower price per
    reader.

    Gift subscriptions make a thoughtful present for anyone who has moved away from the
    valley and still wants to know what is happening at home. Choose three, six or twelve
    months and we will send the recipient a card with a note from you.

    Questions about your account, delivery or billing can be answered by our customer service
    team Monday through Friday from 7 a.m. to 5 p.m. Thank you for supporting independent local
    journalism in the Tamsen Valley.
""")

ETHICS = paras("""
    The Millbrook Daily Register exists to give the people of the Tamsen Valley accurate, fair
    and complete information about their community. This policy describes the standards our
    reporters, photographers and editors follow, and what readers can expect from us when we
    fall short of them. It applies to everything we publish, in print, online and in our
    newsletters.

    We report facts we can verify. Every story is checked by at least one editor before
    publication. We identify the sources of our information whenever we can, and we explain
    why when we cannot. Anonymous sources are used only when the information is important,
    cannot be obtained any other way and has been confirmed; the decision to use one is made
    by the executive editor, not by the reporter alone.

    We are independent. Staff members do not accept gifts, free travel, meals or tickets from
    the people and organizations they cover, beyond trivial items such as a cup of coffee. We
    pay our own way. Staff do not hold elected office, serve on the boards of organizations
    they might cover or make political contributions, and they disclose to their editors any
    relationship that could be seen as a conflict of interest.

    Advertising and news are separate. Advertisers have no say in what we cover or how we
    cover it, and sponsored content is always labeled clearly as such. No one on the business
    side of the Register reviews stories before they are published.

    We treat the people we cover with respect. We identify ourselves as journalists when
    gathering news, we give people who are criticized in a story a fair chance to respond, and
    we take particular care when reporting on children, victims of crime and people in grief.
    We do not name victims of sexual assault without their consent. We name people charged with
    crimes only when charges are filed, and we report the outcome of cases we have covered.

    We correct our mistakes. When we get something wrong, we fix it promptly and say so at the
    end of the story, describing what was wrong and what is right. Significant errors in print
    are corrected in print as well. We do not quietly change published stories to hide errors.

    We do not unpublish stories except in rare cases, such as when a story was false or when
    keeping it online would put someone in danger. Requests to remove or update old stories
    about minor criminal matters are reviewed by a committee of editors under a written policy.

    Photographs and video show what happened. We do not stage news photographs or alter
    their content beyond routine adjustments of exposure and color, and we label
    illustrations and composite images clearly. We do not publish text or images produced
    by generative software as news without disclosing it to readers.

    Readers who believe we have fallen short of these standards are encouraged to contact the
    executive editor, whose email address and telephone number appear on our contact page.
    Every complaint receives a reply, and we publish a summary of the complaints we received
    and how we handled them once a year.
""")

FOOTER_NOTE = "© 2024 Tamsen Valley Media LLC. All rights reserved."
TAGLINE = "News for Millbrook and the Tamsen Valley since 1889"
SIGNUP_HEAD = "Sign up for our morning briefing"
SIGNUP_TEXT = "The Register's newsletter delivers the day's top local stories by 6 a.m."
STICKY = "Unlimited digital access for $1 a week"
STICKY2 = "Already a subscriber? Log in"
COMMENT_LINK = "Join the conversation"
REPLY = "Your email address will not be published. Required fields are marked"
LIVE_HEAD = "Live updates: Ashgrove County budget hearings"
LIVE_ITEMS = [
    ("9:02 a.m.", "Hearing on the sheriff's office budget moved to Thursday at the request of "
                  "commissioners."),
    ("8:40 a.m.", "Parks director asks for two more seasonal lifeguards at Quarry Lake."),
    ("8:15 a.m.", "Commissioners open day two of budget hearings with a moment of silence."),
]
PAYWALL = "Subscribers can read more of the Register's reporting on Ashgrove County"
NEWSLETTER = "Get the Register Daily Brief: the five stories Millbrook is talking about"
AD_LABEL = "ADVERTISEMENT - story continues below"
WEATHER = "Partly cloudy, high of 64, low of 41"
PRINT_LINK = "Printer-friendly version"
LEGACY_FOOT = "Copyright 1996-2024 Millbrook Daily Register. All rights reserved."
LEGACY_MAST = "Serving Ashgrove County since 1889"
MOST_READ = ["W3", "L5", "W5", "L1", "B3"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def sort_key(a: dict) -> str:
    """Local date and time as a sortable string (good enough for listing order)."""
    value = a.get("local") or a["published"]
    return value[:16]


def human_date(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{MONTHS[int(m) - 1]} {int(d)}, {y}"


def ampm(iso: str) -> str:
    hh, mm = int(iso[11:13]), iso[14:16]
    suffix = "a.m." if hh < 12 else "p.m."
    return f"{(hh - 1) % 12 + 1}:{mm} {suffix}"


def author_url(name: str) -> str:
    return f"/author/{PEOPLE[name]['slug']}/"


def words(text: str, n: int) -> str:
    parts = text.split()
    return " ".join(parts[:n]) + (" …" if len(parts) > n else "")


def excerpt(a: dict, n: int = 30) -> str:
    return words(" ".join(a["body"]), n)


def link_of(a: dict, ref: str | None = None) -> str:
    return a["path"] + (f"?ref={ref}" if ref and a["kind"] == "ld" else "")


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=sort_key, reverse=True)


# ------------------------------------------------------------------ WordPress shell

NAV = [("Local", "/news/local/"), ("Business", "/news/business/"), ("Nation", "/news/nation/"),
       ("Sports", "/sports/high-school/"), ("County", "/stories/list?section=county"),
       ("Obituaries", "/obituaries/"), ("Subscribe", "/subscribe/")]


def wp_nav() -> str:
    items = "".join(f'<li class="wp-block-navigation-item"><a class="wp-block-navigation-item__'
                    f'content" href="{esc(h)}"><span>{t}</span></a></li>' for t, h in NAV)
    return (f'<nav class="wp-block-navigation is-horizontal" aria-label="Primary">'
            f'<ul class="wp-block-navigation__container">{items}</ul></nav>')


def wp_footer() -> str:
    staff = "".join(f'<li><a href="{author_url(n)}">{esc(n)}</a></li>' for n in PEOPLE)
    months = "".join(f'<li><a href="/2024/{m:02d}/">{MONTHS[m - 1]} 2024</a></li>'
                     for m in (5, 4, 3))
    return f"""
<footer class="wp-block-template-part site-footer">
 <div class="wp-block-columns">
  <div class="wp-block-column"><h2 class="wp-block-heading">Our newsroom</h2>
   <ul class="wp-block-list">{staff}</ul></div>
  <div class="wp-block-column"><h2 class="wp-block-heading">Archives</h2>
   <ul class="wp-block-archives-list">{months}</ul></div>
  <div class="wp-block-column"><h2 class="wp-block-heading">About us</h2>
   <ul class="wp-block-list"><li><a href="/about/ethics-policy/">Ethics policy</a></li>
   <li><a href="/subscribe/">Subscribe</a></li><li><a href="/obituaries/">Obituaries</a></li>
   <li><a href="/sitemap.xml">Sitemap</a></li></ul></div>
 </div>
 <p class="has-small-font-size">{esc(FOOTER_NOTE)} {esc(TAGLINE)}.</p>
</footer>"""


STICKY_BAR = (f'<div class="register-sticky-footer" style="position:fixed;bottom:0;left:0;'
              f'right:0"><p>You are reading the Register for free this month. '
              f'<a href="/subscribe/">{esc(STICKY)}</a>. {esc(STICKY2)} '
              f'<a href="/subscribe/#login">here</a>.</p><button class="close" '
              f'aria-label="Close">×</button></div>')


def wp_page(title: str, main: str, *, head: str = "", body_class: str = "page",
            doc_title: str | None = None) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(doc_title or title)} – {SITE}</title>
<meta name="generator" content="WordPress 6.5.3">
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="/feed/">
<style id="wp-block-library-inline-css">.wp-block-pullquote{{border-top:4px solid}}
.register-sticky-footer{{background:#12324a;color:#fff;z-index:99}}</style>
{head}
</head>
<body class="{body_class} wp-embed-responsive">
<div class="wp-site-blocks">
<header class="wp-block-template-part">
 <div class="wp-block-group site-header">
  <p class="wp-block-site-title"><a href="/" rel="home">{SITE}</a></p>
  <p class="wp-block-site-tagline">{esc(TAGLINE)}</p>
  {wp_nav()}
  <form role="search" method="get" action="/search/" class="wp-block-search">
   <label for="s1" class="screen-reader-text">Search</label>
   <input id="s1" type="search" name="q" placeholder="Search the Register">
   <button type="submit">Search</button></form>
 </div>
</header>
{main}
{wp_footer()}
</div>
{STICKY_BAR}
</body>
</html>"""


def render_wp_article(a: dict, base: str) -> str:
    names = a["authors"]
    url = base + a["path"]
    head = f"""<link rel="canonical" href="{url}">
<link rel="shortlink" href="{base}/?p={a['wp_id']}">
<meta name="author" content="{esc(', '.join(names))}">
<meta name="description" content="{esc(excerpt(a, 25))}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:description" content="{esc(excerpt(a, 25))}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:image" content="{base}/wp-content/uploads/2024/05/{a['wp_id']}-1200x630.jpg">
<meta property="article:published_time" content="{a['published']}">
<meta property="article:modified_time" content="{a['modified']}">
<meta property="article:section" content="{esc(a['cats'][-1][0])}">
<meta name="twitter:card" content="summary_large_image">"""
    terms = '<span class="wp-block-post-terms__separator">, </span>'.join(
        f'<a href="{h}" rel="tag">{esc(t)}</a>' for t, h in a["cats"])
    byline = ""
    if a["byline_visible"]:
        links = " and ".join(f'<a href="{author_url(n)}" rel="author">{esc(n)}</a>'
                             for n in names)
        byline = (f'<div class="wp-block-post-author-name has-small-font-size">By {links}'
                  f'</div>')
    count = len(a["comments"])
    related_items = "".join(
        f'<li><a class="wp-block-latest-posts__post-title" href="{link_of(BY_KEY[k], "rel")}">'
        f'{esc(BY_KEY[k]["title"])}</a></li>' for k in a["related"])
    if a["related_inside"]:
        related = (f'<div id="jp-relatedposts" class="jp-relatedposts">'
                   f'<h3 class="jp-relatedposts-headline"><em>Related</em></h3>'
                   f'<ul class="jp-relatedposts-items">{related_items}</ul></div>')
    else:
        related = (f'<div class="wp-block-group related-posts"><h2 class="wp-block-heading">'
                   f'Related</h2><ul class="wp-block-latest-posts__list">{related_items}</ul>'
                   f'</div>')
    blocks = []
    for i, p in enumerate(a["body"]):
        blocks.append(f"<p>{esc(p)}</p>")
        if "figure" in a and a["figure"][0] == i:
            blocks.append(
                f'<figure class="wp-block-image size-large"><img decoding="async" '
                f'src="/wp-content/uploads/2024/05/{a["wp_id"]}-{i}.jpg" alt="" width="1024" '
                f'height="683"><figcaption class="wp-element-caption">{esc(a["figure"][1])}'
                f'</figcaption></figure>')
        if a["signup_after"] == i:
            blocks.append(
                f'<div class="wp-block-group is-style-newsletter-inline has-background">'
                f'<h3 class="wp-block-heading">{SIGNUP_HEAD}</h3><p>{esc(SIGNUP_TEXT)}</p>'
                f'<form class="newsletter-form" action="/subscribe/" method="get">'
                f'<input type="email" name="email" placeholder="Email address">'
                f'<button type="submit">Sign up</button></form></div>')
        if "pullquote" in a and a["pullquote"][0] == i:
            _, quote, who = a["pullquote"]
            blocks.append(f'<figure class="wp-block-pullquote"><blockquote><p>{esc(quote)}</p>'
                          f'<cite>{esc(who)}</cite></blockquote></figure>')
    content = "\n".join(blocks)
    if a["related_inside"]:
        content += "\n" + related
        related = ""
    comments = "".join(
        f'<li class="comment"><div class="wp-block-comment-author-name">{esc(who)}</div>'
        f'<div class="wp-block-comment-date"><a href="#comment-{a["wp_id"]}{j}">'
        f'{human_date(a["local"])} at 9:{10 + j} pm</a></div><div class="wp-block-comment-'
        f'content"><p>{esc(text)}</p></div></li>'
        for j, (who, text) in enumerate(a["comments"]))
    main = f"""
<main class="wp-block-group is-layout-constrained">
 <div class="wp-block-group alignwide post-header">
  <div class="taxonomy-category wp-block-post-terms">{terms}</div>
  <h1 class="wp-block-post-title">{esc(a['title'])}</h1>
  {byline}
  <div class="wp-block-post-date"><time datetime="{a['local']}">{human_date(a['local'])}</time>
  </div>
  <div class="wp-block-comments-count"><a href="#comments">{COMMENT_LINK}: {count}
   comment{'s' if count != 1 else ''}</a></div>
 </div>
 <div class="entry-content alignfull wp-block-post-content has-global-padding
  is-layout-constrained">
{content}
 </div>
 {related}
 <div class="wp-block-comments" id="comments">
  <h2 class="wp-block-comments-title">{count} response{'s' if count != 1 else ''} to
   &ldquo;{esc(a['title'])}&rdquo;</h2>
  <ol class="wp-block-comment-template">{comments}</ol>
  <div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
   <form action="/wp-comments-post.php" method="post" class="comment-form">
   <p class="comment-notes">{REPLY} *</p><textarea name="comment"></textarea>
   <input type="submit" value="Post Comment"></form></div>
 </div>
</main>"""
    return wp_page(a["title"], main, head=head,
                   body_class=f"wp-singular post-template-default single single-post "
                              f"postid-{a['wp_id']}")


# ---------------------------------------------------------------------- LD shell

def ld_header() -> str:
    links = "".join(f'<a class="nav-link" href="{esc(h)}">{t}</a>' for t, h in NAV)
    return (f'<div class="top-strip"><span>Thursday edition</span> <a href="/subscribe/">'
            f'Subscribe</a></div><header class="masthead"><a class="masthead__logo" href="/">'
            f'{SITE}</a><nav class="masthead__nav">{links}</nav></header>')


def ld_footer() -> str:
    return (f'<footer class="site-foot"><div class="site-foot__links"><a href="/about/ethics-'
            f'policy/">Ethics policy</a> · <a href="/subscribe/">Subscribe</a> · <a href="/'
            f'obituaries/">Obituaries</a> · <a href="/2024/05/">Archive</a></div>'
            f'<p class="site-foot__legal">{esc(FOOTER_NOTE)}</p></footer>')


def render_ld_article(a: dict, base: str) -> str:
    url = base + a["path"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "description": excerpt(a, 25),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": a["published"],
        "dateModified": a["modified"],
        "author": a["ld_author"],
        "publisher": {"@type": "Organization", "name": SITE,
                      "logo": {"@type": "ImageObject", "url": base + "/static/logo.png"}},
        "image": [base + f"/static/img/{a['path'].strip('/').replace('/', '-')}.jpg"],
        "articleSection": a["kicker"],
        "isAccessibleForFree": False,
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                    "cssSelector": ".story-text"},
    }
    og_type = '<meta property="og:type" content="website">' if a.get("og_website") else ""
    blocks = []
    for i, p in enumerate(a["body"]):
        blocks.append(f'<p class="story-text__graf">{esc(p)}</p>')
        if "tweet" in a and a["tweet"][0] == i:
            _, name, handle, status, when, text = a["tweet"]
            blocks.append(
                f'<div class="embed embed--twitter"><blockquote class="twitter-tweet" '
                f'data-dnt="true"><p lang="en" dir="ltr">{esc(text)}</p>&mdash; {esc(name)} '
                f'(@{handle}) <a href="https://twitter.com/{handle}/status/{status}?ref_src='
                f'twsrc%5Etfw">{when}</a></blockquote><script async src="https://platform.'
                f'twitter.com/widgets.js" charset="utf-8"></script></div>')
        if i == 1:
            blocks.append(f'<div class="ad-slot ad-slot--mid" data-slot="mid1"><span>'
                          f'{AD_LABEL}</span></div>')
    live = "".join(f'<li class="live-box__item"><time>{t}</time> {esc(x)}</li>'
                   for t, x in LIVE_ITEMS)
    most = "".join(f'<li><a href="{link_of(BY_KEY[k], "mostread")}">'
                   f'{esc(BY_KEY[k]["title"])}</a></li>' for k in MOST_READ if k != a["key"])
    pub, mod = a["published"], a["modified"]
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(a['title'])} | {SITE}</title>
<link rel="canonical" href="{url}">
<meta name="description" content="{esc(excerpt(a, 25))}">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:url" content="{url}">
{og_type}
<meta property="og:site_name" content="{SITE}">
<script type="application/ld+json">{json.dumps(data)}</script>
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="story-page">
<div id="app">
{ld_header()}
<div class="page-grid">
 <div class="main-col">
  <div class="kicker"><a href="{a['section']}">{esc(a['kicker'])}</a></div>
  <h1 class="headline">{esc(a['title'])}</h1>
  <div class="byline-row"><span class="byline">{esc(a['byline'])}</span>
   <span class="timestamp">Published {human_date(pub)} at {ampm(pub)} EDT
   | Updated {human_date(mod)} at {ampm(mod)} EDT</span></div>
  <aside class="live-box"><div class="live-box__label">LIVE</div>
   <h3 class="live-box__title">{LIVE_HEAD}</h3><ul>{live}</ul>
   <a href="/news/local/">See all updates</a></aside>
  <div class="story-text" data-qa="article-body">
{chr(10).join(blocks)}
  </div>
  <div class="paywall-teaser"><p><strong>{PAYWALL}</strong> with unlimited digital access for
   $1 a week. <a href="/subscribe/">See subscription options</a></p></div>
  <div class="newsletter-box"><h4>The Register Daily Brief</h4><p>{esc(NEWSLETTER)}, every
   weekday at 6 a.m.</p><form action="/subscribe/"><input type="email" name="email">
   <button>Sign me up</button></form></div>
 </div>
 <div class="rail"><h3 class="rail__title">Most read</h3><ol class="rail__list">{most}</ol>
 </div>
</div>
{ld_footer()}
</div>
</body>
</html>"""


# ------------------------------------------------------------------ legacy shell

def legacy_shell(main: str, head: str = "") -> str:
    nav = "".join(f'<A HREF="{esc(h)}">{t}</A><BR>' for t, h in NAV)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">
<TITLE>{SITE} - County Edition - Story</TITLE>
{head}
</HEAD>
<BODY BGCOLOR="#FFFFFF" TEXT="#000000" LINK="#003366">
<CENTER>
<TABLE WIDTH="760" BORDER="0" CELLPADDING="4" CELLSPACING="0">
<TR><TD COLSPAN="2" BGCOLOR="#DDDDBB"><A HREF="/"><FONT FACE="Georgia,Times" SIZE="6"><B>{SITE}
</B></FONT></A><BR><FONT SIZE="1">{LEGACY_MAST} - County Edition</FONT></TD></TR>
<TR><TD WIDTH="150" VALIGN="top" BGCOLOR="#EEEECC"><FONT FACE="Arial" SIZE="2">{nav}
<BR><B>Weather</B><BR>{WEATHER}</FONT></TD>
<TD VALIGN="top">
{main}
</TD></TR>
</TABLE>
<FONT SIZE="1" FACE="Arial">{LEGACY_FOOT}</FONT>
</CENTER>
</BODY>
</HTML>"""


BARE = [a for a in ARTICLES if a["kind"] == "bare"]


def render_bare_article(a: dict, base: str, *, printable: bool = False) -> str:
    paragraphs = "\n".join(f"<P>{esc(p)}" for p in a["body"])
    story = (f'<H2>{esc(a["title"])}</H2>\n<I>{esc(a["byline"])}</I><BR>\n'
             f'<FONT SIZE="2" COLOR="#666666">{a["shown"]}</FONT>\n{paragraphs}\n')
    if printable:
        return (f'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<HTML><HEAD>'
                f'<TITLE>{SITE} - Print</TITLE><LINK REL="canonical" HREF="{base}{a["path"]}">'
                f'</HEAD><BODY onload="window.print()"><FONT FACE="Times">{story}</FONT>'
                f'<HR><FONT SIZE="1">{LEGACY_FOOT}</FONT></BODY></HTML>')
    others = "".join(f'<LI><A HREF="{o["path"]}">{esc(o["title"])}</A>' for o in BARE
                     if o is not a)
    main = (f'{story}<P><FONT SIZE="1"><A HREF="{a["path"]}?print=1">{PRINT_LINK}</A> | '
            f'<A HREF="mailto:?subject={a["story_id"]}">Email this story</A></FONT>\n<HR>\n'
            f'<B>Other county stories:</B><UL>{others}</UL>')
    return legacy_shell(main)


# ---------------------------------------------------------------------- listings

def teaser(a: dict, n: int = 30, ref: str | None = None) -> str:
    who = ", ".join(a["authors"])
    when = human_date(a.get("local") or a["published"])
    return (f'<li class="wp-block-post"><h2 class="wp-block-post-title"><a href="'
            f'{esc(link_of(a, ref))}">{esc(a["title"])}</a></h2><div class="wp-block-post-'
            f'date"><time>{when}</time></div><p class="byline">{esc(who)}</p>'
            f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
            f'{esc(excerpt(a, n))}</p></div></li>')


def wp_listing(title: str, items: list[dict], *, intro: str = "", prev: str = "",
               nxt: str = "", head: str = "", ref: str | None = None) -> str:
    links = ""
    if prev:
        head += f'\n<link rel="prev" href="{prev}">'
        links += f'<a class="wp-block-query-pagination-previous" href="{prev}">Newer stories</a>'
    if nxt:
        head += f'\n<link rel="next" href="{nxt}">'
        links += f' <a class="wp-block-query-pagination-next" href="{nxt}">Older stories</a>'
    body = "".join(teaser(a, ref=ref) for a in items)
    main = (f'<main class="wp-block-group"><h1 class="wp-block-query-title">{esc(title)}</h1>'
            f'{intro}<ul class="wp-block-post-template">{body}</ul>'
            f'<nav class="wp-block-query-pagination">{links}</nav></main>')
    return wp_page(title, main, head=head, body_class="archive category")


def paged(prefix: str, items: list[dict], size: int, title: str) -> dict[str, str]:
    out = {}
    pages = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    url = [prefix] + [f"{prefix}page/{n}/" for n in range(2, len(pages) + 1)]
    for n, chunk in enumerate(pages):
        out[url[n]] = wp_listing(
            title + (f" – Page {n + 1}" if n else ""), chunk,
            prev=url[n - 1] if n else "", nxt=url[n + 1] if n + 1 < len(pages) else "")
    return out


def in_section(prefix: str) -> list[dict]:
    return newest_first([a for a in ARTICLES if a["kind"] != "bare"
                         and (a.get("section", "").startswith(prefix)
                              or any(h == prefix for _, h in a.get("cats", [])))])


def home(base: str) -> str:
    hero = BY_KEY["W1"]
    latest = "".join(
        f'<li><a href="{esc(link_of(a, "latest"))}">{esc(a["title"])}</a> '
        f'<span class="time">{human_date(a.get("local") or a["published"])}</span></li>'
        for a in newest_first(ARTICLES))
    county = "".join(teaser(a, 20) for a in newest_first(BARE)[:3])
    main = f"""
<main class="wp-block-group home">
 <section class="hero wp-block-cover">
  <p class="kicker">Top story</p>
  <h2 class="hero__title"><a href="{hero['path']}">{esc(hero['title'])}</a></h2>
  <p class="hero__excerpt">{esc(excerpt(hero, 100))}</p>
  <p class="hero__more"><a href="{hero['path']}">Continue reading</a> ·
   <a href="{hero['path']}#comments">{len(hero['comments'])} comments</a></p>
 </section>
 <div class="wp-block-columns">
  <div class="wp-block-column">
   <h2>From the county edition</h2><ul class="wp-block-post-template">{county}</ul>
   <p><a href="/stories/list?section=county">More county news</a></p>
   <h2>Local news</h2><p><a href="/news/local/">All local stories</a> ·
    <a href="/news/local/schools/">Schools</a> ·
    <a href="/news/local/transportation/">Transportation</a> ·
    <a href="/news/">All news</a></p>
  </div>
  <aside class="wp-block-column latest-rail"><h2>Latest</h2><ol>{latest}</ol>
   <h3>Popular searches</h3><p><a href="/search/?q=bridge">bridge</a></p></aside>
 </div>
</main>"""
    return wp_page("Home", main, body_class="home blog",
                   doc_title="Millbrook news, sports and obituaries",
                   head=f'<link rel="canonical" href="{base}/">')


def build_pages(base: str) -> dict[str, str]:
    pages: dict[str, str] = {"/": home(base)}
    for a in ARTICLES:
        if a["kind"] == "wp":
            pages[a["path"]] = render_wp_article(a, base)
        elif a["kind"] == "ld":
            pages[a["path"]] = render_ld_article(a, base)
        else:
            pages[a["path"]] = render_bare_article(a, base)
            pages[a["path"] + "?print=1"] = render_bare_article(a, base, printable=True)
    pages.update(paged("/news/", in_section("/news/"), 6, "News"))
    pages.update(paged("/news/local/", in_section("/news/local/"), 3, "Local"))
    pages.update(paged("/news/local/schools/", [BY_KEY["W2"]], 10, "Schools"))
    pages.update(paged("/news/local/transportation/", [BY_KEY["W4"]], 10, "Transportation"))
    pages.update(paged("/news/business/", in_section("/news/business/"), 10, "Business"))
    pages.update(paged("/news/nation/", in_section("/news/nation/"), 10, "Nation"))
    pages.update(paged("/sports/high-school/", in_section("/sports/high-school/"), 10,
                       "High School Sports"))
    for month in ("03", "04", "05"):
        items = newest_first([a for a in ARTICLES
                              if (a.get("local") or a["published"])[:7] == f"2024-{month}"])
        pages[f"/2024/{month}/"] = wp_listing(
            f"Archives: {MONTHS[int(month) - 1]} 2024", items, ref="archive")
    for name, person in PEOPLE.items():
        items = newest_first([a for a in ARTICLES if name in a["authors"]])
        bio = " ".join(person["bio"].split())
        intro = (f'<div class="author-bio"><img src="/static/staff/{person["slug"]}.jpg" alt="">'
                 f'<p>{esc(bio)}</p></div>')
        pages[author_url(name)] = wp_listing(f"Author: {name}", items, intro=intro)
    hits = newest_first([a for a in ARTICLES if "bridge" in " ".join(a["body"]).lower()])
    pages["/search/?q=bridge"] = wp_listing(
        "Search results for “bridge”", hits,
        intro=f'<p class="search-count">{len(hits)} results</p>',
        head='<meta name="robots" content="noindex, follow">')
    # county edition (legacy) list with ?p=N pagination
    county = newest_first(BARE)
    chunks = [county[:3], county[3:]]
    for n, chunk in enumerate(chunks, start=1):
        rows = "".join(
            f'<TR><TD><A HREF="{a["path"]}"><B>{esc(a["title"])}</B></A><BR><FONT SIZE="1">'
            f'{a["shown"]}</FONT><BR><FONT SIZE="2">{esc(excerpt(a, 35))}</FONT></TD></TR>'
            for a in chunk)
        pager = ""
        if n > 1:
            pager += '<A HREF="/stories/list?section=county">&lt;&lt; Previous page</A> '
        if n < len(chunks):
            pager += f'<A HREF="/stories/list?section=county&amp;p={n + 1}">Next page &gt;&gt;</A>'
        key = "/stories/list?section=county" + (f"&p={n}" if n > 1 else "")
        pages[key] = legacy_shell(
            f'<H2>County News</H2><TABLE WIDTH="100%" CELLPADDING="6">{rows}</TABLE>'
            f'<P ALIGN="center"><FONT SIZE="2">Page {n} of {len(chunks)} | {pager}</FONT>')
    # obituaries, ?p=2 style
    for n in (1, 2):
        chunk = OBITUARIES[(n - 1) * 3:n * 3]
        entries = "".join(
            f'<div class="obit"><h2 class="obit__name">{esc(who)}</h2>'
            f'<p>{esc(" ".join(text.split()))}</p></div>' for who, text in chunk)
        head = ('<link rel="next" href="/obituaries/?p=2">' if n == 1
                else '<link rel="prev" href="/obituaries/">')
        pager = ('<a class="next" href="/obituaries/?p=2">More obituaries</a>' if n == 1
                 else '<a class="prev" href="/obituaries/">Newer obituaries</a>')
        key = "/obituaries/" + ("?p=2" if n == 2 else "")
        main = (f'<main class="wp-block-group obituaries"><h1>Obituaries</h1>'
                f'<div class="obit-list">{entries}</div><nav>{pager}</nav></main>')
        pages[key] = wp_page("Obituaries", main, head=head, body_class="page obituaries")
    sub = "".join(f"<p>{esc(p)}</p>" for p in SUBSCRIBE)
    pages["/subscribe/"] = wp_page(
        "Subscribe to the Register",
        f'<main class="wp-block-group"><h1>Subscribe to the Register</h1>'
        f'<div class="wp-block-post-content">{sub}<div class="wp-block-buttons"><a class="'
        f'wp-block-button__link" href="/subscribe/#digital">Start for $1 a week</a></div>'
        f'</div></main>', body_class="page page-template-default")
    ethics = "".join(f"<p>{esc(p)}</p>" for p in ETHICS)
    pages["/about/ethics-policy/"] = wp_page(
        "Ethics policy",
        f'<main class="wp-block-group"><article class="page type-page status-publish">'
        f'<h1 class="wp-block-post-title">Ethics policy</h1><div class="wp-block-post-content">'
        f'{ethics}</div></article></main>',
        head=f'<link rel="canonical" href="{base}/about/ethics-policy/">',
        body_class="page page-template-default")
    return pages


def sitemap(base: str, pages: dict[str, str]) -> str:
    urls = "".join(f"<url><loc>{esc(base + p)}</loc></url>" for p in pages
                   if "?print=1" not in p and "?q=" not in p)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{urls}</urlset>\n')


SHORTLINKS = {f"/?p={a['wp_id']}": a["path"] for a in ARTICLES if a["kind"] == "wp"}
LD_PATHS = {a["path"] for a in ARTICLES if a["kind"] == "ld"}


def _respond(base: str, pages: dict[str, str], request: Request) -> tuple:
    target = request.target
    path, _, query = target.partition("?")
    if target == "/robots.txt":
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
        return 200, robots.encode(), "text/plain; charset=utf-8"
    if target == "/sitemap.xml":
        return 200, sitemap(base, pages).encode(), "application/xml; charset=utf-8"
    if target in pages:
        return 200, pages[target].encode("utf-8"), "text/html; charset=UTF-8"
    if target in SHORTLINKS:
        return 301, b"", "text/html", {"Location": SHORTLINKS[target]}
    if path in LD_PATHS and set(parse_qs(query)) <= {"ref", "utm_source", "utm_medium"}:
        return 200, pages[path].encode("utf-8"), "text/html; charset=UTF-8"
    if not path.endswith("/") and path + "/" in pages:
        return 301, b"", "text/html", {"Location": path + "/"}
    body = wp_page("Page not found", '<main><h1>Nothing here</h1><p>Sorry, that page '
                   'could not be found.</p></main>', body_class="error404")
    return 404, body.encode("utf-8"), "text/html; charset=UTF-8"


def serve() -> RunningSite:
    """Start the site on 127.0.0.1, an ephemeral port, in a daemon thread."""
    return serve_site(lambda base: partial(_respond, base, build_pages(base)),
                      name="odd-bylines-site", server_version="Apache/2.4.58")


# ================================================================== ground truth

_GENERIC_BOILERPLATE = {
    "wp": [SIGNUP_HEAD, SIGNUP_TEXT, STICKY, STICKY2, COMMENT_LINK, FOOTER_NOTE, TAGLINE,
           "Your email address will not be published."],
    "ld": [LIVE_HEAD, LIVE_ITEMS[0][1], LIVE_ITEMS[1][1], PAYWALL, NEWSLETTER, AD_LABEL,
           FOOTER_NOTE, "See subscription options"],
    "bare": [WEATHER, PRINT_LINK, LEGACY_FOOT, LEGACY_MAST, "Other county stories"],
}


def _boilerplate(a: dict) -> list[str]:
    out = list(_GENERIC_BOILERPLATE[a["kind"]])
    if a["kind"] == "wp":
        out += [BY_KEY[k]["title"] for k in a["related"]]
        out += [text for _, text in a["comments"]]
    elif a["kind"] == "ld":
        out += [BY_KEY[k]["title"] for k in MOST_READ if k != a["key"]][:3]
    else:
        out += [o["title"] for o in BARE if o is not a][:2]
        out += [a["byline"], a["shown"]]
    return out


EXPECTED: list[dict] = [ground_truth(a, _boilerplate(a)) for a in ARTICLES]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/news/", "/news/page/2/", "/news/local/", "/news/local/page/2/", "/news/local/page/3/",
    "/news/local/schools/", "/news/local/transportation/", "/news/business/", "/news/nation/",
    "/sports/high-school/", "/stories/list?section=county", "/stories/list?section=county&p=2",
    "/2024/03/", "/2024/04/", "/2024/05/", "/search/?q=bridge", "/obituaries/",
    "/obituaries/?p=2", "/subscribe/", "/about/ethics-policy/",
    *(author_url(n) for n in PEOPLE),
]
