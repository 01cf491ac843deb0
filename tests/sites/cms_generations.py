"""A news site of three CMS generations: "The Harbour Ledger".

Written apart from the crawler's code (standard library only). A fictional newsroom
in Port Calloway whose site mixes three generations of templates, as real news
sites do after CMS migrations:

* ``wp``   – a WordPress-like theme: /YYYY/MM/slug/, /slug-with-words/ and /?p=N
  permalinks, og:type=article + article:published_time, rel="author" bylines,
  "Read also" boxes inside the body, share buttons, newsletter box, related posts
  with excerpts, comments (in <article> elements, as WordPress themes do).
* ``ld``   – a custom "Ledger Features" CMS: JSON-LD @graph (WebSite, Organization,
  BreadcrumbList, WebPage, NewsArticle/BlogPosting, Person), odd class names, a
  cookie banner, ad slots, "Most popular" and no og/<article>.
* ``bare`` – the legacy archive: /news/2024/story_N.htm and /article.php?id=N,
  table layout, plain-text bylines and textual dates, one story using <br><br>.

``serve()`` starts it on 127.0.0.1 port 0. ``EXPECTED`` is the per-article ground
truth, ``EXPECTED_NON_ARTICLES`` the pages that must not come out as articles.
"""

from __future__ import annotations

import json
from functools import partial

from tests.sites.pages import esc, ground_truth, paras
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

# --------------------------------------------------------------------------- people

PEOPLE: dict[str, dict] = {
    "Maren Holt": dict(slug="maren-holt", bio="""
        Maren Holt has covered the harbour, the fleet and everything that floats for the
        Ledger since 2015, after six years as a deckhand on the Skerrin ferry and a short,
        unhappy spell in local radio. She holds a Yachtmaster certificate, keeps a tide
        table taped inside every notebook and is the only member of the newsroom who can
        read a ship's stability booklet without help. Before joining the paper she spent a
        winter on a research vessel in the Norwegian Sea, which she says taught her more
        about patience than any editor has. Maren grew up in the pilot cottages on Gull
        Point and still lives within sight of the east channel. She welcomes tips from
        crews, skippers and anyone who works on the water, and promises to protect sources
        who would rather not be named."""),
    "Kwame Mensah-Boateng": dict(slug="kwame-mensah-boateng", bio="""
        Kwame Mensah-Boateng writes about work: who does it, what it pays and what it costs
        the people who do it. He joined the Ledger from a trade union newsletter in the
        city, where he spent four years reporting on warehouse and logistics jobs, and
        before that he worked nights in a parcel depot while studying economics part time.
        At the Ledger he has written about pilot boat crews, grain terminal shifts,
        shipyard apprenticeships and the long decline of the cannery economy. He is
        particularly interested in shift patterns and the way night work reshapes family
        life in a port town. Kwame is a keen amateur cyclist and can usually be found on
        the coast road at weekends, complaining about the state of the sea wall."""),
    "Ruth O'Callaghan": dict(slug="ruth-ocallaghan", bio="""
        Ruth O'Callaghan is the Ledger's island correspondent and writes a fortnightly
        column about life on Skerrin, where she has lived since 2004. She came to the
        island as a relief teacher, stayed for the lifeboat, and started writing for the
        paper after her letters to the editor became too long to print as letters. Her
        reporting covers the ferry, the school, the cottage hospital and the lifeboat
        station, where she served as a shore crew volunteer for eleven years. Ruth has a
        particular dislike of footnotes, timetables and any document that requires a
        second document to explain it. She is writing a history of the island's post
        office and would be glad to hear from anyone with photographs of it before the
        fire of 1972."""),
    "Priya Velankar": dict(slug="priya-velankar", bio="""
        Priya Velankar is the Ledger's environment reporter. She trained as a marine
        biologist and spent five years counting seagrass shoots and juvenile flatfish in
        estuaries along the west coast before deciding that she preferred explaining
        science to doing it. Since joining the paper in 2019 she has reported on
        managed realignment at Merrow Bay, the removal of the weir on the River Calle,
        sewage overflows at the town beaches and the slow return of seals to the outer
        skerries. She is a member of the national association of science writers and
        sits on the advisory panel of the county's coastal monitoring programme, a role
        she declares whenever she writes about it. Priya is happiest in waders."""),
    "Desmond Achterberg": dict(slug="desmond-achterberg", bio="""
        Desmond Achterberg is the Ledger's business editor. He spent twenty years at a
        financial news agency in Amsterdam and London, covering shipping, commodities
        and, for a memorable eighteen months, the herring futures market, before moving to
        Port Calloway to be closer to his partner's family. He writes about the fish
        market, the shipyard, the grain terminal, the high street and the county budget,
        and edits the Ledger's weekly Money and Markets page. Desmond believes that most
        economic stories are really stories about people arguing over who pays, and that
        the best place to find them is in the footnotes of a company's annual report. He
        sings bass in the harbour choir and bakes an alarming amount of bread."""),
    "Tomasz Wiśniewski": dict(slug="tomasz-wisniewski", bio="""
        Tomasz Wiśniewski reports on local government, planning and transport for the
        Ledger. He moved to Port Calloway from Gdańsk as a teenager, went to Calloway
        Academy and Wrenmoor College, and joined the paper as a trainee in 2020 after
        winning the county's young journalist award for a series on bus cuts in the rural
        villages. He attends every meeting of the town council, most meetings of the
        county council and, he says, more licensing hearings than any person should. He
        is the newsroom's resident expert on planning law and the author of the Ledger's
        guide to objecting to a planning application. Outside work he plays in goal for
        the harbour five-a-side team and restores old bicycles."""),
    "Lucía Ferrer": dict(slug="lucia-ferrer", bio="""
        Lucía Ferrer is a photographer and reporter who joined the Ledger from a
        regional daily in Valencia, where she covered ports and fisheries for nine years.
        Her work at the Ledger spans features, business and the occasional court case,
        and she is responsible for most of the photographs that appear in the paper's
        weekend magazine. She has documented the last net menders on Calloway Quay, the
        refit of the research vessel Cormorant and a full year of dawn auctions at the fish
        market. Lucía speaks four languages, none of them, she insists, as well as she
        speaks boat. Her exhibition of harbour portraits toured the county libraries last
        year and is now held by the harbour museum."""),
    "Aoife Ní Bhriain": dict(slug="aoife-ni-bhriain", bio="""
        Aoife Ní Bhriain edits Ledger Features, the paper's long-form section, and writes
        about history, memory and the people who keep old skills alive. She grew up on a
        fishing island off the Galway coast, studied folklore at university and worked as
        an oral historian for a decade before turning to journalism. At the Ledger she has
        written about net makers, lighthouse keepers, the last cooper in the county and the
        women of the cannery. Aoife believes that every town has a hundred stories that
        nobody has written down and that most of them are in somebody's attic. She is
        always looking for letters, diaries, logbooks and photographs, and will happily
        come and look at a box of papers before anyone throws it away."""),
    "Hattie Greaves": dict(slug="hattie-greaves", bio="""
        Hattie Greaves is the Ledger's courts correspondent and its longest-serving
        reporter, having joined the paper as a sixteen-year-old copy runner in 1986. She
        has covered Calloway Magistrates' Court and the county crown court for more than
        thirty years and has sat through, by her own estimate, something over twelve
        thousand cases. Hattie also looks after the Ledger's archive and is the person
        colleagues ask when they need to know what happened in the town in any given year
        since the war. She wrote the paper's account of the cannery closure in 1983 and
        returned to the subject forty years later. She keeps bees, grows prize onions and
        has never owned a mobile phone she liked."""),
    "Owen Prys": dict(slug="owen-prys", bio="""
        Owen Prys is a general news reporter at the Ledger, covering culture, heritage and
        whatever else needs covering on the day. He joined the paper in 2022 after a
        degree in history and a year writing museum labels, which he says taught him to
        explain anything in forty words or fewer. He has reported on lottery grants, the
        lighthouse logbooks, storm damage at the ferry terminal and the long campaign to
        save the harbour bandstand. Owen is also the Ledger's unofficial quiz master and
        sets the weekly news quiz that appears in the Saturday edition. He is learning
        Welsh, badly, and sailing, slightly less badly, and is the newsroom's most
        reliable source of biscuits."""),
}
for _name, _person in PEOPLE.items():
    _person["bio"] = " ".join(line.strip() for line in _person["bio"].strip().splitlines())


# ------------------------------------------------------------------------- articles
# kind: "wp" (WordPress-like, og + rel=author), "ld" (JSON-LD @graph), "bare" (legacy table)

ARTICLES: list[dict] = [
    dict(
        key="A1", kind="wp", wp_id=4101, section="harbour", tags=["ferries"],
        path="/2024/03/ferry-fares-rise-for-first-time-in-a-decade/",
        title="Ferry fares rise for first time in a decade",
        authors=["Maren Holt"],
        published="2024-03-12T06:30:00+00:00", modified="2024-03-13T10:12:44+00:00",
        body=paras("""
            Passengers on the Calloway to Skerrin ferry will pay more from the first of May,
            after the operator confirmed its first fare increase in ten years. A standard adult
            return will rise from £14.50 to £17.20, while the island residents' card will stay
            frozen until at least next spring.

            Wrenmoor Sound Ferries said the decision followed two winters of fuel bills that it
            described as "punishing for a route that carries fewer than four hundred people on a
            quiet Tuesday". The company's chief executive, Ilse Brandvold, told the Ledger that
            the alternative would have been cutting the early sailing altogether.

            The 06:40 departure is the only crossing that allows island pupils to reach Calloway
            Academy before registration. Parents had feared it would be the first casualty of
            any savings drive, and more than three hundred signed a petition in January asking
            the county to guarantee it.

            Councillor Fergus Maitland, who chairs the county transport committee, said the
            increase was "regrettable but not unexpected". He added that a bid for a national
            island connectivity grant had been resubmitted with new passenger figures after the
            first application was rejected on a technicality last autumn.

            Regular commuters were less forgiving. Nurse Siobhan Carrick, who crosses four times
            a week to work at the cottage hospital, said the rise would cost her roughly forty
            pounds a month. "Nobody on the island has had a pay rise of eighteen per cent," she
            said.

            The operator says concession fares for pensioners and under-sixteens will not
            change, and that a new ten-journey carnet will be introduced in June for people who
            travel less often than daily.
        """),
        read_also=("A4", 3, "p"),
        related=["A3", "A2", "B5"],
        comments=[
            ("Fenwick_Islander", "March 12, 2024 at 8:02 am",
             "I have taken this boat every working day since 2009 and the 06:40 is the only "
             "reason I can keep my job in town. If they had cut it I would have had to move, "
             "and so would half my street. Grateful it survived, even if my wallet is not "
             "happy about it and the coffee on board is still terrible."),
            ("Gwen P.", "March 12, 2024 at 9:47 am",
             "Eighteen per cent is a lot but honestly the crew on that route deserve every "
             "penny. They held the boat for my mother twice last winter when the bus from "
             "the hospital was late, and nobody asked them to. I would rather pay more than "
             "lose them to the tankers."),
        ],
        snippets=[
            "A standard adult return will rise from £14.50 to £17.20, while the island "
            "residents' card will stay frozen until at least next spring.",
            "The 06:40 departure is the only crossing that allows island pupils to reach "
            "Calloway Academy before registration.",
            "a new ten-journey carnet will be introduced in June for people who travel less "
            "often than daily.",
        ],
    ),
    dict(
        key="A2", kind="wp", wp_id=4093, section="harbour", tags=["port-workers"],
        path="/2024/03/pilot-boat-crews-vote-on-night-shift-deal/",
        title="Pilot boat crews vote on night-shift deal",
        authors=["Maren Holt", "Kwame Mensah-Boateng", "Ruth O'Callaghan"],
        published="2024-03-08T17:15:00+00:00", modified="2024-03-08T17:40:03+00:00",
        body=paras("""
            Crews on Port Calloway's three pilot boats will vote next week on a revised
            night-shift agreement, ending a dispute that has twice delayed tanker arrivals at
            the oil jetty since Christmas.

            Under the offer, pilots and coxswains working between midnight and six would
            receive an enhanced rate of time and a half, up from the current time and a
            quarter, and a guaranteed eleven-hour rest period after any shift that runs beyond
            four in the morning.

            The Harbour Board had initially proposed a flat allowance instead of an enhanced
            rate. Union representatives rejected that in February, arguing it would leave crews
            on the busiest nights worse off than those on quiet ones.

            Board secretary Annika Thorvaldsen said the revised package had been costed at just
            under ninety thousand pounds a year. "We think it is fair and we think it is
            affordable, and we would rather spend that money on people than on demurrage
            charges," she said.

            Two tankers bound for the jetty anchored off Gull Point for a combined thirty-one
            hours in January when no night crew was available. Shipping agents said each hour
            of delay cost operators several thousand pounds.

            The ballot closes on Friday at noon. If the deal is accepted it will take effect
            from the start of April.
        """),
        figure=(1, "The pilot boat Kittiwake returning to the inner harbour at dusk."),
        related=["A1", "A7", "C1"],
        comments=[],
        snippets=[
            "Under the offer, pilots and coxswains working between midnight and six would "
            "receive an enhanced rate of time and a half",
            "Two tankers bound for the jetty anchored off Gull Point for a combined "
            "thirty-one hours in January when no night crew was available.",
        ],
    ),
    dict(
        key="A3", kind="wp", wp_id=4127, section="harbour", tags=["lifeboat"],
        path="/?p=4127",
        title="Lifeboat station appeal passes £250,000 target",
        authors=["Ruth O'Callaghan"],
        published="2024-03-04T09:00:00+00:00", modified="2024-03-04T09:00:00+00:00",
        body=paras("""
            An appeal to replace the slipway at Skerrin lifeboat station has passed its
            £250,000 target eleven months ahead of schedule, after a late surge of donations
            from visiting yacht crews and a single anonymous gift of £40,000.

            The existing slipway was built in 1961 and has been patched so many times that
            volunteers joke it is more concrete repair than original stone. An engineering
            survey in 2022 warned that the lower section could fail during a winter launch.

            Station coxswain Morag Linklater said the crew had been "quietly astonished" by the
            response. "We set the target thinking it would take us two summers. Somebody even
            posted a jar of foreign coins through the door with a note saying it was from a
            boat we towed in 1998," she said.

            Work is expected to begin in September, when the station will operate from a
            temporary mooring in the inner harbour for about ten weeks.

            Any money raised above the target will go towards a new crew training room, which
            the station has been sharing with the harbour sailing club since its own was
            condemned.
        """),
        related=["A1", "B4"],
        comments=[
            ("Skerrin Shore Crew", "March 4, 2024 at 1:15 pm",
             "On behalf of everyone at the station, thank you. We read every note that came "
             "with the donations, including the one from the family in Rotterdam whose son we "
             "found on the Carrag rocks. The kettle is always on if you want to visit."),
        ],
        snippets=[
            "The existing slipway was built in 1961 and has been patched so many times that "
            "volunteers joke it is more concrete repair than original stone.",
            "Work is expected to begin in September, when the station will operate from a "
            "temporary mooring in the inner harbour for about ten weeks.",
        ],
    ),
    dict(
        key="A4", kind="wp", wp_id=4066, section="harbour", tags=["dredging"],
        path="/harbour-master-warns-of-silting-in-east-channel/",
        title="Harbour master warns of silting in east channel",
        authors=["Maren Holt", "Priya Velankar"],
        published="2024-02-27T12:45:00+00:00", modified="2024-02-28T08:00:00+00:00",
        body=paras("""
            Port Calloway's harbour master has warned that the east channel could become
            unusable for the largest fishing vessels within two years unless the dredging
            programme abandoned in 2019 is restarted.

            Captain Ewan Strachan told a meeting of the Harbour Board that soundings taken in
            January showed the channel had lost almost a metre of depth at low water since the
            last survey. "We are now advising skippers of the bigger boats to time their
            arrivals to the top half of the tide," he said.

            Dredging was halted five years ago after objections from shellfish growers in
            Merrow Bay, who argued that plumes of disturbed sediment were smothering their
            beds. A study commissioned at the time was inconclusive.

            Environmental scientists say the silting is partly driven by changes upstream. Dr
            Helen Ashworth of the Wrenmoor Estuary Trust said the removal of a weir on the River
            Calle had released sediment that had been trapped for more than a century.

            The board has agreed to seek quotes for a smaller, targeted dredge using a closed
            grab, which produces less plume than the suction methods used previously. Growers
            have been invited to nominate an observer to monitor the work.
        """),
        related=["B3", "A1"],
        comments=[],
        snippets=[
            "soundings taken in January showed the channel had lost almost a metre of depth "
            "at low water since the last survey.",
            "Dredging was halted five years ago after objections from shellfish growers in "
            "Merrow Bay",
        ],
    ),
    dict(
        key="A5", kind="wp", wp_id=4032, section="economy", tags=["fishing"],
        path="/2024/02/fish-market-moves-dawn-auctions-online/",
        title="Fish market moves dawn auctions online",
        authors=["Desmond Achterberg"],
        published="2024-02-21T07:10:00+00:00", modified="2024-02-22T12:31:09+00:00",
        body=paras("""
            The dawn auction at Calloway fish market, held on the same cobbled floor since 1887,
            will move to an online bidding system from next month, with buyers able to place
            bids from their phones while the catch is still being landed.

            Market manager Colm Devereux said the change was driven by buyers rather than
            boats. Fewer than a dozen merchants now attend in person, while restaurants in the
            city have been asking for years to bid directly without sending an agent to stand
            on the quay at five in the morning.

            Skippers will still land and grade their fish in the hall, and each lot will be
            photographed and weighed before it is listed. Bidding on each lot will last ninety
            seconds.

            Not everyone is convinced. Veteran buyer Marjorie Fenn, who has attended the auction
            for forty-three years, said the best fish were identified by touch and smell, "and
            you cannot do either of those through a screen".

            The market says a trial in the autumn raised average prices by about six per cent,
            largely because more buyers took part. It plans to keep a small viewing gallery
            open for visitors and for buyers who still prefer to see the catch before bidding.
        """),
        related=["A7", "B2"],
        comments=[
            ("Tam Ruddock", "February 21, 2024 at 10:26 am",
             "My grandfather sold at that auction for fifty years and he would have hated "
             "this, but he also complained when they put a roof on the hall, so take that as "
             "you will. What worries me is the small boats. A man landing six boxes of "
             "whiting does not have time to photograph every lot while the big boats queue "
             "behind him, and the market has not said who will do it for him."),
            ("harbourcook", "February 21, 2024 at 2:58 pm",
             "As one of the restaurants that asked for this I can say it will make a real "
             "difference. We currently buy through an agent in the city who buys from an "
             "agent here, and the fish is a day older by the time it reaches us. Being able "
             "to bid from the kitchen at half five means fresher fish and a fairer price for "
             "the boats. I will still come down on Saturdays for the smell of it."),
        ],
        snippets=[
            "held on the same cobbled floor since 1887",
            "Bidding on each lot will last ninety seconds.",
            "a trial in the autumn raised average prices by about six per cent",
        ],
    ),
    dict(
        key="A6", kind="wp", wp_id=4139, section="environment", tags=["transport"],
        path="/2024/03/town-council-approves-seafront-cycle-lane/",
        title="Town council approves seafront cycle lane",
        authors=["Tomasz Wiśniewski"],
        published="2024-03-14T16:20:00+00:00", modified="2024-03-15T09:05:51+00:00",
        body=paras("""
            A two-way cycle lane along the length of Marine Parade was approved by Port
            Calloway town council on Wednesday night by eleven votes to seven, after a debate
            that lasted almost three hours.

            The scheme will remove forty-two parking spaces between the bandstand and the
            swimming baths, replacing them with a kerbed lane and a row of planters. Short-stay
            spaces for blue badge holders will be kept outside the baths.

            Supporters said the parade was the only flat route between the old town and the new
            housing at Holm Fields, and that children from the estate currently cycle on the
            pavement to avoid the traffic.

            Traders on the parade opposed the plan. Café owner Rhys Pengelly said the loss of
            parking would "finish off" businesses that already struggle outside the summer
            season, and called for a trial before any kerbs were installed.

            Council leader Imogen Vance said the authority had listened and would install the
            lane with temporary wands for twelve months before deciding whether to make it
            permanent. Construction is due to start in late spring.
        """),
        read_also=("C5", 2, "div"),
        related=["C5", "A1"],
        comments=[],
        snippets=[
            "The scheme will remove forty-two parking spaces between the bandstand and the "
            "swimming baths",
            "would install the lane with temporary wands for twelve months before deciding "
            "whether to make it permanent.",
        ],
    ),
    dict(
        key="A7", kind="wp", wp_id=4160, section="economy", tags=["port-workers"],
        path="/2024/04/shipyard-apprentice-intake-doubles/",
        title="Shipyard apprentice intake doubles",
        authors=["Desmond Achterberg", "Lucía Ferrer"],
        published="2024-04-02T08:05:00+01:00", modified="2024-04-02T11:47:20+01:00",
        body=paras("""
            Calloway Marine Engineering will take on twenty-four apprentices this autumn, twice
            last year's intake, after securing a contract to refit three research vessels for
            the national oceanographic fleet.

            The yard, which employs about three hundred people at its Ness Road site, has
            struggled to recruit welders and electricians since the pandemic. Managing director
            Farah Quadri said the company had "stopped waiting for skilled people to arrive and
            started making them".

            Apprentices will spend their first year split between the yard and Wrenmoor
            College, where a new marine fabrication workshop opened in January with funding
            from the county's skills fund.

            The refit contract is worth an estimated £38 million over four years. The first
            vessel, the RV Cormorant, is due to arrive in the dry dock in November.

            Applications open on Monday and close at the end of May. The yard says it
            particularly wants to hear from people changing career, and has removed the upper
            age limit that previously applied to its scheme.

            Last year's apprentices include a former hairdresser and a retired soldier, both of
            whom the company says are now working on live projects.
        """),
        related=["A2", "A5"],
        comments=[],
        snippets=[
            "Calloway Marine Engineering will take on twenty-four apprentices this autumn, "
            "twice last year's intake",
            "The refit contract is worth an estimated £38 million over four years.",
        ],
    ),
    # ------------------------------------------------------------- JSON-LD features
    dict(
        key="B1", kind="ld", ld_type="NewsArticle", ld_author="list", section="features",
        path="/features/the-last-net-makers-of-calloway-quay-n7731",
        title="The last net makers of Calloway Quay",
        dek="Two women, one loft and a skill that nobody else in the county still has.",
        authors=["Aoife Ní Bhriain", "Lucía Ferrer"],
        published="2024-03-09T10:00:00+01:00", modified="2024-03-11T14:02:00+01:00",
        body=paras("""
            In a loft above the chandlery on Calloway Quay, two women sit facing each other
            across a heap of green twine, their hands moving faster than the eye can follow.
            Nora Quill is seventy-eight. Her niece, Bethan Quill, is fifty-one. Between them
            they are the last people in the county who can still mend a trawl net by hand.

            The loft once employed forty. In the 1960s, when the herring boats came in, the
            floor was so crowded that the menders worked in shifts, and children were sent up
            after school to fill needles. Nora started at the age of twelve, paid in pennies and
            the occasional mackerel.

            Today the work comes mostly from the handful of inshore boats that cannot justify
            the cost of sending damaged gear to the factory in Aberlonn, and from a theatre
            company that recently ordered a forty-foot net for a production of Peter Grimes.

            Bethan has tried to find an apprentice. Three people have started in the past
            decade and none lasted beyond a winter. "It is cold, it is slow, and it hurts your
            fingers," she says. "I do not blame them. I just wish somebody would."

            The knots themselves have names that appear in no textbook: the Calloway sheet
            bend, the granny's cheat, the quick mend that Nora's mother called a "lie-to".
            Bethan has begun filming them for the county archive, in the hope that someone, one
            day, will learn from the videos.

            As the light fades, Nora ties off the last mesh of the afternoon and holds the net
            up to the window. "There," she says. "That will catch fish for another ten years.
            Longer than me, probably."
        """),
        related=["B4", "B6"],
        snippets=[
            "Between them they are the last people in the county who can still mend a trawl "
            "net by hand.",
            "the Calloway sheet bend, the granny's cheat",
            "Bethan has begun filming them for the county archive",
        ],
    ),
    dict(
        key="B2", kind="ld", ld_type="NewsArticle", ld_author="single", section="economy",
        path="/features/inside-the-night-shift-at-the-grain-terminal-n7745",
        title="Inside the night shift at the grain terminal",
        dek="Nine people, one ship and forty thousand tonnes of barley before dawn.",
        authors=["Kwame Mensah-Boateng"],
        published="2024-02-29T18:05:00Z", modified="2024-03-01T07:30:00Z",
        body=paras("""
            At two in the morning the grain terminal at Port Calloway sounds like the inside of
            a drum. A ship called the Saga Frontier is being loaded with barley from the silos
            on Dock Road, and every few seconds a fresh torrent hits the hold with a roar that
            carries across the water to the houses on Gull Point.

            The night shift here is nine people. They run the conveyors, watch the draught
            marks, take samples every thousand tonnes and, when something jams, climb into
            places that the day shift prefer not to think about. Shift leader Dariusz Nowak has
            worked nights for nineteen years and says he no longer remembers how to sleep when
            it is dark.

            Barley from the county's farms has been shipped from this quay since the 1920s, but
            the volumes have changed. Last year the terminal exported just over four hundred
            thousand tonnes, most of it to maltsters in the Low Countries.

            The work is precise. Load too much into one hold and the ship lists; too little and
            it wastes space that the charterer has paid for. Nowak checks the figures against
            the ship's own officer every hour, and the two men trade numbers over a radio in a
            mixture of English and Polish.

            By six the Saga Frontier sits low in the water and the dust has settled on every
            surface in the control room. The day crew arrives with coffee. Nowak goes home,
            draws the curtains, and lies awake.
        """),
        related=["B6", "A2"],
        snippets=[
            "The night shift here is nine people.",
            "Last year the terminal exported just over four hundred thousand tonnes, most of "
            "it to maltsters in the Low Countries.",
        ],
    ),
    dict(
        key="B3", kind="ld", ld_type="NewsArticle", ld_author="ref", section="environment",
        path="/features/why-the-salt-marsh-is-moving-inland-n7760",
        title="Why the salt marsh is moving inland",
        dek="At Merrow Bay the sea has been let in on purpose. The results are surprising.",
        authors=["Priya Velankar"],
        published="2024-03-15T06:00:00+01:00", modified="2024-03-15T06:00:00+01:00",
        body=paras("""
            Walk the sea wall at Merrow Bay at high tide and you can see the problem without a
            map. On the seaward side, the marsh is breaking up into islands of cordgrass
            separated by channels of brown water. On the landward side, in fields that were
            grazed by sheep a generation ago, sea lavender is appearing among the grass.

            Scientists call this process coastal squeeze, or, where the land is allowed to
            flood, managed realignment. At Merrow Bay it is happening partly by design: in 2017
            the Wrenmoor Estuary Trust bought two hundred hectares of low-lying farmland and
            breached the old embankment in three places.

            The results have surprised even the trust. Dr Helen Ashworth, who leads its
            monitoring team, says new marsh has formed faster than any model predicted, with
            some areas rising by more than two centimetres a year as sediment settles out of
            the tide.

            Not all of that sediment is welcome. Downstream, the harbour is dealing with
            silting in its east channel, and some fishermen blame the realignment scheme.
            Ashworth says the evidence points elsewhere, to the removal of a weir on the River
            Calle, but concedes the two are hard to untangle.

            For birds, the change has been dramatic. Counts of wintering redshank on the new
            marsh have risen from a few dozen to more than eight hundred, and avocets nested
            there for the first time last summer.

            The trust now wants to buy a further ninety hectares to the north. The landowner is
            willing; the difficulty is the county road that runs along the edge of the fields,
            which would need to be raised by more than a metre if the marsh were allowed to
            reach it.

            "Everyone agrees the sea is coming," Ashworth says. "The only question is whether
            we decide where it goes, or it decides for us."
        """),
        related=["A4", "A6"],
        snippets=[
            "in 2017 the Wrenmoor Estuary Trust bought two hundred hectares of low-lying "
            "farmland and breached the old embankment in three places.",
            "Counts of wintering redshank on the new marsh have risen from a few dozen to "
            "more than eight hundred",
        ],
    ),
    dict(
        key="B4", kind="ld", ld_type="BlogPosting", ld_author="list", section="features",
        path="/features/a-lighthouse-keepers-logbook-decoded-n7702",
        title="A lighthouse keeper's logbook, decoded",
        dek="Sixty-two years of weather, paraffin and the occasional shipwreck.",
        authors=["Hattie Greaves", "Aoife Ní Bhriain", "Owen Prys"],
        published="2024-01-26T14:30:00+01:00", modified="2024-02-02T16:45:00+01:00",
        body=paras("""
            When the Skerrin Head lighthouse was automated in 1991, its last keeper left behind
            a cardboard box of logbooks covering sixty-two years. They sat in a council store
            for three decades until a volunteer at the county archive opened the box last spring
            and found that half the entries were written in a private shorthand.

            The shorthand turned out to be a modified version of a system taught to telegraph
            clerks before the First World War. Retired signaller Glyn Humphreys, eighty-four,
            recognised it within minutes of seeing a photograph and has spent the winter
            transcribing it.

            Most of what he has found is routine: wind direction, visibility, the hours the lamp
            was lit and the amount of paraffin used. But scattered among the weather are
            glimpses of a life. A keeper notes in 1947 that his daughter has walked to school
            across the frozen sound. Another records, without comment, the night in 1953 when
            he watched a coaster break apart on the Carrag rocks.

            The archive plans to publish the full transcription online later this year.
            Humphreys is now working through the 1960s, when, he says, the handwriting gets
            worse and the jokes get better.
        """),
        related=["B1", "A3"],
        snippets=[
            "A keeper notes in 1947 that his daughter has walked to school across the frozen "
            "sound.",
            "a modified version of a system taught to telegraph clerks before the First World "
            "War.",
        ],
    ),
    dict(
        key="B5", kind="ld", ld_type="NewsArticle", ld_author="single", section="harbour",
        path="/features/the-ferry-timetable-nobody-can-read-n7788",
        title="The ferry timetable nobody can read",
        dek="Eleven footnotes, one anchor and four different answers. A modest proposal.",
        authors=["Ruth O'Callaghan"],
        published="2024-03-18T07:30:00Z", modified="2024-03-18T12:00:00Z",
        body=paras("""
            Pick up a printed timetable for the Skerrin ferry and try to work out when you can
            get back from the island on a Sunday in October. I have tried this with three
            colleagues, a retired maths teacher and the woman who sells the tickets. We arrived
            at four different answers.

            The problem is not the number of sailings but the footnotes. There are eleven of
            them, marked with symbols that range from the ordinary asterisk to a small anchor,
            and several refer to other footnotes. One sailing runs "on school days except where
            indicated by note F", and note F refers you back to the anchor.

            None of this matters much to islanders, who know the pattern by heart. It matters a
            great deal to visitors, who are the people the operator is hoping will help cover
            the cost of this spring's fare rise.

            The fix is not difficult. Other operators print a separate table for each season
            and each direction, with no footnotes at all. It takes more paper. It would also
            mean that a family from the city could plan a day trip without needing a crib
            sheet.

            Wrenmoor Sound Ferries told me a redesign is "on the list". It has been on the
            list, by my count, since 2016.
        """),
        related=["A1"],
        snippets=[
            "We arrived at four different answers.",
            "There are eleven of them, marked with symbols that range from the ordinary "
            "asterisk to a small anchor",
        ],
    ),
    dict(
        key="B6", kind="ld", ld_type="NewsArticle", ld_author="list", section="features",
        hidden=True,  # only reachable through "Keep reading" links on B1 and B2
        path="/features/when-the-cannery-closed-forty-years-on-n7650",
        title="When the cannery closed: forty years on",
        dek="Four hundred jobs, one letter, and a town that was never quite the same.",
        authors=["Hattie Greaves"],
        published="2023-11-04T09:15:00+01:00", modified="2023-11-06T10:00:00+01:00",
        body=paras("""
            On a Friday in November 1983, the four hundred workers at the Calloway cannery were
            called into the canteen and told that the factory would close at Christmas. Many had
            worked there since leaving school. Some had met their husbands and wives on the
            packing line.

            Forty years later, the building is flats, and the only sign of its past is a painted
            sardine above the door that residents voted to keep. But for the town, the closure
            remains a dividing line, the moment when the harbour stopped being the place where
            most families earned their living.

            Former line supervisor Peggy Armitage, now ninety-one, still keeps the letter she
            received that morning. "They thanked us for our loyalty," she says. "I remember
            thinking that loyalty was the one thing they had never paid for."

            The closure hit women hardest. The cannery had been the largest employer of women
            in the county, and most of the jobs that replaced it over the following decade were
            in the shipyard and on the oil jetty, where few women were hired.

            The Ledger is collecting memories of the cannery for an exhibition at the harbour
            museum next spring. Readers can contact the newsroom or drop written accounts at the
            museum desk.
        """),
        related=["B1", "C4"],
        snippets=[
            "the only sign of its past is a painted sardine above the door that residents "
            "voted to keep.",
            "The cannery had been the largest employer of women in the county",
        ],
    ),
    # ------------------------------------------------------- bare legacy archive pages
    dict(
        key="C1", kind="bare", section="harbour", headline="font", mast="img", layout="p",
        path="/news/2024/story_58231.htm",
        title="Harbour pilots call for second tug",
        byline="By Ben Tollemache, Staff Reporter",
        authors=["Ben Tollemache"],
        dateline="Tuesday, 5 March 2024", published="2024-03-05",
        body=paras("""
            Senior pilots at Port Calloway have written to the Harbour Board asking it to hire a
            second tug for winter, warning that the port is "one breakdown away" from turning
            ships away.

            The harbour currently relies on a single tug, the Marram, which is twenty-six years
            old and was out of service for nine days in January with a gearbox fault. During
            that time two bulk carriers waited at anchor and a third was diverted to Aberlonn.

            The letter, signed by all six senior pilots, asks the board to charter a second
            vessel from October to March while it considers a longer-term replacement.

            A spokesman for the board said the request would be considered at its April
            meeting, and that chartering costs had been "substantially higher" since last year.
        """),
        related=["C2", "A2"],
        snippets=[
            "The harbour currently relies on a single tug, the Marram, which is twenty-six "
            "years old",
            "signed by all six senior pilots",
        ],
    ),
    dict(
        key="C2", kind="bare", section="harbour", headline="h1", mast="img", layout="br",
        path="/news/2024/story_58264.htm",
        title="Ferry terminal roof repairs to take six weeks",
        byline="Reporting by Hattie Greaves and Owen Prys",
        authors=["Hattie Greaves", "Owen Prys"],
        dateline="Friday, 15 March 2024", published="2024-03-15",
        body=paras("""
            Repairs to the storm-damaged roof of the Calloway ferry terminal will take at least
            six weeks, the county council said on Thursday, with passengers directed to a
            temporary waiting room in the former harbour office.

            Part of the roof was torn away during Storm Isolde on 2 March, leaving the ticket
            hall open to the weather. Engineers found that the steel frame had corroded more
            extensively than expected.

            The temporary waiting room has seating for thirty people and will open an hour
            before the first sailing. Toilets will be provided in portable units on the quay.

            The council said the work would cost about £210,000 and would be funded from its
            emergency repairs budget.

            Wrenmoor Sound Ferries said timetables would not be affected.
        """),
        related=["A1", "C1"],
        snippets=[
            "Engineers found that the steel frame had corroded more extensively than expected.",
            "The temporary waiting room has seating for thirty people and will open an hour "
            "before the first sailing.",
        ],
    ),
    dict(
        key="C3", kind="bare", section="economy", headline="h2", mast="h1", layout="p",
        path="/article.php?id=58190",
        title="Man fined for selling undersized lobsters",
        byline="By Hattie Greaves, Courts Correspondent",
        authors=["Hattie Greaves"],
        dateline="Wednesday, 21 February 2024", published="2024-02-21",
        body=paras("""
            A Skerrin fisherman has been fined £3,400 after inspectors found more than two
            hundred undersized lobsters in storage pots off the north end of the island.

            Calloway Magistrates' Court heard that fisheries officers boarded the vessel
            Morning Tern in October and measured every lobster in six keep pots. Of the 311
            animals found, 214 were below the legal minimum landing size.

            The skipper, who admitted the offence, told the court he had intended to return the
            small lobsters to the sea and had been storing them only until a buyer took the
            larger ones. Magistrates said that explanation was "difficult to credit".

            He was also ordered to pay costs of £1,150. The lobsters were returned alive to the
            sea on the day of the inspection.
        """),
        related=["A5"],
        snippets=[
            "Of the 311 animals found, 214 were below the legal minimum landing size.",
            "The lobsters were returned alive to the sea on the day of the inspection.",
        ],
    ),
    dict(
        key="C4", kind="bare", section="economy", headline="h1", mast="img", layout="p",
        path="/article.php?id=58277",
        title="Harbour museum wins lottery grant for new gallery",
        byline="By Owen Prys",
        authors=["Owen Prys"],
        dateline="Tuesday, March 19, 2024", published="2024-03-19",
        body=paras("""
            The Port Calloway Harbour Museum has been awarded £480,000 by the heritage lottery
            fund to build a new gallery devoted to the town's fishing and canning industries.

            The gallery will occupy the ground floor of the former ice house next to the
            museum, which has been empty since the fish market stopped making its own ice in the
            1970s.

            Curator Dilys Rowntree said the museum had been collecting objects from the cannery
            and the herring fleet for decades but had never had room to show more than a
            fraction of them. "We have a net loft's worth of material in a store in Ness Road,"
            she said.

            The gallery is due to open in the spring of 2025. The museum is appealing for
            photographs and recorded memories from families who worked in the industries.

            Admission to the museum will remain free.
        """),
        related=["B6", "B1"],
        snippets=[
            "The gallery will occupy the ground floor of the former ice house next to the "
            "museum",
            "The gallery is due to open in the spring of 2025.",
        ],
    ),
    dict(
        key="C5", kind="bare", section="environment", headline="h1", mast="img", layout="p",
        path="/news/2024/story_58102.htm",
        title="Winter storm closes Gull Point road",
        byline="By Ben Tollemache and Hattie Greaves, Staff Reporters",
        authors=["Ben Tollemache", "Hattie Greaves"],
        dateline="Monday, 29 January 2024", published="2024-01-29",
        body=paras("""
            The coast road to Gull Point was closed for most of Sunday after waves overtopped
            the sea wall and left shingle and debris across a four-hundred-metre stretch.

            About ninety households were cut off for several hours until council crews cleared
            one lane in the late afternoon. A care worker was escorted through by police to
            reach an elderly resident.

            It is the fourth time the road has been closed by the sea this winter. Residents
            have asked the county to bring forward a planned scheme to raise the sea wall,
            which is currently scheduled for 2027.

            Councillor Fergus Maitland said he would raise the matter at the next transport
            committee.

            The Met Office has issued a further yellow warning for wind for Tuesday.
        """),
        related=["C2"],
        snippets=[
            "About ninety households were cut off for several hours until council crews "
            "cleared one lane in the late afternoon.",
            "It is the fourth time the road has been closed by the sea this winter.",
        ],
    ),
]

BY_KEY = {a["key"]: a for a in ARTICLES}


# ------------------------------------------------------------------- static pages

ABOUT = paras("""
    The Harbour Ledger has been published in Port Calloway since 1871, when a printer named
    Josiah Penhallow bought a second-hand press from a bankrupt newspaper in Aberlonn and
    began producing a single sheet of shipping news, tide tables and market prices for the
    merchants of the quay. For its first forty years the paper appeared twice a week and was
    sold mostly to ship owners, insurers and the handful of families who could afford it.

    The paper became a daily in 1912 and moved to its present home on Chandlers Row in 1936,
    in a building that had previously been a sail loft. The presses in the basement were
    retired in 2009, when printing moved to a contract plant in the city, but the newsroom
    still works on the first floor, and on a quiet afternoon you can hear the halyards of the
    boats in the inner harbour through the open windows.

    Since 2018 the Ledger has been owned by the Calloway Media Cooperative, a community
    benefit society whose members are readers, staff and local organisations. Each member
    has one vote, regardless of how many shares they hold. The cooperative elects a board
    that sets the paper's budget and appoints the editor, but the board has no say over what
    the newsroom reports. That separation is written into the cooperative's rules and can
    only be changed by a two-thirds vote of the members at a general meeting.

    Our newsroom has fourteen journalists, two photographers and a part-time archivist. We
    cover Port Calloway, the island of Skerrin and the villages of the Wrenmoor coast, from
    Merrow Bay in the south to Gull Point in the north. We report on councils, courts,
    schools, hospitals, the harbour, the fishing fleet, the shipyard and the businesses that
    keep the town going, and we try to tell the stories of the people who live here as well
    as the institutions that serve them.

    The Ledger is funded by subscriptions, advertising and donations from readers who want to
    support independent local journalism. We do not accept payment for news coverage, and we
    label sponsored content clearly. Advertisers have no influence over our reporting, and
    our advertising team works in a separate office from the newsroom for that reason.

    We try to get things right, and when we get them wrong we say so. Our corrections policy
    explains how to ask for a correction and how we decide what to do. We follow the
    editors' code of practice and are members of the independent press standards body, to
    which readers can complain if they are not satisfied with our response.

    We are always glad to hear from readers. If you have a story, a question, a complaint or
    a box of old photographs, please get in touch through our contact page, or drop into the
    front office on Chandlers Row, which is open from nine until five on weekdays and from
    ten until one on Saturdays. Members of the cooperative are welcome to visit the newsroom
    by appointment, and every autumn we hold an open evening where readers can meet the
    reporters, see how the paper is put together and tell us what we should be covering
    better.
""")

PRIVACY = paras("""
    This privacy policy explains what personal information the Calloway Media Cooperative
    collects when you read the Harbour Ledger online, subscribe to our newsletters, comment
    on our stories or contact the newsroom, and what we do with it. The cooperative is the
    data controller for the purposes of data protection law.

    When you visit our website we collect technical information such as your IP address,
    browser type and the pages you read. We use this to keep the site running, to understand
    which stories are read and to prevent abuse. Where we use analytics cookies, we ask for
    your consent first, and you can withdraw it at any time through the cookie settings link
    at the bottom of every page.

    If you subscribe to a newsletter, we keep your email address and the newsletters you have
    chosen. If you comment, we keep your name, email address and the comment itself. If you
    contact the newsroom, we keep your message and any contact details you give us for as
    long as we need them to report the story, and we protect the identity of confidential
    sources in accordance with the editors' code.

    We never sell your personal information. We share it only with companies that process it
    on our behalf, such as our email provider and our payment processor, under contracts that
    require them to keep it secure and to use it only for the purposes we specify.

    You have the right to see the information we hold about you, to ask us to correct it, to
    ask us to delete it and to object to how we use it. To exercise any of these rights,
    write to the data protection officer at the address on our contact page. If you are not
    satisfied with our response you may complain to the information commissioner.
""")

CORRECTIONS = paras("""
    The Harbour Ledger aims to be accurate, fair and transparent. When we make a significant
    error, we correct it promptly and say clearly what we got wrong. This policy explains how
    we handle corrections, clarifications and complaints about our journalism.

    If you believe we have published something inaccurate, please contact the readers'
    editor by email or by post, giving the headline and date of the story and explaining what
    you believe is wrong. We aim to acknowledge every request within two working days and to
    resolve most within a week.

    When we correct an online story, we amend the text and add a note at the foot of the
    article explaining what was changed and when. We do not silently alter stories to remove
    errors. Corrections to stories that appeared in print are published on page two of the
    next available edition, and a weekly round-up of corrections appears in the Saturday
    paper.

    A clarification is used where a story was not wrong but could have been clearer or was
    missing important context. Minor errors of spelling or style that do not change the
    meaning of a story may be fixed without a note.

    For example, on 3 March 2024 we corrected a report that gave the wrong tonnage for the
    bulk carrier diverted to Aberlonn during the tug breakdown, and on 19 January 2024 we
    clarified that the proposal to raise the Gull Point sea wall had been approved in
    principle but not funded. Both notes remain on the original stories.

    If you are not satisfied with our response, you may complain to the independent press
    standards body, of which the Ledger is a member.
""")

CONTACT = paras("""
    The newsroom is staffed from seven in the morning until eleven at night, seven days a
    week. If you have a story, a tip or a photograph, call the news desk or send us an email
    and a reporter will get back to you. If you want to share information confidentially,
    tell us when you first get in touch and we will agree a safe way to talk.

    For subscriptions, deliveries and billing, contact the front office, which is open from
    nine until five on weekdays and from ten until one on Saturdays. Our advertising team can
    help with display advertising, classified notices, announcements of births, marriages
    and deaths, and sponsorship of the Ledger's community awards.

    Letters to the editor should be no longer than three hundred words and must include your
    full name and address, although we will publish only your name and the town or village
    where you live. We read every letter but cannot publish them all.

    Our postal address is The Harbour Ledger, 14 Chandlers Row, Port Calloway, Wrenmoor. The
    news desk can be reached on 01632 960 418 and the front office on 01632 960 400.
""")

# ======================================================================== rendering

SITE = "The Harbour Ledger"
FOOTER_NOTE = "© 2024 Calloway Media Cooperative Ltd. Registered society no. 8817."
NEWSLETTER = "Get the Tide Table briefing in your inbox every weekday at 7am."
COOKIE = ("We use cookies to understand how you read the Ledger and to keep the lights on. "
          "You can change your mind at any time in Settings.")
AD_TEXT = "Story continues below this advertisement"
TIDES = "Tides today: high water 06:12 and 18:37, low water 00:05 and 12:24"
CLASSIFIED = "FOR SALE: 18ft clinker dinghy with oars and trailer, needs some work, offers."
LEGACY_FOOT = "Copyright 2024 Harbour Ledger. Reproduction without permission prohibited."
SHARE = "Share on WhatsApp"
MOST_POPULAR = ["A1", "C2", "B3", "A6", "B1"]

SECTIONS = {
    "harbour": "Harbour", "economy": "Economy", "environment": "Environment",
    "features": "Features", "archive": "From the archive",
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def human_date(iso: str, short: bool = False) -> str:
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    if short:
        return f"{day} {MONTHS[month - 1][:3]} {year}"
    return f"{MONTHS[month - 1]} {day}, {year}"


def join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def author_url(name: str) -> str:
    return f"/author/{PEOPLE[name]['slug']}/"


def excerpt(article: dict, words: int = 28) -> str:
    tokens = " ".join(article["body"]).split()
    return " ".join(tokens[:words]) + " […]"


def nav_html() -> str:
    links = "".join(f'<li class="menu-item"><a href="/{slug}/">{esc(name)}</a></li>'
                    for slug, name in SECTIONS.items())
    return (f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" '
            f'class="menu">{links}<li class="menu-item"><a href="/about-us/">About</a></li>'
            f'</ul></nav>')


def wp_footer() -> str:
    return (
        '<footer id="colophon" class="site-footer"><div class="footer-widgets">'
        '<ul class="footer-links"><li><a href="/about-us/">About us</a></li>'
        '<li><a href="/contact/">Contact</a></li>'
        '<li><a href="/privacy-policy/">Privacy policy</a></li>'
        '<li><a href="/corrections-policy/">Corrections</a></li>'
        '<li><a href="/archive/">From the archive</a></li></ul>'
        f'<p class="site-info">{esc(FOOTER_NOTE)} 14 Chandlers Row, Port Calloway. '
        '<a href="https://wordpress.org/">Proudly powered by WordPress</a></p>'
        '</div></footer>')


def recent_widget() -> str:
    latest = sorted((a for a in ARTICLES if not a.get("hidden")),
                    key=lambda a: a["published"][:10], reverse=True)[:5]
    items = "".join(f'<li><a href="{a["path"]}">{esc(a["title"])}</a></li>' for a in latest)
    return (f'<aside id="secondary" class="widget-area"><section class="widget widget_recent">'
            f'<h2 class="widget-title">Recent Posts</h2><ul>{items}</ul></section>'
            '<section class="widget widget_text"><h2 class="widget-title">Support us</h2>'
            '<div class="textwidget"><p>The Ledger is owned by its readers. Join the '
            'cooperative from £3 a month and help keep local news local.</p></div></section>'
            '</aside>')


def wp_page(title: str, body: str, *, head: str = "", body_class: str = "page") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} &#8211; {SITE}</title>
{head}
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="/feed/">
<link rel="stylesheet" id="tidewater-style-css" href="/wp-content/themes/tidewater/style.css">
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="/" rel="home">{SITE}</a></p>
<p class="site-description">News from Port Calloway, Skerrin and the Wrenmoor coast since 1871</p>
</div>{nav_html()}</header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
{body}
</main></div>
{recent_widget()}
</div>
{wp_footer()}
</div>
</body>
</html>
"""


def render_wp_article(a: dict, base: str) -> str:
    url = base + a["path"]
    head = "\n".join([
        f'<link rel="canonical" href="{esc(url)}">',
        f'<link rel="shortlink" href="{base}/?p={a["wp_id"]}">',
        '<meta property="og:locale" content="en_GB">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:description" content="{esc(excerpt(a, 20))}">',
        f'<meta property="og:url" content="{esc(url)}">',
        f'<meta property="og:site_name" content="{SITE}">',
        f'<meta property="article:modified_time" content="{a["modified"]}">',
        f'<meta property="article:published_time" content="{a["published"]}">',
        f'<meta property="article:section" content="{SECTIONS[a["section"]]}">',
        *(f'<meta property="article:tag" content="{t}">' for t in a["tags"]),
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:label1" content="Written by">',
        f'<meta name="twitter:data1" content="{esc(a["authors"][0])}">',
        '<meta name="twitter:label2" content="Est. reading time">',
        '<meta name="twitter:data2" content="3 minutes">',
    ])
    byline_parts = [
        f'<span class="author vcard"><a class="url fn n" href="{author_url(n)}" '
        f'rel="author">{esc(n)}</a></span>' for n in a["authors"]]
    if len(byline_parts) == 1:
        byline = byline_parts[0]
    else:
        byline = ", ".join(byline_parts[:-1]) + " and " + byline_parts[-1]
    paragraphs = [f"<p>{esc(p)}</p>" for p in a["body"]]
    if "figure" in a:
        pos, caption = a["figure"]
        paragraphs.insert(pos, (
            '<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2024/03/'
            f'pilot.jpg" alt="" width="1024" height="683"><figcaption>{esc(caption)} '
            'Photo: Lucía Ferrer</figcaption></figure>'))
    if "read_also" in a:
        key, pos, kind = a["read_also"]
        other = BY_KEY[key]
        if kind == "p":
            box = (f'<p class="read-also"><strong>Read also:</strong> '
                   f'<a href="{other["path"]}">{esc(other["title"])}</a></p>')
        else:
            box = ('<div class="wp-block-group has-pale-blue-background-color read-also">'
                   f'<div class="wp-block-group__inner-container">Read also: '
                   f'<a href="{other["path"]}">{esc(other["title"])}</a></div></div>')
        paragraphs.insert(pos, box)
    share = (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block">'
        '<h3 class="sd-title">Share this:</h3><ul>'
        '<li><a class="share-facebook" href="#">Share on Facebook</a></li>'
        '<li><a class="share-bluesky" href="#">Share on Bluesky</a></li>'
        f'<li><a class="share-whatsapp" href="#">{SHARE}</a></li>'
        '<li><a class="share-email" href="#">Email a friend</a></li></ul></div></div>')
    tags = ", ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in a["tags"])
    related = "".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f'<a href="{BY_KEY[k]["path"]}">{esc(BY_KEY[k]["title"])}</a></h4>'
        f'<p class="jp-relatedposts-post-excerpt">{esc(excerpt(BY_KEY[k]))}</p>'
        f'<p class="jp-relatedposts-post-date">{human_date(BY_KEY[k]["published"])}</p></div>'
        for k in a["related"])
    comments = ""
    if a["comments"]:
        items = "".join(
            f'<li id="comment-{i}" class="comment even thread-even depth-1">'
            f'<article id="div-comment-{i}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{esc(who)}</b> '
            f'<span class="says">says:</span></div><div class="comment-metadata">'
            f'<time>{esc(when)}</time></div></footer><div class="comment-content">'
            f'<p>{esc(text)}</p></div><div class="reply"><a class="comment-reply-link" '
            f'href="#respond">Reply</a></div></article></li>'
            for i, (who, when, text) in enumerate(a["comments"], start=101))
        comments = (f'<div id="comments" class="comments-area"><h2 class="comments-title">'
                    f'{len(a["comments"])} thoughts on &ldquo;{esc(a["title"])}&rdquo;</h2>'
                    f'<ol class="comment-list">{items}</ol></div>')
    comments += (
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a '
        'Reply</h3><form action="/wp-comments-post.php" method="post"><p class="comment-notes">'
        'Your email address will not be published. Required fields are marked *</p>'
        '<textarea name="comment"></textarea><input type="submit" value="Post Comment">'
        '</form></div>')
    body = f"""
<article id="post-{a["wp_id"]}" class="post-{a["wp_id"]} post type-post status-publish
 format-standard hentry category-{a["section"]}">
<header class="entry-header">
<span class="cat-links"><a href="/{a["section"]}/"
 rel="category tag">{SECTIONS[a["section"]]}</a></span>
<h1 class="entry-title">{esc(a["title"])}</h1>
<div class="entry-meta"><span class="byline">By {byline}</span>
<span class="posted-on"><a href="{a["path"]}" rel="bookmark"><time class="entry-date published"
 datetime="{a["published"]}">{human_date(a["published"])}</time><time class="updated"
 datetime="{a["modified"]}">{human_date(a["modified"])}</time></a></span></div>
</header>
{share}
<div class="entry-content">
{chr(10).join(paragraphs)}
</div>
<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer>
</article>
<div class="newsletter-box"><h3>The Tide Table</h3><p>{NEWSLETTER} Local news, shipping
 movements and the day's tides, free.</p><form action="/newsletter/subscribe" method="post">
<input type="email" name="email" placeholder="you@example.com"><button>Sign me up</button></form>
</div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3>
<div class="jp-relatedposts-items">{related}</div></div>
{comments}
"""
    return wp_page(a["title"], body, head=head,
                   body_class=f"post-template-default single single-post postid-{a['wp_id']}")


def ld_person(name: str, base: str) -> dict:
    return {"@type": "Person", "name": name, "url": base + author_url(name)}


def render_ld_article(a: dict, base: str) -> str:
    url = base + a["path"]
    org = {"@type": "NewsMediaOrganization", "@id": base + "/#organization", "name": SITE,
           "url": base + "/", "logo": {"@type": "ImageObject",
                                       "url": base + "/static/ledger-logo.png"}}
    site = {"@type": "WebSite", "@id": base + "/#website", "url": base + "/", "name": SITE,
            "publisher": {"@id": base + "/#organization"}}
    crumbs = {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": base + "/"},
        {"@type": "ListItem", "position": 2, "name": "Features", "item": base + "/features/"},
        {"@type": "ListItem", "position": 3, "name": a["title"]}]}
    page = {"@type": "WebPage", "@id": url, "url": url, "name": a["title"] + " · Ledger Features",
            "isPartOf": {"@id": base + "/#website"}, "breadcrumb": {"@id": url + "#breadcrumb"},
            "datePublished": a["published"], "dateModified": a["modified"]}
    graph = [site, org, crumbs, page]
    if a["ld_author"] == "single":
        author = ld_person(a["authors"][0], base)
    elif a["ld_author"] == "list":
        author = [ld_person(n, base) for n in a["authors"]]
    else:  # Yoast-style references to Person nodes elsewhere in the graph
        author = []
        for n in a["authors"]:
            pid = f"{base}/#/schema/person/{PEOPLE[n]['slug']}"
            author.append({"@id": pid})
            graph.append({"@type": "Person", "@id": pid, "name": n,
                          "url": base + author_url(n),
                          "description": PEOPLE[n]["bio"][:140]})
    graph.append({
        "@type": a["ld_type"], "@id": url + "#article", "isPartOf": {"@id": url},
        "mainEntityOfPage": {"@id": url}, "headline": a["title"], "description": a["dek"],
        "datePublished": a["published"], "dateModified": a["modified"], "author": author,
        "publisher": {"@id": base + "/#organization"}, "articleSection": "Features",
        "wordCount": sum(len(p.split()) for p in a["body"]), "inLanguage": "en-GB",
        "image": [base + "/static/img/" + a["key"].lower() + "-1200.jpg"]})
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                    indent=1)
    names = " &amp; ".join(f'<a class="zz-by__name" href="{author_url(n)}">{esc(n)}</a>'
                           for n in a["authors"])
    paragraphs = [f'<p class="qz-para">{esc(p)}</p>' for p in a["body"]]
    paragraphs.insert(2, (
        '<div class="bx-slot bx-slot--inread" data-slot="inread-1" aria-hidden="true">'
        f'<span class="bx-label">Advertisement</span><div class="bx-note">{AD_TEXT}</div>'
        '</div>'))
    popular = "".join(
        f'<li class="mp-item"><span class="mp-rank">{i}</span><a href="{BY_KEY[k]["path"]}">'
        f'{esc(BY_KEY[k]["title"])}</a></li>'
        for i, k in enumerate((k for k in MOST_POPULAR if k != a["key"]), start=1))
    keep = "".join(
        f'<li class="kr-card"><a href="{BY_KEY[k]["path"]}"><span class="kr-title">'
        f'{esc(BY_KEY[k]["title"])}</span></a><span class="kr-dek">'
        f'{esc(BY_KEY[k].get("dek") or excerpt(BY_KEY[k], 14))}</span></li>'
        for k in a["related"])
    menu = "".join(f'<li><a href="/{s}/">{esc(n)}</a></li>' for s, n in SECTIONS.items())
    pub, mod = a["published"], a["modified"]
    updated = ""
    if mod != pub:
        updated = f' · Updated {human_date(mod, short=True)}, {mod[11:16]}'
    return f"""<!doctype html>
<html lang="en-GB" class="lx">
<head>
<meta charset="utf-8">
<title>{esc(a["title"])} · Ledger Features</title>
<meta name="viewport" content="width=device-width">
<meta name="description" content="{esc(a["dek"])}">
<link rel="canonical" href="{esc(url)}">
<script type="application/ld+json">
{ld}
</script>
<link rel="stylesheet" href="/static/lx.4f9a1c.css">
</head>
<body class="lx-body lx-body--story">
<div class="kk-consent" role="dialog" aria-label="Cookie consent"><p class="kk-consent__text">
{esc(COOKIE)}</p><button class="kk-btn">Accept all</button><button class="kk-btn kk-btn--ghost">
Only necessary</button></div>
<div class="lx-topbar"><a class="lx-logo" href="/">{SITE}</a>
<ul class="lx-menu">{menu}</ul>
</div>
<div class="bx-slot bx-slot--leader" data-slot="leader">
<span class="bx-label">Advertisement</span></div>
<div class="lx-grid">
<main class="lx-shell" role="main">
<ol class="lx-crumbs"><li><a href="/">Home</a></li><li><a href="/features/">Features</a></li>
<li>{esc(a["title"])}</li></ol>
<div class="zz-head">
<p class="zz-kicker"><a href="/{a["section"]}/">{SECTIONS[a["section"]]}</a></p>
<h1 class="zz-hed">{esc(a["title"])}</h1>
<p class="zz-dek">{esc(a["dek"])}</p>
<div class="zz-meta"><span class="zz-by">Words by {names}</span>
<span class="zz-when">Published {human_date(pub, short=True)}{updated}</span></div>
</div>
<div class="qz-flow"><div class="qz-copy">
{chr(10).join(paragraphs)}
</div></div>
<div class="zz-kr"><h2 class="zz-kr__title">Keep reading</h2><ul>{keep}</ul></div>
</main>
<aside class="lx-rail">
<div class="mp-box"><h3 class="mp-title">Most popular</h3><ol class="mp-list">{popular}</ol></div>
<div class="bx-slot bx-slot--mpu" data-slot="mpu"><span class="bx-label">Advertisement</span></div>
</aside>
</div>
<div class="lx-foot"><p>{esc(FOOTER_NOTE)}</p><p><a href="/about-us/">About</a> ·
<a href="/contact/">Contact</a> · <a href="/privacy-policy/">Privacy</a> ·
<a href="/corrections-policy/">Corrections</a></p></div>
</body>
</html>
"""


def legacy_shell(title: str, main: str, mast: str = "img") -> str:
    if mast == "h1":
        masthead = f'<h1 class="mast">{SITE}</h1>'
    else:
        masthead = f'<img src="/img/mast.gif" width="600" height="80" alt="{SITE}">'
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)} - Harbour Ledger Archive</title>
<link rel="stylesheet" href="/legacy/style.css" type="text/css">
</head>
<body bgcolor="#ffffff" leftmargin="0" topmargin="0">
<table width="100%" border="0" cellspacing="0" cellpadding="4">
<tr><td colspan="3" class="mast">{masthead}</td></tr>
<tr>
<td width="160" valign="top" class="leftnav" bgcolor="#e8eef4">
<a href="/">Home</a><br><a href="/harbour/">Harbour</a><br><a href="/economy/">Economy</a><br>
<a href="/environment/">Environment</a><br><a href="/archive/">Archive</a><br><br>
<div class="tides">{esc(TIDES)}</div>
</td>
<td valign="top" class="main">
{main}
</td>
<td width="180" valign="top" class="rightcol">
<b>Classifieds</b><br><div class="cls">{esc(CLASSIFIED)}</div><br>
<div class="cls">WANTED: mooring in inner harbour for 7m motor boat. Call Jim, 01632 960 771.</div>
</td>
</tr>
<tr><td colspan="3" class="foot" align="center"><font size="1">{esc(LEGACY_FOOT)}
<a href="/contact/">Contact</a> | <a href="/privacy-policy/">Privacy</a></font></td></tr>
</table>
</body>
</html>
"""


def render_bare_article(a: dict, base: str) -> str:
    title = esc(a["title"])
    if a["headline"] == "font":
        head = f'<font face="Georgia" size="5"><b>{title}</b></font><br>'
    elif a["headline"] == "h2":
        head = f'<h2 class="hl">{title}</h2>'
    else:
        head = f'<h1 class="hl">{title}</h1>'
    if a["layout"] == "br":
        text = "<br><br>\n".join(esc(p) for p in a["body"])
        body = f'<div class="storytext"><font size="2">{text}</font></div>'
    else:
        body = ('<div class="storytext">'
                + "\n".join(f"<p>{esc(p)}</p>" for p in a["body"]) + "</div>")
    see = " | ".join(f'<a href="{BY_KEY[k]["path"]}">{esc(BY_KEY[k]["title"])}</a>'
                     for k in a["related"])
    main = f"""{head}
<div class="byl"><i>{esc(a["byline"])}</i></div>
<div class="dt">{esc(a["dateline"])}</div>
<br>
{body}
<br><hr size="1">
<div class="see"><b>See also:</b> {see}</div>
<div class="tools"><a href="mailto:?subject={title}">E-mail this story</a></div>
"""
    return legacy_shell(a["title"], main, a["mast"])


# --------------------------------------------------------------- listing pages

def listing_item(a: dict, words: int = 28) -> str:
    return (f'<article class="post type-post hentry entry-summary-item">'
            f'<h2 class="entry-title"><a href="{a["path"]}" rel="bookmark">'
            f'{esc(a["title"])}</a></h2><div class="entry-meta">'
            f'{human_date(a["published"])} &middot; by {esc(join_names(a["authors"]))}</div>'
            f'<div class="entry-summary"><p>{esc(excerpt(a, words))}</p></div></article>')


def section_articles(section: str) -> list[dict]:
    cross = {"environment": {"A4"}}.get(section, set())
    items = [a for a in ARTICLES
             if (a["section"] == section or a["key"] in cross) and not a.get("hidden")]
    if section == "features":
        items = [a for a in ARTICLES if a["kind"] == "ld" and not a.get("hidden")]
    if section == "archive":
        items = [a for a in ARTICLES if a["kind"] == "bare" and a["key"] != "C3"]
    return sorted(items, key=lambda a: a["published"][:10], reverse=True)


def archive_page(title: str, items: str, *, head: str = "", pager: str = "",
                 intro: str = "") -> str:
    body = (f'<header class="page-header"><h1 class="page-title">{esc(title)}</h1>{intro}'
            f'</header>{items}{pager}')
    return wp_page(title, body, head=head, body_class="archive category")


def build_listings(base: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    # Harbour: /harbour/ -> "Next page" -> /harbour/page/2/
    harbour = section_articles("harbour")
    pages["/harbour/"] = archive_page(
        "Harbour", "".join(listing_item(a) for a in harbour[:4]),
        pager='<nav class="navigation posts-navigation"><div class="nav-previous">'
              '<a href="/harbour/page/2/">Next page &rsaquo;</a></div></nav>')
    pages["/harbour/page/2/"] = archive_page(
        "Harbour – Page 2", "".join(listing_item(a) for a in harbour[4:]),
        pager='<nav class="navigation posts-navigation"><div class="nav-next">'
              '<a href="/harbour/">&lsaquo; Previous page</a></div></nav>')
    # Economy: visible ?page=2, then page 3 only through <link rel="next">
    economy = section_articles("economy")
    pages["/economy/"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[:2]),
        head=f'<link rel="next" href="{base}/economy/?page=2">',
        pager='<div class="pager"><span class="current">1</span> '
              '<a href="/economy/?page=2">2</a> <a href="/economy/?page=2">Older stories</a>'
              '</div>')
    pages["/economy/?page=2"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[2:4]),
        head=(f'<link rel="prev" href="{base}/economy/">\n'
              f'<link rel="next" href="{base}/economy/?page=3">'),
        pager='<div class="pager"><a href="/economy/">1</a> <span class="current">2</span> '
              '<button class="pager-older" data-next="/economy/?page=3">Older stories'
              '</button></div>')
    pages["/economy/?page=3"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[4:]),
        head=f'<link rel="prev" href="{base}/economy/?page=2">',
        pager='<div class="pager"><a href="/economy/">1</a> <a href="/economy/?page=2">2</a> '
              '<span class="current">3</span></div>')
    # Environment: featured teaser with a 120-word excerpt, then "Load more"
    env = section_articles("environment")
    featured = BY_KEY["B3"]
    rest = [a for a in env if a["key"] != "B3"]
    teaser = (f'<div class="featured-story"><span class="featured-label">Featured</span>'
              f'<h2 class="featured-title"><a href="{featured["path"]}">'
              f'{esc(featured["title"])}</a></h2><p class="featured-byline">By '
              f'{esc(join_names(featured["authors"]))}</p><div class="featured-excerpt">'
              f'<p>{esc(excerpt(featured, 120))}</p></div><a class="more-link" '
              f'href="{featured["path"]}">Continue reading</a></div>')
    pages["/environment/"] = archive_page(
        "Environment", teaser + "".join(listing_item(a) for a in rest[:2]),
        pager='<p class="load-more-wrap"><a class="load-more button" '
              'href="/environment/more?offset=3" data-offset="3">Load more</a></p>')
    pages["/environment/more?offset=3"] = archive_page(
        "Environment", "".join(listing_item(a) for a in rest[2:]))
    # Features: no pagination, cards
    pages["/features/"] = archive_page(
        "Ledger Features", "".join(listing_item(a, 40) for a in section_articles("features")),
        intro='<p class="archive-description">Long reads from the Wrenmoor coast.</p>')
    # Legacy archive in the old table layout, "Next page" by ?pg=2
    legacy = section_articles("archive")

    def legacy_list(items: list[dict], pager: str) -> str:
        rows = "".join(
            f'<tr><td class="d">{esc(a["dateline"])}</td><td><a href="{a["path"]}">'
            f'<b>{esc(a["title"])}</b></a><br><font size="2">{esc(excerpt(a, 20))}</font>'
            f'</td></tr>' for a in items)
        return legacy_shell("Archive", f'<h2>From the archive</h2><table width="100%">{rows}'
                                       f'</table><br>{pager}')

    pages["/archive/"] = legacy_list(legacy[:3], '<a href="/archive/?pg=2">Next page &gt;&gt;</a>')
    pages["/archive/?pg=2"] = legacy_list(legacy[3:], '<a href="/archive/">&lt;&lt; Previous</a>')
    # Author pages (long bio + their stories)
    for name, person in PEOPLE.items():
        theirs = [a for a in ARTICLES if name in a["authors"] and not a.get("hidden")
                  and a["kind"] != "bare"]
        theirs.sort(key=lambda a: a["published"][:10], reverse=True)
        intro = (f'<div class="author-info"><img class="avatar" src="/img/{person["slug"]}.jpg" '
                 f'alt=""><div class="author-description"><p class="author-bio">'
                 f'{esc(person["bio"])}</p><p class="author-links"><a href="mailto:'
                 f'{person["slug"]}@harbourledger.example">Email {esc(name.split()[0])}</a></p>'
                 f'</div></div>')
        pages[author_url(name)] = archive_page(
            f"Author: {name}", "".join(listing_item(a) for a in theirs[:3]), intro=intro)
    # Tag pages
    tags = sorted({t for a in ARTICLES if a["kind"] == "wp" for t in a["tags"]})
    for tag in tags:
        tagged = [a for a in ARTICLES if tag in a.get("tags", [])]
        pages[f"/tag/{tag}/"] = archive_page(
            f"Tag: {tag}", "".join(listing_item(a) for a in tagged))
    # Home
    latest = sorted((a for a in ARTICLES if not a.get("hidden")),
                    key=lambda a: a["published"][:10], reverse=True)
    top, others = latest[0], latest[1:8]
    home = (f'<section class="home-top"><h2 class="home-top__kicker">Top story</h2>'
            f'{listing_item(top, 60)}</section><section class="home-latest"><h2>Latest</h2>'
            + "".join(listing_item(a, 18) for a in others)
            + '</section><section class="home-sections"><h2>Sections</h2><ul>'
            + "".join(f'<li><a href="/{s}/">{esc(n)}</a></li>' for s, n in SECTIONS.items())
            + '</ul></section><section class="home-tags"><h2>Topics</h2><p>'
            + " ".join(f'<a href="/tag/{t}/">#{t}</a>' for t in tags) + '</p></section>')
    pages["/"] = wp_page(SITE, home, head=(
        '<meta property="og:type" content="website">'
        f'<meta property="og:title" content="{SITE}"><link rel="canonical" href="{base}/">'),
        body_class="home blog")
    return pages


def static_page(title: str, paragraphs: list[str], page_id: int, *, wrap_article: bool,
                base: str, path: str, extra: str = "") -> str:
    inner = (f'<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1></header>'
             f'<div class="entry-content">'
             + "".join(f"<p>{esc(p)}</p>" for p in paragraphs) + extra + '</div>')
    if wrap_article:
        body = (f'<article id="post-{page_id}" class="post-{page_id} page type-page '
                f'status-publish hentry">{inner}</article>')
    else:
        body = f'<div id="post-{page_id}" class="page-wrap">{inner}</div>'
    head = (f'<link rel="canonical" href="{base}{path}">'
            '<meta property="og:type" content="website">'
            f'<meta property="og:title" content="{esc(title)}">')
    return wp_page(title, body, head=head, body_class=f"page-template-default page page-id-"
                                                      f"{page_id}")


def build_pages(base: str) -> dict[str, str]:
    pages = build_listings(base)
    for a in ARTICLES:
        render = {"wp": render_wp_article, "ld": render_ld_article,
                  "bare": render_bare_article}[a["kind"]]
        pages[a["path"]] = render(a, base)
    pages["/about-us/"] = static_page("About us", ABOUT, 2, wrap_article=False, base=base,
                                      path="/about-us/")
    pages["/privacy-policy/"] = static_page(
        "Privacy policy", PRIVACY, 3, wrap_article=True, base=base, path="/privacy-policy/",
        extra='<p><em>Effective date: 1 February 2024.</em></p>')
    pages["/corrections-policy/"] = static_page(
        "Corrections policy", CORRECTIONS, 5, wrap_article=False, base=base,
        path="/corrections-policy/",
        extra='<p class="signoff">Maintained by the readers\' editor. Last reviewed 4 January '
              '2024.</p>')
    pages["/contact/"] = static_page(
        "Contact", CONTACT, 7, wrap_article=True, base=base, path="/contact/",
        extra=('<ul class="contacts"><li>News desk: <a href="mailto:news@harbourledger.example">'
               'news@harbourledger.example</a></li><li>Front office: <a href="tel:+441632960400">'
               '01632 960 400</a></li></ul>'))
    return pages


ROBOTS = "User-agent: *\nDisallow:\n"

# WordPress shortlinks (?p=N) redirect to the pretty permalink, except A3 whose
# permalink *is* the plain ?p= form.
SHORTLINKS = {f"/?p={a['wp_id']}": a["path"] for a in ARTICLES
              if a["kind"] == "wp" and not a["path"].startswith("/?p=")}


def _respond(pages: dict[str, str], request: Request) -> tuple:
    target = request.target
    if target == "/robots.txt":
        return 200, ROBOTS.encode(), "text/plain; charset=utf-8"
    if target in pages:
        return 200, pages[target].encode("utf-8"), "text/html; charset=UTF-8"
    if target in SHORTLINKS:
        return 301, b"", "text/html", {"Location": SHORTLINKS[target]}
    path, _, query = target.partition("?")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        slashed = path + "/" + (f"?{query}" if query else "")
        if slashed in pages:
            return 301, b"", "text/html", {"Location": slashed}
    body = wp_page("Page not found", '<section class="error-404 not-found"><h1>Oops! That '
                   'page can&rsquo;t be found.</h1></section>', body_class="error404")
    return 404, body.encode("utf-8"), "text/html; charset=UTF-8"


def serve() -> RunningSite:
    """Start the site on 127.0.0.1, an ephemeral port, in a daemon thread."""
    return serve_site(lambda base: partial(_respond, build_pages(base)),
                      name="cms-generations-site", server_version="nginx/1.24.0")


# ================================================================== ground truth

_GENERIC_BOILERPLATE = {
    "wp": [NEWSLETTER, FOOTER_NOTE, SHARE, "Your email address will not be published.",
           "News from Port Calloway, Skerrin and the Wrenmoor coast since 1871",
           "Join the cooperative from £3 a month"],
    "ld": [COOKIE, AD_TEXT, FOOTER_NOTE],
    "bare": [TIDES, CLASSIFIED, LEGACY_FOOT],
}


def _boilerplate(a: dict) -> list[str]:
    out = list(_GENERIC_BOILERPLATE[a["kind"]])
    if a["kind"] == "wp":
        out += [excerpt(BY_KEY[k])[:-4] for k in a["related"]]  # related-post excerpts
        out += [text for _, _, text in a["comments"]]
        if "read_also" in a:
            out.append(BY_KEY[a["read_also"][0]]["title"])
        if "figure" in a:
            out.append("Photo: Lucía Ferrer")
    elif a["kind"] == "ld":
        out += [BY_KEY[k]["title"] for k in MOST_POPULAR if k != a["key"]][:3]
        out += [BY_KEY[k]["title"] for k in a["related"]]
    else:
        out += [BY_KEY[k]["title"] for k in a["related"]]
        out.append(a["byline"])
    return out


EXPECTED: list[dict] = [ground_truth(a, _boilerplate(a)) for a in ARTICLES]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/harbour/", "/harbour/page/2/", "/economy/", "/economy/?page=2", "/economy/?page=3",
    "/environment/", "/environment/more?offset=3", "/features/", "/archive/", "/archive/?pg=2",
    "/about-us/", "/privacy-policy/", "/corrections-policy/", "/contact/",
    *(author_url(n) for n in PEOPLE),
    *sorted({f"/tag/{t}/" for a in ARTICLES if a["kind"] == "wp" for t in a["tags"]}),
]
