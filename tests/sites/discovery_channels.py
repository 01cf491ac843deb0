"""A news site whose stories need every discovery channel: "The Tarrowdale Courier".

Written apart from the crawler's code (standard library only). A fictional regional
paper for the market town of Kellsbridge, the Tarrow valley and the high moor, with
four sections: Local, Business, Countryside and Arts & Life. Articles live at
``/news/<section>/<id>/<slug>`` (no trailing slash) whatever the way they are found,
so the URL does not tell a crawler which channel an article came from.

Articles are reachable through three channels, and each channel is needed:

* ``section`` (12): home page -> section pages (``/sections/<name>/``) -> paginated
  listings (``/sections/<name>/?page=2``; Arts & Life uses ``/sections/arts/page/2/``)
  -> articles. Two stories a page; the oldest story of every section is linked only
  from page 2 of its listing.
* ``feed`` (5): linked from no HTML page. The home page advertises the site-wide
  RSS 2.0 feed (``/feeds/latest.xml``, its newest ten stories: three feed-only ones)
  with ``<link rel="alternate" type="application/rss+xml">`` and no ``<a>`` to it.
  The Business section page advertises an Atom feed (``/feeds/business.atom``), the
  Countryside section page an RSS 1.0 (RDF) feed (``/feeds/countryside.rdf``,
  advertised as ``application/rss+xml``); each carries one feed-only story of its own
  that is too old for the site-wide feed.
* ``sitemap`` (5): in no HTML page and no feed, only in the Google News sitemap
  ``/sitemaps/news.xml.gz`` (served as a gzip *file*: application/x-gzip, no
  Content-Encoding), which the sitemap index ``/sitemaps/index.xml`` (named by
  robots.txt) lists next to ``/sitemaps/stories.xml`` (the section stories, with
  lastmod) and ``/sitemaps/archive-2019.xml``.
* ``old`` (2): published in 2019, only in ``/sitemaps/archive-2019.xml`` (lastmod
  2019). Ground truth only when no ``since`` filter applies: ``OLD_ARTICLES``.

robots.txt disallows ``/members/`` (two article-looking pages linked from the home
page) and ``/search`` (linked "popular searches"), has a ``BadBot`` group and a
``Crawl-delay`` (``serve(crawl_delay=...)``, omitted when 0).

Traps, all linked from ordinary pages and none holding an article: an endless event
calendar (``/calendar/YYYY/MM/`` and ``/calendar/YYYY/MM/DD/`` answer for any year
1-9999, with prev/next links), a faceted events guide (``/events/?type=&venue=&sort=``,
120 URLs), endless community notices (``/notices/?page=N`` always links N+1; from page
4 on the bodies differ only in that link), ``?sessionid=`` and ``;jsessionid=`` links
that change on every render (footer links, "Most read" on story pages), and ``/lite/``,
a byte-identical copy of the home page. ``BUSY_PATH`` answers its first request with
429 and ``Retry-After: 1``, then 200.

``serve()`` starts a fresh instance on 127.0.0.1 port 0; its ``hits()``, ``times()``
and ``requests()`` show what was asked when (``tests.sites.server``).
"""

from __future__ import annotations

import gzip
import json
import re
import secrets
import threading
from calendar import monthrange
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlencode

from tests.sites.pages import esc, ground_truth, paras
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

SITE = "The Tarrowdale Courier"
TAGLINE = "Kellsbridge, the Tarrow valley and the high moor since 1858"
FOOTER_NOTE = ("© 2026 Tarrowdale Newspapers Ltd, 14 Sheep Street, Kellsbridge. "
               "Registered in England no. 00418822.")
NEWSLETTER = "Get the Courier Morning Round-up free in your inbox every weekday at 6.30am."
COOKIE = "The Courier uses cookies to remember your settings and to count its readers."
MEMBERS_PITCH = "Support local reporting: become a Courier member from £4 a month."

# ============================================================================ people

PEOPLE: dict[str, dict] = {
    "Eleanor Pryce": dict(slug="eleanor-pryce", role="Local democracy reporter",
                          bio="Eleanor covers the county council, the district council "
                              "and the town hall."),
    "Callum Reid": dict(slug="callum-reid", role="Transport reporter",
                        bio="Callum writes about roads, buses, trains and the people "
                            "stuck on them."),
    "Grace Okonkwo": dict(slug="grace-okonkwo", role="Education correspondent",
                          bio="Grace reports on schools, colleges and childcare across "
                              "the valley."),
    "Samir Haddad": dict(slug="samir-haddad", role="Business editor",
                         bio="Samir edits the Courier's business pages and the Friday "
                             "Market Report."),
    "Tobias Lindqvist": dict(slug="tobias-lindqvist", role="Business reporter",
                             bio="Tobias covers shops, quarries, farms-as-businesses "
                                 "and the high street."),
    "Joanna Whitlock": dict(slug="joanna-whitlock", role="Countryside editor",
                            bio="Joanna writes about the moor, the river and what "
                                "lives in both."),
    "Martin Sedgwick": dict(slug="martin-sedgwick", role="Farming correspondent",
                            bio="Martin farmed sheep at Brindle Top for twenty years "
                                "before joining the Courier."),
    "Bethan Lloyd-Morris": dict(slug="bethan-lloyd-morris", role="Arts editor",
                                bio="Bethan covers theatre, film, music and the town's "
                                    "museums."),
    "Niamh Costello": dict(slug="niamh-costello", role="Arts and features writer",
                           bio="Niamh writes about books, bands and the valley's "
                               "festivals."),
    "Femi Adeyemi": dict(slug="femi-adeyemi", role="Courts and health reporter",
                         bio="Femi covers the magistrates' court, the hospital trust "
                             "and the ambulance service."),
}

SECTIONS: dict[str, dict] = {
    "local": dict(name="Local", kind="og",
                  blurb="Councils, courts, schools and transport in Kellsbridge and "
                        "the valley."),
    "business": dict(name="Business", kind="og", feed="/feeds/business.atom",
                     feed_type="application/atom+xml",
                     blurb="Shops, farms, quarries and the people who run them."),
    "countryside": dict(name="Countryside", kind="ld", feed="/feeds/countryside.rdf",
                        feed_type="application/rss+xml",
                        blurb="The moor, the river, wildlife and farming."),
    "arts": dict(name="Arts & Life", kind="og",
                 blurb="Music, theatre, film, books and heritage."),
}
PER_PAGE = 2

# ============================================================================ articles
# channel: "section" (listed on section pages), "feed" (only in one feed: ``feed``),
# "sitemap" (only in the news sitemap), "old" (2019, only in the 2019 archive sitemap).
# kind: "og" (Open Graph + article:published_time) or "ld" (JSON-LD NewsArticle, no og).

_RAW_ARTICLES: list[dict] = [
    # ------------------------------------------------------------------ section: local
    dict(
        key="L1", channel="section", section="local", id=40518,
        title="Bypass inquiry reopens after traffic counts are challenged",
        authors=["Eleanor Pryce", "Callum Reid"],
        published="2026-03-10T07:30:00+00:00", modified="2026-03-10T12:05:00+00:00",
        tags=["transport", "planning"],
        body=paras("""
            The public inquiry into the proposed Kellsbridge eastern bypass will reopen next
            month after a planning inspector accepted that traffic counts used to justify the
            road may have been taken while the Tarrow Bridge was partly closed for repairs.

            Inspector Rosalind Kerr adjourned the inquiry in January to allow objectors to
            examine the raw survey data. In a written ruling published on Monday she said the
            county's figures for the junction at Market Cross were "materially affected" by
            the lane closure and could not be relied on without fresh counts.

            Wendmoor County Council says the road, which would run for 3.2 kilometres from the
            Skelby roundabout to the Fellgate Road, would take around eleven thousand vehicles
            a day out of the town centre. The authority has already spent £4.1 million on
            design work and land options.

            The Tarrow Valley Residents' Alliance, which brought the challenge, argues that
            the true figure is closer to seven thousand, and that most of the traffic clogging
            Bridge Street starts and finishes in the town. "You cannot bypass a school run,"
            said its chair, retired surveyor Douglas Penhale.

            New automatic counters were installed at six points around the town last week and
            will run for four weeks. Both sides have agreed to share the results before the
            inquiry resumes on 14 April at the Corn Exchange, where it is expected to sit for a
            further nine days.

            The cabinet member for highways, Councillor Anita Brayshaw, said the delay was
            frustrating but that the council welcomed the chance to "put the numbers beyond
            argument". If the scheme is approved, construction could begin in the spring of
            2027, subject to a final funding decision from the Department for Transport.
        """),
        snippets=[
            "traffic counts used to justify the road may have been taken while the Tarrow "
            "Bridge was partly closed for repairs.",
            '"You cannot bypass a school run," said its chair, retired surveyor Douglas '
            "Penhale.",
            "construction could begin in the spring of 2027",
        ],
    ),
    dict(
        key="L2", channel="section", section="local", id=40471,
        title="Gritting routes cut back as county faces salt shortfall",
        authors=["Callum Reid"],
        published="2026-02-18T18:05:00+00:00",
        tags=["transport", "winter"],
        body=paras("""
            Dozens of rural roads in the Tarrow valley will no longer be gritted before frost
            after Wendmoor County Council admitted its salt barns were less than a third full
            with six weeks of winter still to run.

            The revised priority network, which took effect on Tuesday night, drops 140
            kilometres of minor roads, including the lanes to Nethercote, Brindle Top and the
            upper end of Scarrow Dale. Main bus routes, the approaches to Kellsbridge
            Community Hospital and the roads to schools will still be treated.

            Highways officers blamed a combination of an early cold snap in November and a
            delayed delivery from the council's supplier, whose ship was held in port for nine
            days by storms. A replacement cargo of rock salt is due at the end of the month.

            Farmers and parish councils reacted with alarm. Brindle parish clerk Maureen
            Hatherley said the lane to the village was "a sheet of glass by seven in the
            morning" in cold weather and that the milk tanker had already slid into a wall
            once this winter.

            The council has doubled the number of grit bins it will refill and is asking
            parishes to nominate volunteers who can spread salt from them by hand. Any parish
            that signs up will be given a stock of one-tonne bags and a set of high-visibility
            jackets.

            Councillor Anita Brayshaw said she understood the anger but that the authority had
            "no choice but to make the salt we have last". She promised a review of the
            council's winter contract in the summer, including whether the county should hold
            a larger strategic reserve, as some neighbouring authorities now do.
        """),
        snippets=[
            "drops 140 kilometres of minor roads, including the lanes to Nethercote, Brindle "
            "Top and the upper end of Scarrow Dale.",
            "the milk tanker had already slid into a wall once this winter.",
        ],
    ),
    dict(
        key="L3", channel="section", section="local", id=40322,
        title="Fellgate school to stay open after pupil numbers recover",
        authors=["Grace Okonkwo"],
        published="2025-12-03T12:40:00+00:00",
        tags=["schools"],
        body=paras("""
            Fellgate Church of England Primary School, which was threatened with closure
            eighteen months ago, will stay open after its roll rose from twenty-three pupils
            to forty-one, the diocese confirmed this week.

            The school, which sits at the head of the valley eleven miles from Kellsbridge,
            was placed on a formal consultation list in the summer of 2024 when governors
            warned that its budget could not support three classes. At that point it had just
            four children in its reception year.

            Since then, a combination of new housing on the old dairy site, two families
            moving from the city to run the village pub and an unusually large group of
            four-year-olds has transformed its prospects. This September nine children started
            in reception, the largest intake since 2011.

            Headteacher Rachel Amponsah said staff had also worked hard to persuade parents in
            neighbouring villages that a small school was an advantage rather than a risk. "We
            take them up Scarrow Fell in October and to the river in May. Nobody gets lost in
            a school this size," she said.

            The diocese said it would now invest £180,000 in replacing the school's leaking
            roof and converting a disused classroom into a library and music room. The work
            will be carried out during the Easter and summer holidays to avoid disrupting
            lessons.

            Parent governor Tom Ellwood, whose twin daughters are in year two, said the village
            had been "holding its breath" for a year and a half. "A village without a school is
            a village that slowly stops having children in it. We know what happened to Skelby
            when theirs closed in the nineties," he said.
        """),
        snippets=[
            "will stay open after its roll rose from twenty-three pupils to forty-one",
            "This September nine children started in reception, the largest intake since "
            "2011.",
            "Nobody gets lost in a school this size",
        ],
    ),
    # --------------------------------------------------------------- section: business
    dict(
        key="B1", channel="section", section="business", id=40502,
        title="Tarrow Mill reopens as a bakery and flour school",
        authors=["Samir Haddad"],
        published="2026-03-05T09:15:00+00:00",
        tags=["food", "heritage"],
        body=paras("""
            The water-powered corn mill on the banks of the Tarrow at Kellsbridge has begun
            grinding flour commercially for the first time since 1962, after a three-year
            restoration led by a former software engineer and her brother.

            Tarrow Mill was built in 1794 and ground oats and wheat for farms across the
            valley until the last miller, Harold Blenkinsop, retired. It was later used as a
            furniture store and then stood empty for almost twenty years, its wheel seized and
            its roof open to the weather.

            Siblings Kirsty and Alan Marwood bought the building at auction in 2022 for
            £210,000. With the help of a heritage grant and a team of volunteer millwrights,
            they rebuilt the oak wheel, relaid the millstones and restored the sluice that
            feeds water from the river.

            The mill now produces around four hundred kilograms of stoneground wholemeal flour
            a week from wheat grown at two farms near Skelby. Most of it is used in the bakery
            that occupies the ground floor, with the rest sold in paper sacks to shops and
            restaurants in the county.

            On Saturdays the upper floor becomes a flour school, running day courses in bread,
            pastry and traditional oatcakes. Kirsty Marwood said the first six months of
            courses sold out within a week of going on sale. "People want to see where their
            food comes from, and here they can watch it happen," she said.

            The business employs eleven people, including two apprentice bakers from
            Kellsbridge College. The Marwoods say the mill should break even by the end of its
            second year, though they admit that the river has its own ideas about opening
            hours: when the Tarrow floods, the wheel has to stop.
        """),
        snippets=[
            "grinding flour commercially for the first time since 1962",
            "they rebuilt the oak wheel, relaid the millstones and restored the sluice that "
            "feeds water from the river.",
            "when the Tarrow floods, the wheel has to stop.",
        ],
    ),
    dict(
        key="B2", channel="section", section="business", id=40433,
        title="Market traders push back on Saturday parking charges",
        authors=["Samir Haddad", "Eleanor Pryce"],
        published="2026-01-27T16:30:00+00:00", modified="2026-01-28T09:12:00+00:00",
        tags=["market", "parking"],
        body=paras("""
            Stallholders at Kellsbridge's Saturday market have warned that a plan to end free
            parking in the town's two central car parks at weekends could cost them a fifth of
            their trade.

            The proposal, included in the district council's draft budget for next year, would
            introduce charges of £1.50 an hour on Saturdays and Sundays at the Cattle Market
            and Priory Lane car parks, which have been free at weekends since 2009. Officers
            estimate it would raise about £160,000 a year.

            More than sixty traders have signed a letter to councillors arguing that shoppers
            from the outlying villages, many of whom have no bus service on a Saturday, would
            simply drive to the retail park at Wraythorpe instead, where parking remains free.

            Cheesemonger Lorraine Pickersgill, who has run a stall on the market for
            twenty-six years, said: "Our customers come in from the farms, do their shopping,
            have a cup of tea and a chat, and go home. If you put a meter on that, they will do
            it somewhere else, and they will not come back."

            The council's finance portfolio holder, Councillor Dev Sharma, said the authority
            faced a gap of £2.3 million next year and that every option had painful
            consequences. He said the council was considering a compromise under which the
            first two hours on a Saturday would remain free.

            A public consultation on the proposal closes on 20 February. The Kellsbridge
            Chamber of Trade is organising a meeting for traders and shoppers at the Corn
            Exchange on 6 February, and has invited all the district councillors for the
            town's wards to attend and answer questions.
        """),
        snippets=[
            "would introduce charges of £1.50 an hour on Saturdays and Sundays at the Cattle "
            "Market and Priory Lane car parks",
            "If you put a meter on that, they will do it somewhere else, and they will not "
            "come back.",
        ],
    ),
    dict(
        key="B3", channel="section", section="business", id=40298,
        title="Scarrow quarry owner seeks twenty-year extension",
        authors=["Tobias Lindqvist"],
        published="2025-11-19T08:00:00+00:00",
        tags=["quarrying", "planning"],
        body=paras("""
            The owner of Scarrow limestone quarry has applied for permission to keep working
            the site until 2047 and to extend its northern face by a further eighteen hectares
            into land currently used as rough grazing.

            Hallam Aggregates, which bought the quarry in 2016, says the existing permission,
            which runs out in 2028, would leave around three million tonnes of rock in the
            ground. The company says the extension would secure forty-two jobs at the site and
            a similar number among hauliers and contractors.

            The application includes a new wheel-washing plant, a commitment to end blasting
            on Saturdays and a restoration plan that would turn the worked-out southern benches
            into limestone grassland and a lake once extraction is complete.

            Residents of Scarrow Bridge, the nearest village, say the quarry has become noisier
            and dustier in recent years and that lorry numbers on the valley road have roughly
            doubled since 2019. A petition opposing the extension had gathered more than nine
            hundred signatures by Tuesday evening.

            Geologist and parish councillor Dr Elspeth Noakes said the northern extension
            would also remove part of a limestone pavement that she believes should be
            protected. "It is not spectacular to look at, but it is rare, and once it is
            crushed for road stone it is gone forever," she said.

            Wendmoor County Council, which is the minerals planning authority, expects to
            determine the application next summer. An environmental statement running to some
            1,400 pages has been published on the council's planning portal, and comments can
            be submitted until 12 January.
        """),
        snippets=[
            "extend its northern face by a further eighteen hectares into land currently used "
            "as rough grazing.",
            "once it is crushed for road stone it is gone forever",
        ],
    ),
    # ------------------------------------------------------------ section: countryside
    dict(
        key="C1", channel="section", section="countryside", id=40494,
        title="Curlew numbers rise on Highmoor after rewetting",
        authors=["Joanna Whitlock"],
        published="2026-03-02T06:45:00+00:00",
        tags=["birds", "moorland"],
        body=paras("""
            Curlews have returned to breed on Highmoor in numbers not seen for two decades,
            according to surveyors who credit the blocking of old drainage ditches across the
            moor's eastern flank.

            Volunteers from the Tarrow Valley Naturalists' Society counted nineteen breeding
            pairs last spring on the estate's 600 hectares of blanket bog and rough pasture, up
            from seven in 2019. Numbers of lapwing and snipe have risen too, though less
            sharply.

            Between 2020 and 2023 contractors built more than four thousand small peat and
            timber dams in ditches dug in the 1960s and 1970s, when landowners were paid grants
            to drain the moor for sheep. Water levels in the bog have since risen by an average
            of twelve centimetres.

            "Curlews need wet ground with soft soil they can probe for worms and leatherjackets,
            and they need it from March to June," said the society's bird recorder, Alastair
            Fenwick. "Dry the moor out and the chicks starve, however good the rest of the
            habitat is."

            The rewetting has also slowed the rate at which rain reaches the Tarrow. Monitoring
            by the river trust suggests that peak flows from the Highmoor tributaries now
            arrive at Dunholm Bridge around forty minutes later than before the work, giving
            the town a little more time in a flood.

            Farmer and estate tenant Wilf Armitage, who was sceptical at first, said the sheep
            had adjusted and that he was now paid more for managing the bog than he had ever
            earned from the wettest parts of it. Surveys will continue this spring with the
            help of two thermal-imaging drones.
        """),
        snippets=[
            "counted nineteen breeding pairs last spring on the estate's 600 hectares of "
            "blanket bog and rough pasture",
            "Dry the moor out and the chicks starve, however good the rest of the habitat is.",
        ],
    ),
    dict(
        key="C2", channel="section", section="countryside", id=40418,
        title="Farmers warned over liver fluke after wettest autumn on record",
        authors=["Martin Sedgwick"],
        published="2026-01-14T11:20:00+00:00",
        tags=["farming", "animal-health"],
        body=paras("""
            Sheep and cattle farmers in the Tarrow valley have been urged to test their
            animals for liver fluke after vets reported the highest number of cases in more
            than a decade following the wettest autumn on record.

            The parasite, a small flatworm that spends part of its life cycle in a species of
            mud snail, thrives on wet, poorly drained pasture. The weather station at
            Kellsbridge recorded 512 millimetres of rain between September and November,
            almost twice the long-term average.

            Vet Caroline Mbatha, of the Tarrow Veterinary Group, said the practice had seen
            acute fluke in ewes on eleven farms since Christmas, several of which had lost
            animals suddenly without any earlier sign of illness. "By the time you see a sheep
            that is clearly unwell, you are usually too late for that one," she said.

            Farmers are being advised to carry out dung tests or blood tests before treating,
            because resistance to the most commonly used drug has been confirmed on at least
            three holdings in the county. Using the wrong product at the wrong time can do
            more harm than good.

            The Wendmoor branch of the farmers' union is running a free testing day at
            Kellsbridge auction mart on 29 January, with samples analysed by a laboratory in
            the city and results returned within a week. Members and non-members alike are
            welcome.

            Longer term, advisers say fencing off the wettest ground and mending leaking water
            troughs will help. Hill farmer Jean Metcalfe, who lost fourteen ewes in December,
            said she would be keeping her flock off the river meadows until the spring: "They
            will have to make do with hay and the high pasture."
        """),
        snippets=[
            "recorded 512 millimetres of rain between September and November, almost twice "
            "the long-term average.",
            "Hill farmer Jean Metcalfe, who lost fourteen ewes in December",
        ],
    ),
    dict(
        key="C3", channel="section", section="countryside", id=40267,
        title="Dunholm footbridge washed away and walkers told to use the road",
        authors=["Joanna Whitlock", "Martin Sedgwick"],
        published="2025-10-28T17:50:00+00:00",
        tags=["footpaths", "flooding"],
        body=paras("""
            A footbridge that has carried the Tarrow Way long-distance path across the river
            at Dunholm for almost a century was swept away on Sunday night, when the river rose
            more than two metres in six hours after heavy rain on the high moor.

            The steel and timber span, built in 1928 by an unemployment relief scheme, was last
            seen by a dog walker at about ten o'clock. By first light on Monday only its stone
            abutments remained. Part of the deck was later found wedged against trees a
            kilometre downstream.

            Walkers following the 92-kilometre trail are being directed along the valley road
            to Dunholm Bridge, a detour of about two kilometres on a road with no pavement.
            Ramblers' groups have warned that the diversion is dangerous, particularly in the
            dark winter afternoons.

            The county's countryside access manager, Fiona Castellanos, said engineers would
            assess the abutments this week but that a permanent replacement was unlikely to be
            in place before next autumn. "A bridge over a river like the Tarrow needs a longer
            span and more clearance than anyone thought necessary in 1928," she said.

            Local farmer Geoffrey Hebblethwaite, whose land adjoins the crossing, has offered
            to allow a temporary permissive path along his field edge to a ford used by his
            cattle, but the council says the ford is unsafe for walkers whenever the river is
            above its normal level.

            The loss of the bridge is a blow to the small businesses at Dunholm that rely on
            walkers, including the tea room and the bunkhouse at Low Garth. Its owner, Pat
            Ogunleye, said bookings for the spring had already started to fall. "People look
            at the map, see the gap and go somewhere else," she said.
        """),
        snippets=[
            "the river rose more than two metres in six hours after heavy rain on the high "
            "moor.",
            "Part of the deck was later found wedged against trees a kilometre downstream.",
            '"People look at the map, see the gap and go somewhere else," she said.',
        ],
    ),
    # ------------------------------------------------------------------- section: arts
    dict(
        key="A1", channel="section", section="arts", id=40509,
        title="Corn Exchange to show silent films with live organ",
        authors=["Bethan Lloyd-Morris"],
        published="2026-03-08T10:00:00+00:00",
        tags=["film", "music"],
        body=paras("""
            The Corn Exchange in Kellsbridge will bring back silent cinema this spring, with a
            season of films from the 1920s accompanied by the theatre organ that was rescued
            from the town's Regal Picture House before it was demolished in 1978.

            The organ, which has three keyboards and more than a thousand pipes, spent thirty
            years in pieces in a barn at Nethercote before a group of enthusiasts reassembled
            it in the Corn Exchange's upper hall. It was played in public again for the first
            time at Christmas.

            The season opens on 28 March with Buster Keaton's The General, followed in April by
            Metropolis and in May by a programme of short comedies chosen by pupils from
            Kellsbridge Academy, who have been learning to write their own scores for the
            organ.

            Organist Philippa Drummond, who will play for all three screenings, said
            accompanying a silent film was closer to jazz than to a recital. "You know the
            film, you know the themes, but every audience laughs in different places, and you
            follow them. No two nights are the same," she said.

            Tickets cost £9, or £5 for under-eighteens, and the Corn Exchange is offering a
            season pass for all three films. The venue's manager, Ravi Chaudhary, said he hoped
            the screenings would introduce a new audience to the building as well as to the
            films.

            The organ trust is still raising money to restore the instrument's percussion
            section, which includes a xylophone, a glockenspiel, sleigh bells and a device that
            imitates a steam train. Donations can be made at the Corn Exchange box office or at
            any of the screenings this spring.
        """),
        snippets=[
            "spent thirty years in pieces in a barn at Nethercote",
            "accompanying a silent film was closer to jazz than to a recital.",
            "sleigh bells and a device that imitates a steam train.",
        ],
    ),
    dict(
        key="A2", channel="section", section="arts", id=40455,
        title="Kellsbridge Silver Band wins area contest for first time since 1987",
        authors=["Niamh Costello"],
        published="2026-02-09T21:30:00+00:00",
        tags=["music"],
        body=paras("""
            Kellsbridge Silver Band has won the regional brass band championships for the first
            time in almost forty years, beating eleven other bands in the second section at
            the weekend and earning a place at the national finals in September.

            The band played the set test piece, a demanding set of variations on a fell song,
            before a panel of three adjudicators who sat behind a screen so that they could not
            see which band was playing. Kellsbridge finished two points clear of Scarrowdale
            Colliery Band, its nearest neighbour and oldest rival.

            Musical director Imran Qureshi, who took over the band in 2021 when it had only
            nineteen players, said the result was the reward for three years of rebuilding.
            The band now has thirty members, ranging in age from a twelve-year-old cornet
            player to a tuba player who joined in 1961.

            "We have rehearsed twice a week since October, in a hall with a leaking roof and a
            boiler that works when it feels like it," Mr Qureshi said. "When the results were
            read out, half the band were crying and the other half were on the phone to their
            mothers."

            The band was founded in 1872 by workers at the town's worsted mills and played at
            the opening of Kellsbridge station in 1876. Its trophy cabinet includes medals
            from contests across the north, though most of them date from before the mills
            closed in the 1960s.

            Competing at the national finals will cost the band around £8,000 for transport,
            accommodation and entry fees. Fundraising will begin with a concert at St Oswald's
            Church on 7 March, and the band is also hoping to find a new sponsor to replace the
            building society whose support ended last year.
        """),
        snippets=[
            "Kellsbridge finished two points clear of Scarrowdale Colliery Band, its nearest "
            "neighbour and oldest rival.",
            "half the band were crying and the other half were on the phone to their mothers.",
        ],
    ),
    dict(
        key="A3", channel="section", section="arts", id=40233,
        title="Library's lost photograph collection catalogued after forty years",
        authors=["Bethan Lloyd-Morris", "Niamh Costello"],
        published="2025-09-30T14:10:00+01:00",
        tags=["heritage", "photography"],
        body=paras("""
            More than six thousand glass plate negatives showing life in Kellsbridge between
            the 1890s and the 1930s have been catalogued for the first time, forty years after
            they were found in a locked cupboard in the basement of the town library.

            The plates were the work of the Ainsworth family, who ran a photographic studio on
            Sheep Street for three generations. When the studio closed in 1954 the negatives
            were given to the library, which stored them and then, over the decades, forgot
            that it had them.

            They were rediscovered in 1985 during rewiring but were judged too fragile to
            handle. It was only last year, with a grant from a heritage charity, that the
            library was able to employ a conservator, Dr Miriam Castell, to clean, scan and
            describe each plate.

            The collection includes formal portraits, weddings and school groups, but also
            street scenes, shop fronts, the building of the railway viaduct at Skelby and the
            aftermath of the great flood of 1913, when the Tarrow rose into the market place
            and boats were rowed down Bridge Street.

            Dr Castell said the most moving discoveries were the ordinary ones. "There are
            hundreds of mill workers photographed on their one day off, in their best clothes,
            looking straight at the camera. We have names for a handful of them. We would love
            to know who the rest were," she said.

            A selection of sixty prints will go on display at the library from 18 October, and
            the full catalogue can be searched on computers in the local studies room. The
            library is asking anyone who recognises a face, a shop or a street to fill in one
            of the cards provided at the exhibition.
        """),
        snippets=[
            "More than six thousand glass plate negatives showing life in Kellsbridge",
            "when the Tarrow rose into the market place and boats were rowed down Bridge "
            "Street.",
        ],
    ),
    # ------------------------------------------------------------------ feed-only
    dict(
        key="F1", channel="feed", feed="rss", section="local", id=40521,
        title="Night bus pilot to link Kellsbridge with Wraythorpe",
        authors=["Callum Reid"],
        published="2026-03-12T15:00:00+00:00",
        tags=["transport", "buses"],
        body=paras("""
            A late-night bus service between Kellsbridge and Wraythorpe will run for a
            six-month trial from April, giving shift workers, students and people on a night
            out a way home after the last scheduled bus leaves at twenty past seven.

            The N82 will leave Kellsbridge bus station at 21:30, 23:00 and 00:30 on Thursdays,
            Fridays and Saturdays, calling at Skelby, the retail park and Wraythorpe hospital
            before returning. Fares will be capped at £2 for a single journey, in line with the
            national cap.

            The £94,000 pilot is being paid for from the county's share of a government fund
            intended to improve rural bus services. Tarrow Valley Coaches will run it with a
            sixteen-seat minibus, which can be replaced with a full-sized bus if demand is
            higher than expected.

            Night-shift nurse Danielle Okafor, who works at Wraythorpe hospital, said the
            service would change her life. "At the moment I finish at half eleven and either
            pay £30 for a taxi or sit in the staff room until the first bus at six. Most of my
            colleagues just drive, but not all of us can," she said.

            Publicans in Kellsbridge welcomed the trial, saying that the lack of a late bus had
            kept younger customers from the villages away from the town at night. The county
            council said it would publish passenger numbers every month so that residents
            could see whether the service was being used.

            If the trial succeeds, the county hopes to extend the service to Sunday evenings
            and to add a second route up the valley to Fellgate. A decision on whether the N82
            will become permanent is due in October, after the results of a passenger survey
            have been analysed.
        """),
        snippets=[
            "The N82 will leave Kellsbridge bus station at 21:30, 23:00 and 00:30",
            "sit in the staff room until the first bus at six.",
        ],
    ),
    dict(
        key="F2", channel="feed", feed="rss", section="arts", id=40486,
        title="Prize-winning poet to judge valley schools writing competition",
        authors=["Niamh Costello"],
        published="2026-02-24T09:30:00+00:00",
        tags=["books", "schools"],
        body=paras("""
            The Tarrow Valley Young Writers' Prize will be judged this year by the poet Adaeze
            Holloway, who grew up in Skelby and whose first collection, written about her
            grandmother's allotment, won a national first-book award in 2023.

            The competition, now in its eleventh year, is open to pupils aged nine to eighteen
            at any school in the valley. Entries can be poems, short stories or pieces of
            memoir of up to a thousand words, on this year's theme of "the river".

            Holloway said she had entered the prize herself as a fourteen-year-old and had come
            nowhere. "I still have the rejection letter, which was very kind. It said my poem
            had too many adjectives, which was true. I want every entrant to get a proper note
            back, not just the winners," she said.

            Organisers at Kellsbridge library said entries had more than tripled since the
            prize began, from eighty-four in its first year to almost three hundred last year.
            The number of secondary school entries, which had been falling, rose sharply after
            a series of workshops in classrooms.

            Winners in each of three age groups will receive book tokens and a day with
            Holloway at the Corn Exchange, where she will lead a workshop on editing. Their
            work will be printed in a small anthology, published by the library and sold in
            bookshops across the county.

            The closing date for entries is 30 April. Teachers can submit work on behalf of
            their classes, and pupils who are educated at home can enter directly through the
            library. The shortlist will be announced in June and the winners at a ceremony
            during the Kellsbridge Festival in July.
        """),
        snippets=[
            "It said my poem had too many adjectives, which was true.",
            "from eighty-four in its first year to almost three hundred last year.",
        ],
    ),
    dict(
        key="F3", channel="feed", feed="rss", section="local", id=40441,
        title="Volunteer drivers needed as hospital transport scheme expands",
        authors=["Femi Adeyemi", "Grace Okonkwo"],
        published="2026-02-02T08:15:00+00:00",
        tags=["health", "volunteers"],
        body=paras("""
            A volunteer car scheme that takes patients from the upper Tarrow valley to hospital
            appointments is appealing for at least twenty new drivers after agreeing to extend
            its service to dialysis patients at Wraythorpe.

            Valley Wheels was set up in 2014 by a group of retired teachers in Fellgate, who
            were troubled by the number of older neighbours missing appointments because they
            could not afford a taxi and there was no bus that would get them to the hospital on
            time.

            The scheme now has forty-six drivers and made almost four thousand journeys last
            year. Passengers pay a contribution of 30p a mile, which is passed on to drivers to
            cover their fuel, and the charity covers the cost of insurance, training and
            background checks.

            From April it will also take patients to the renal unit at Wraythorpe three times a
            week. Coordinator Sheila Braithwaite said those journeys were particularly
            demanding, because dialysis takes around four hours and drivers often wait to bring
            patients home rather than making two trips.

            Retired postman Ken Mistry, who has driven for the scheme for six years, said the
            conversations were the best part. "You learn more about the valley in a
            forty-minute drive with someone who has lived here for ninety years than you would
            from any book. And they always want to know about your grandchildren," he said.

            Anyone interested in volunteering must have held a full driving licence for at
            least three years and have the use of their own car. An information evening will
            be held at Fellgate village hall on 19 February, and the scheme can also be
            contacted through Kellsbridge library.
        """),
        snippets=[
            "Valley Wheels was set up in 2014 by a group of retired teachers in Fellgate",
            "Passengers pay a contribution of 30p a mile",
        ],
    ),
    dict(
        key="F4", channel="feed", feed="atom", section="business", id=40219,
        title="Family butcher marks a century on Bridge Street",
        authors=["Tobias Lindqvist"],
        published="2025-09-16T07:00:00+01:00", modified="2025-09-16T11:45:00+01:00",
        tags=["shops", "food"],
        body=paras("""
            Hirst and Sons, the butcher's shop on Bridge Street in Kellsbridge, celebrated its
            hundredth birthday on Saturday with a queue that stretched past the war memorial
            and a cake made, at the owner's insistence, entirely without meat.

            The shop was opened in 1925 by Walter Hirst, a farmer's son from Brindle who had
            served as a cook in the army. It has been run by four generations of the family,
            and its current owner, Andrew Hirst, still uses the wooden chopping block that his
            great-grandfather bought second hand from a slaughterhouse in Skelby.

            Hirst said the business had survived rationing, the arrival of two supermarkets and
            the foot-and-mouth outbreak of 2001 by sticking to meat from farms within twenty
            miles of the shop. "Customers know the names of the farms and some of them know the
            names of the farmers' dogs," he said.

            Trade has changed, though. Sausages and burgers now account for almost half of
            sales, and the shop sells more mince in a week than it used to sell in a month. The
            once-popular Saturday trade in tripe and pigs' trotters has all but disappeared,
            along with the customers who remembered how to cook them.

            The shop now employs seven people, including Hirst's daughter Lucy, who trained as
            a chef in Manchester before returning to run its growing line of pies and ready
            meals. Online orders, delivered by van to villages up the valley, make up about a
            tenth of the business.

            Asked whether there would be a fifth generation, Hirst pointed at Lucy and said it
            was up to her. She laughed and said she would decide "when Dad finally retires,
            which he has been promising to do since 2015". A century of the shop's history will
            be on display in its window until the end of the month.
        """),
        snippets=[
            "a cake made, at the owner's insistence, entirely without meat.",
            "some of them know the names of the farmers' dogs",
        ],
    ),
    dict(
        key="F5", channel="feed", feed="rdf", section="countryside", id=40244,
        title="Hedge-laying championship returns to Nethercote",
        authors=["Martin Sedgwick"],
        published="2025-10-07T13:00:00+01:00",
        tags=["farming", "heritage"],
        body=paras("""
            The Wendmoor hedge-laying championship will return to Nethercote later this month
            for the first time since 2018, with more than forty competitors expected to tackle
            a quarter of a mile of overgrown hawthorn on Manor Farm.

            Hedge laying is the practice of partly cutting through the stems of a hedge,
            bending them over and weaving them between stakes, so that the plants regrow from
            the base and form a thick, stock-proof barrier. Styles differ from county to
            county, and the local version leaves the brush on the field side.

            Competitors are given five hours to lay a ten-metre length of hedge and are judged
            on neatness, strength and how well the work will regrow. Classes range from novices
            to open champions, and there is a junior class for under-eighteens, who are allowed
            help with the heavy cutting.

            Organiser Bryony Calvert said the championship had lapsed after the death of its
            long-time secretary and a run of wet autumns. "It took a couple of years and a lot
            of phone calls to find a farm with the right hedge and a field big enough for the
            parking, but we got there," she said.

            The revival comes as grants for hedge restoration have encouraged more farmers to
            lay hedges rather than flail them. Ecologists say that laid hedges are far better
            for nesting birds, dormice and insects, and that a well-laid hedge can last for
            fifty years before it needs laying again.

            The championship takes place on Saturday 25 October from eight in the morning, with
            judging at two. Spectators are welcome, parking is £3 and the proceeds go to the
            county air ambulance. Visitors are asked to bring stout boots, as the field is
            expected to be muddy whatever the weather.
        """),
        snippets=[
            "the local version leaves the brush on the field side.",
            "a well-laid hedge can last for fifty years before it needs laying again.",
        ],
    ),
    # --------------------------------------------------------------- sitemap-only
    dict(
        key="S1", channel="sitemap", section="local", id=40520,
        title="Council tax to rise by 4.99 per cent as reserves run low",
        authors=["Eleanor Pryce"],
        published="2026-03-11T19:45:00+00:00",
        tags=["council", "budget"],
        body=paras("""
            Households in Wendmoor will pay 4.99 per cent more in council tax from April after
            councillors approved the county's budget on Wednesday night by thirty-four votes
            to twenty-one, following a four-hour debate at County Hall.

            The increase, the maximum allowed without a local referendum, will add £91.62 a
            year to the county's share of the bill for a Band D property, taking it to
            £1,927.71. Town and parish councils and the police and fire authorities set their
            own charges separately.

            Finance director Olusegun Bankole told councillors that without the rise the
            authority would have had to draw down its remaining general reserves within two
            years. Spending on children's social care alone is forecast to exceed its budget by
            £6.8 million this year, largely because of the cost of residential placements.

            The budget includes £3.2 million of savings, among them the closure of two
            household waste sites on weekdays, a reduction in grants to community transport
            groups and a plan to share senior managers with the neighbouring district council.
            About forty posts will go, most of them through vacancies.

            Opposition leader Councillor Gareth Lumb said the savings fell hardest on rural
            areas. "The people of the upper valley will pay more and get less. They will drive
            further to the tip, wait longer for the bus and see fewer officers when something
            goes wrong," he said.

            The council leader, Councillor Helen Sowerby, said every county in England was
            facing the same pressures and that Wendmoor had protected libraries, road
            maintenance and its support for carers. Bills will be sent out before the end of
            the month, and residents struggling to pay are urged to contact the council early.
        """),
        snippets=[
            "will add £91.62 a year to the county's share of the bill for a Band D property",
            "The people of the upper valley will pay more and get less.",
        ],
    ),
    dict(
        key="S2", channel="sitemap", section="business", id=40462,
        title="Villagers buy Skelby shop and post office",
        authors=["Samir Haddad"],
        published="2026-02-13T10:30:00+00:00",
        tags=["shops", "community"],
        body=paras("""
            Residents of Skelby have bought their village shop and post office, raising
            £186,000 in community shares in just under four months to stop it closing when its
            owners retired at Christmas.

            More than three hundred people bought shares, from a minimum stake of £50 up to the
            maximum of £10,000. The largest investors were a retired couple who grew up in the
            village and moved back last year; the youngest shareholder is a girl of eight who
            spent her birthday money.

            The shop, which has stood on the green since 1896, is the only place to buy
            groceries within five miles. Its former owners, Brian and Susan Lockwood, ran it for
            twenty-three years and had tried to sell it privately for eighteen months before
            agreeing to a sale to the community.

            The new co-operative will keep the post office counter, which is used heavily by
            older residents and local businesses, and plans to add a café in the former
            storeroom. A paid manager has been appointed, supported by a rota of around forty
            volunteers.

            The chair of the co-operative, Hannah Iqbal, said the campaign had brought the
            village together in a way nobody expected. "We had people stuffing envelopes who had
            lived three doors apart for thirty years and never spoken. Now they are running the
            Saturday shift together," she said.

            Community-owned shops have a far better survival rate than privately owned village
            shops, according to the national body that advises them. The Skelby shop will
            reopen under its new owners on 2 March, with a party on the green the following
            Saturday to which every shareholder has been invited.
        """),
        snippets=[
            "raising £186,000 in community shares in just under four months",
            "the youngest shareholder is a girl of eight who spent her birthday money.",
        ],
    ),
    dict(
        key="S3", channel="sitemap", section="countryside", id=40355,
        title="Otters breed on the upper Tarrow for the first time in fifty years",
        authors=["Joanna Whitlock"],
        published="2025-12-16T07:10:00+00:00",
        tags=["wildlife", "rivers"],
        body=paras("""
            Otters are breeding on the upper reaches of the River Tarrow for the first time in
            at least fifty years, after a trail camera near Fellgate captured a female with two
            cubs hunting along the bank in late November.

            The footage was recorded by a volunteer from the Tarrow Rivers Trust who had placed
            the camera beside an old stone weir in the hope of filming dippers. Instead, she
            found almost two minutes of the otters fishing, grooming and eventually
            disappearing into a hole beneath an alder root.

            Otters disappeared from most English rivers between the 1950s and the 1970s,
            poisoned by agricultural pesticides that built up in the fish they ate. They have
            slowly recolonised since the chemicals were banned, and had been recorded on the
            lower Tarrow near Kellsbridge since around 2008.

            Trust director Emeka Walsh said the upper river had long been thought too poor in
            fish to support a family. "A mother otter needs to catch a lot of food to raise
            cubs. If she is doing it here, it tells us the trout and eel populations have
            recovered further than our surveys suggested," he said.

            The trust has removed two redundant weirs and planted more than eight thousand
            trees along the upper river in the past decade, shading the water and stabilising
            the banks. It has also worked with farmers to fence cattle out of the channel and
            reduce the amount of silt washing into it.

            The exact location of the holt is being kept secret to protect the family from
            disturbance. Walkers on the riverside path are asked to keep dogs on leads between
            Fellgate and Scarrow Bridge, and anyone who sees an otter is asked to report the
            sighting to the trust with a date and a rough location.
        """),
        snippets=[
            "placed the camera beside an old stone weir in the hope of filming dippers.",
            "the trout and eel populations have recovered further than our surveys suggested",
        ],
    ),
    dict(
        key="S4", channel="sitemap", section="arts", id=40427,
        title="Kellsbridge Players revive a forgotten mill-town musical",
        authors=["Niamh Costello"],
        published="2026-01-22T19:00:00+00:00",
        tags=["theatre", "heritage"],
        body=paras("""
            A musical about the great worsted strike of 1891, written by a Kellsbridge
            schoolteacher and performed only once before being forgotten, will be staged by
            the Kellsbridge Players at the Corn Exchange next month.

            The Looms of Tarrowdale was written in 1953 by Agnes Whiteley, who taught English at
            the girls' grammar school, and performed by her pupils for a single night at the
            Mechanics' Institute. The script and a handwritten piano score were found last year
            in a box of papers given to the town museum.

            Director Sunil Varma said the Players had been looking for something with local
            roots. "We opened the box and there was a complete show, with songs about piece
            rates and a love duet set in a dyeworks. It is funny and angry, and some of the
            tunes are stuck in my head for good," he said.

            The music has been arranged for a six-piece band by Players member and retired
            music teacher Gwen Pilkington, who has had to reconstruct several songs from a
            melody line and Whiteley's notes in the margins. One number, a lament for the mill's
            closure, had no music at all and has been written from scratch.

            Two women who appeared in the 1953 production, now in their eighties, have been
            tracked down and attended a rehearsal in January. One of them, Margaret Dyson, still
            remembered the words of the opening chorus and sang it to the cast, who gave her a
            standing ovation.

            Performances run from 18 to 21 February, with a matinee on the Saturday. Tickets
            cost £12 and are on sale at the Corn Exchange. The Players plan to deposit a new
            edition of the script, with the reconstructed songs, at the town museum so that
            future companies can stage it.
        """),
        snippets=[
            "songs about piece rates and a love duet set in a dyeworks.",
            "Margaret Dyson, still remembered the words of the opening chorus",
        ],
    ),
    dict(
        key="S5", channel="sitemap", section="local", id=40281,
        title="Kellsbridge magistrates' court to sit only three days a week",
        authors=["Femi Adeyemi", "Eleanor Pryce"],
        published="2025-11-04T16:00:00+00:00",
        tags=["courts"],
        body=paras("""
            Kellsbridge magistrates' court will sit only on Mondays, Tuesdays and Thursdays from
            January, under plans announced by the courts service to cut the cost of running
            smaller courthouses across the region.

            Cases that would have been heard on Wednesdays and Fridays will be moved to
            Wraythorpe, twenty-two miles away. The service said the change would affect about a
            third of the court's workload and would save around £140,000 a year in staff and
            building costs.

            Solicitors who practise at the court warned that defendants, witnesses and victims
            from the upper valley would face journeys of two hours or more each way by public
            transport. "Some of them will simply not turn up, and then there will be warrants
            and more hearings," said duty solicitor Anwen Tarrant.

            The Victorian courthouse on Castle Hill has housed a magistrates' court since 1867.
            It was threatened with closure in 2016 but was saved after a campaign by local
            councillors, magistrates and the town's then member of parliament, who argued that
            justice should be seen to be done in the community it serves.

            The courts service said it had no plans to close the building and that video links
            would allow some hearings, such as applications and sentencing reviews, to take
            place remotely. It said use of the court had fallen by a quarter in five years,
            partly because more cases were being dealt with by post.

            The chair of the local bench, Patricia Gledhill, said magistrates would make the
            best of the new arrangements but were disappointed not to have been consulted
            earlier. The town council has asked for a meeting with court managers and plans to
            raise the issue with the county's two members of parliament.
        """),
        snippets=[
            "will sit only on Mondays, Tuesdays and Thursdays from January",
            "The Victorian courthouse on Castle Hill has housed a magistrates' court since "
            "1867.",
        ],
    ),
    # ------------------------------------------------------------------------ old
    dict(
        key="O1", channel="old", section="local", id=31876,
        title="Christmas lights switched on by town's oldest resident",
        authors=["Eleanor Pryce"],
        published="2019-11-30T18:00:00+00:00",
        tags=["community"],
        body=paras("""
            Kellsbridge's Christmas lights were switched on last night by Edith Marsden, who
            at the age of 104 is believed to be the town's oldest resident, in front of a crowd
            of around three thousand people in the market place.

            Mrs Marsden, who was born in a cottage on Tenter Lane in 1915 and worked as a weaver
            at Tarrow Mills for forty years, pressed the button from a decorated armchair on
            the steps of the Corn Exchange, to loud applause and a fanfare from the Kellsbridge
            Silver Band.

            She told the crowd that she remembered the town's first electric Christmas lights,
            a single string of coloured bulbs across Bridge Street in the 1930s. "We thought it
            was the most modern thing we had ever seen. Now look at it. You could land an
            aeroplane by it," she said.

            This year's display includes more than twenty thousand LED bulbs, a new illuminated
            archway on Sheep Street and a twelve-metre spruce donated by the Highmoor estate.
            The lights are paid for by the Chamber of Trade and by collections taken in local
            pubs throughout the year.

            The switch-on was followed by a lantern parade led by pupils from five primary
            schools, who had spent the past month making lanterns from willow and tissue paper
            in workshops at the library. Stalls on the market place sold mulled apple juice,
            roast chestnuts and hot pork sandwiches.

            Chamber of Trade chair Nigel Oxley said the evening had been the busiest in the town
            centre for several years, and that shops which stayed open late had reported strong
            trade. The lights will remain on every evening until Twelfth Night, when they will
            be taken down by volunteers.
        """),
        snippets=[
            "You could land an aeroplane by it",
            "a twelve-metre spruce donated by the Highmoor estate.",
        ],
    ),
    dict(
        key="O2", channel="old", section="countryside", id=31722,
        title="Flood defences at Dunholm Bridge finished ahead of winter",
        authors=["Joanna Whitlock"],
        published="2019-10-15T09:00:00+01:00",
        tags=["flooding"],
        body=paras("""
            A £7.4 million flood defence scheme protecting 180 homes and businesses at Dunholm
            Bridge has been completed a month ahead of schedule, in time for what forecasters
            expect to be a wet winter in the Tarrow valley.

            The scheme, built by the Environment Agency with contributions from the county
            council and local businesses, includes 900 metres of new flood walls, a raised
            embankment along the river meadows and glass panels set into the walls along the
            riverside promenade so that residents can still see the water.

            Dunholm Bridge has flooded seven times since 2000, most recently in December 2015,
            when water from the Tarrow reached a depth of more than a metre in the houses on
            Mill Row and the village's only pub was closed for nine months while it dried out.

            Project manager Stuart Entwistle said the defences were designed to withstand a
            flood with a one-in-a-hundred chance of happening in any year, with an allowance
            for the increase in heavy rainfall expected as the climate warms. Floodgates across
            two lanes will be closed when a flood warning is issued.

            Residents welcomed the completion but some said they would not feel safe until the
            defences had been tested. "We have had promises before," said Carol Haigh of Mill
            Row, whose house has flooded three times. "I will believe it when the river comes
            up and my carpets stay dry."

            A community flood group has been trained to help with the floodgates and to check
            on vulnerable neighbours during a flood. A new river level gauge is also being
            installed upstream at the Dunholm footbridge, which will give residents an extra
            two hours of warning.
        """),
        snippets=[
            "glass panels set into the walls along the riverside promenade so that residents "
            "can still see the water.",
            "I will believe it when the river comes up and my carpets stay dry.",
        ],
    ),
]

# Two members-only stories under /members/ (robots.txt disallows it), linked from the
# home page. They look like articles and must never be fetched; not ground truth.
MEMBERS: list[dict] = [
    dict(
        key="M1", section="local", path="/members/inside-the-budget-room",
        title="Inside the budget room: how the county chose its cuts",
        authors=["Eleanor Pryce"], published="2026-03-12T06:00:00+00:00", tags=["budget"],
        body=paras("""
            For six weeks this winter a small group of councillors and officers met every
            Thursday in a windowless room on the second floor of County Hall to decide which
            services Wendmoor could no longer afford.

            Members can read the full account of those meetings, drawn from minutes, emails
            and interviews with nine of the people who were in the room.

            The Courier's members fund reporting like this. Membership costs £4 a month and
            can be cancelled at any time.
        """),
    ),
    dict(
        key="M2", section="business", path="/members/the-scarrow-lorry-count",
        title="The Scarrow lorry count: what eight days at the roadside revealed",
        authors=["Tobias Lindqvist"], published="2026-02-26T06:00:00+00:00",
        tags=["quarrying"],
        body=paras("""
            Over eight days in February two Courier reporters sat in a lay-by on the valley
            road with a clipboard, a flask and a tally counter, recording every lorry that left
            Scarrow quarry.

            Members can read what the count found, and how it compares with the figures in the
            quarry's planning application.

            The Courier's members fund reporting like this. Membership costs £4 a month and
            can be cancelled at any time.
        """),
    ),
]


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "")).strip("-")


for _a in _RAW_ARTICLES:
    _a["path"] = f"/news/{_a['section']}/{_a['id']}/{slugify(_a['title'])}"
    _a["kind"] = SECTIONS[_a["section"]]["kind"]
for _m in MEMBERS:
    _m["kind"] = "og"

ARTICLES: list[dict] = _RAW_ARTICLES
BY_KEY: dict[str, dict] = {a["key"]: a for a in ARTICLES}

# ============================================================================ helpers

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda a: moment(a["published"]), reverse=True)


def human_date(iso: str, *, with_time: bool = True) -> str:
    d = moment(iso)
    text = f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
    if not with_time:
        return text
    hour = d.hour % 12 or 12
    return f"{text}, {hour}.{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


def author_url(name: str) -> str:
    return f"/people/{PEOPLE[name]['slug']}"


def names(authors: list[str]) -> str:
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def teaser(a: dict, words: int = 24) -> str:
    return " ".join(a["body"][0].split()[:words]) + "…"


def lastmod(a: dict) -> str:
    return a.get("modified", a["published"])


def _sid() -> str:
    return secrets.token_hex(12)


def _jsid() -> str:
    return secrets.token_hex(16).upper()


def section_stories(section: str) -> list[dict]:
    return newest_first([a for a in ARTICLES
                         if a["channel"] == "section" and a["section"] == section])


def section_pages(section: str) -> int:
    return max(1, -(-len(section_stories(section)) // PER_PAGE))


def section_url(section: str, page: int = 1) -> str:
    if page == 1:
        return f"/sections/{section}/"
    if section == "arts":
        return f"/sections/arts/page/{page}/"
    return f"/sections/{section}/?page={page}"


# Stories on the first page of their section listing; only these are linked from other
# pages (home, "Most read", topic and people pages). The rest need the pagination.
SHALLOW: list[dict] = [a for s in SECTIONS for a in section_stories(s)[:PER_PAGE]]
DEEP: list[dict] = [a for s in SECTIONS for a in section_stories(s)[PER_PAGE:]]
TOP_STORIES = ["L1", "A1", "C1", "B1"]
MOST_READ = ["L2", "B2", "A2", "C2", "L1"]
POPULAR_SEARCHES = ["bypass", "parking", "curlew", "brass band"]
TAGS: list[str] = sorted({t for a in ARTICLES + MEMBERS for t in a["tags"]})


def most_read(a: dict) -> list[dict]:
    return [BY_KEY[k] for k in MOST_READ if k != a["key"]][:4]


# ============================================================================ pages

def shell(title: str, main: str, *, head: str = "", page_class: str = "page",
          session: bool = True) -> str:
    """The page frame. With ``session`` the footer's About and Contact links carry a
    fresh session id (;jsessionid= and ?sessionid=) on every render."""
    about = f"/about;jsessionid={_jsid()}" if session else "/about"
    contact = f"/contact?sessionid={_sid()}" if session else "/contact"
    nav = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a></li>'
                  for k, v in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/static/courier.css">
{head}
</head>
<body class="{page_class}">
<div class="cookie-bar" role="dialog"><p>{esc(COOKIE)}</p><button type="button">Fine by me</button>
</div>
<header class="mast">
<p class="mast-title"><a href="/">{esc(SITE)}</a></p>
<p class="mast-tagline">{esc(TAGLINE)}</p>
<form class="mast-search" action="/search" method="get"><input type="search" name="q"
 placeholder="Search the Courier"><button>Search</button></form>
<nav class="section-nav"><ul><li><a href="/">Home</a></li>{nav}</ul></nav>
</header>
<main id="content">
{main}
</main>
<footer class="colophon">
<ul class="footer-links">
<li><a href="{about}">About the Courier</a></li>
<li><a href="{contact}">Contact the newsroom</a></li>
<li><a href="/privacy">Privacy</a></li>
<li><a href="/calendar/2026/03/">What's on</a></li>
<li><a href="/events/">Events guide</a></li>
<li><a href="/notices/">Community notices</a></li>
</ul>
<p class="legal">{esc(FOOTER_NOTE)}</p>
</footer>
</body>
</html>
"""


def story_item(a: dict) -> str:
    return (f'<li class="teaser"><h3><a href="{a["path"]}">{esc(a["title"])}</a></h3>'
            f'<p>{esc(teaser(a))}</p><p class="meta">{human_date(a["published"], with_time=False)}'
            f' · {esc(names(a["authors"]))}</p></li>')


def story_list(items: list[dict], empty: str = "Nothing here yet.") -> str:
    if not items:
        return f'<p class="empty">{empty}</p>'
    return '<ul class="story-list">' + "".join(story_item(a) for a in items) + "</ul>"


def _og_head(a: dict, base: str) -> str:
    url = base + a["path"]
    lines = [
        f'<link rel="canonical" href="{esc(url)}">',
        f'<meta name="description" content="{esc(teaser(a, 18))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(SITE)}">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:url" content="{esc(url)}">',
        '<meta property="og:locale" content="en_GB">',
        f'<meta property="article:published_time" content="{a["published"]}">',
    ]
    if "modified" in a:
        lines.append(f'<meta property="article:modified_time" content="{a["modified"]}">')
    lines.append(f'<meta property="article:section" '
                 f'content="{esc(SECTIONS[a["section"]]["name"])}">')
    lines += [f'<meta property="article:author" content="{base}{author_url(n)}">'
              for n in a["authors"]]
    lines += [f'<meta property="article:tag" content="{esc(t)}">' for t in a["tags"]]
    return "\n".join(lines)


def _ld_head(a: dict, base: str) -> str:
    url = base + a["path"]
    people = [{"@type": "Person", "name": n, "url": base + author_url(n)} for n in a["authors"]]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a["title"],
        "description": teaser(a, 18),
        "datePublished": a["published"],
        "dateModified": lastmod(a),
        "author": people[0] if len(people) == 1 else people,
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE,
                      "logo": {"@type": "ImageObject", "url": base + "/static/logo.png"}},
        "articleSection": SECTIONS[a["section"]]["name"],
        "keywords": ", ".join(a["tags"]),
        "inLanguage": "en-GB",
    }
    script = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return (f'<link rel="canonical" href="{esc(url)}">\n'
            f'<meta name="description" content="{esc(teaser(a, 18))}">\n'
            f'<script type="application/ld+json">\n{script}\n</script>')


def render_article(a: dict, base: str, *, members: bool = False) -> str:
    section = SECTIONS[a["section"]]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in a["body"])
    links = [f'<a rel="author" href="{author_url(n)}">{esc(n)}</a>' for n in a["authors"]]
    stamp = f'<time datetime="{a["published"]}">{human_date(a["published"])}</time>'
    if a["kind"] == "ld":
        head = _ld_head(a, base)
        tags = "".join(f'<li><a href="/topics/{t}">#{esc(t)}</a></li>' for t in a["tags"])
        story = f"""<article class="cs-piece" id="piece-{a.get("id", 0)}">
<p class="cs-kicker"><a href="{section_url(a["section"])}">{esc(section["name"])}</a></p>
<h1 class="cs-title">{esc(a["title"])}</h1>
<div class="cs-credit">Words by {" &amp; ".join(links)}<br>{stamp}</div>
<section class="cs-body">
{body}
</section>
<ul class="cs-tags">{tags}</ul>
</article>"""
    else:
        head = _og_head(a, base)
        byline = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
        updated = ""
        if "modified" in a:
            updated = (f' <span class="updated">Updated <time datetime="{a["modified"]}">'
                       f'{human_date(a["modified"])}</time></span>')
        paywall = ""
        if members:
            paywall = (f'<div class="paywall"><p>This story is for Courier members.</p>'
                       f'<p>{esc(MEMBERS_PITCH)}</p></div>')
        tags = ", ".join(f'<a href="/topics/{t}" rel="tag">{esc(t)}</a>' for t in a["tags"])
        story = f"""<div class="crumbs"><a href="/">Home</a> &rsaquo;
 <a href="{section_url(a["section"])}">{esc(section["name"])}</a></div>
<article class="story" id="story-{a.get("id", 0)}">
<header class="story-head">
<h1 class="story-headline">{esc(a["title"])}</h1>
<p class="story-byline">By {byline}</p>
<p class="story-dateline">{stamp}{updated}</p>
</header>
<div class="story-text">
{body}
{paywall}
</div>
<footer class="story-foot"><p class="topics">Topics: {tags}</p></footer>
</article>"""
    ranked = "".join(f'<li><a href="{r["path"]}?sessionid={_sid()}">{esc(r["title"])}</a></li>'
                     for r in most_read(a))
    main = f"""{story}
<aside class="most-read"><h2>Most read</h2><ol>{ranked}</ol></aside>
<aside class="signup"><h2>Morning Round-up</h2><p>{esc(NEWSLETTER)}</p>
<form action="/newsletter" method="post"><input type="email" name="email"
 placeholder="you@example.com"><button>Sign up</button></form></aside>
<p class="more"><a href="{section_url(a["section"])}">More from {esc(section["name"])}</a></p>
"""
    return shell(f"{a['title']} | {SITE}", main, head=head, page_class="story-page")


def render_home(base: str) -> str:
    """The front page: no session ids, so that /lite/ can be a byte-identical copy."""
    head = (f'<link rel="alternate" type="application/rss+xml" '
            f'title="{esc(SITE)}: latest stories" href="{base}/feeds/latest.xml">\n'
            f'<meta name="description" content="{esc(TAGLINE)}">')
    fronts = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a>: {esc(v["blurb"])}'
                     "</li>" for k, v in SECTIONS.items())
    members = "".join(f'<li><a href="{m["path"]}">{esc(m["title"])}</a></li>' for m in MEMBERS)
    searches = "".join(f'<li><a href="/search?q={q.replace(" ", "+")}">{esc(q)}</a></li>'
                       for q in POPULAR_SEARCHES)
    main = f"""<section class="top-stories"><h2>Top stories</h2>
{story_list([BY_KEY[k] for k in TOP_STORIES])}
</section>
<section class="fronts"><h2>Sections</h2><ul>{fronts}</ul></section>
<section class="members-box"><h2>For members</h2><ul>{members}</ul>
<p>{esc(MEMBERS_PITCH)}</p></section>
<section class="whats-on"><h2>What's on</h2><ul>
<li><a href="/calendar/2026/03/">Calendar for March 2026</a></li>
<li><a href="/events/">Events guide</a></li>
<li><a href="/notices/">Community notices</a></li></ul></section>
<section class="searches"><h2>Popular searches</h2><ul>{searches}</ul></section>
<p class="lite-link"><a href="/lite/">Text-only edition</a></p>"""
    return shell(f"{SITE} | {TAGLINE}", main, head=head, page_class="home", session=False)


def render_section(section: str, page: int) -> str:
    info = SECTIONS[section]
    pages = section_pages(section)
    items = section_stories(section)[(page - 1) * PER_PAGE:page * PER_PAGE]
    head = []
    if "feed" in info:
        head.append(f'<link rel="alternate" type="{info["feed_type"]}" '
                    f'title="{esc(info["name"])}: {esc(SITE)}" href="{info["feed"]}">')
    pager = []
    if page > 1:
        head.append(f'<link rel="prev" href="{section_url(section, page - 1)}">')
        pager.append(f'<a class="newer" href="{section_url(section, page - 1)}">Newer stories</a>')
    if page < pages:
        head.append(f'<link rel="next" href="{section_url(section, page + 1)}">')
        pager.append(f'<a class="older" href="{section_url(section, page + 1)}">Older stories</a>')
    pager.append(f"<span>Page {page} of {pages}</span>")
    main = f"""<h1 class="section-title">{esc(info["name"])}</h1>
<p class="section-blurb">{esc(info["blurb"])}</p>
{story_list(items)}
<nav class="pager">{" ".join(pager)}</nav>"""
    title = info["name"] + (f" (page {page})" if page > 1 else "")
    return shell(f"{title} | {SITE}", main, head="\n".join(head), page_class="section-front")


def render_person(name: str) -> str:
    person = PEOPLE[name]
    mine = [a for a in SHALLOW if name in a["authors"]]
    main = f"""<h1 class="person-name">{esc(name)}</h1>
<p class="person-role">{esc(person["role"])}</p>
<p class="person-bio">{esc(person["bio"])}</p>
<h2>Recent stories</h2>
{story_list(newest_first(mine), "No recent stories online.")}"""
    return shell(f"{name} | {SITE}", main, page_class="person")


def render_topic(tag: str) -> str:
    mine = [a for a in SHALLOW if tag in a["tags"]]
    main = f"""<h1 class="topic-title">Topic: {esc(tag)}</h1>
{story_list(newest_first(mine))}"""
    return shell(f"{tag} | {SITE}", main, page_class="topic")


ABOUT = [
    "The Courier has reported on Kellsbridge and the Tarrow valley since 1858. It is "
    "published online every day and in print every Thursday.",
    "The newsroom is on Sheep Street, above the old Ainsworth studio.",
]
CONTACT = [
    "News desk: news@tarrowdalecourier.example, 01632 960 418.",
    "Advertising: ads@tarrowdalecourier.example, 01632 960 420.",
    "Letters to the editor: letters@tarrowdalecourier.example.",
]
PRIVACY = [
    "We keep the personal details you give us only as long as we need them.",
    "You can ask to see or delete them by writing to the address below.",
]


def render_static(title: str, paragraphs: list[str], extra: str = "") -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return shell(f"{title} | {SITE}", f'<h1>{esc(title)}</h1>\n<div class="info">{text}</div>'
                 f"{extra}", page_class="info-page")


def render_about() -> str:
    staff = "".join(f'<li><a href="{author_url(n)}">{esc(n)}</a>, {esc(p["role"])}</li>'
                    for n, p in PEOPLE.items())
    return render_static("About the Courier", ABOUT, f'<h2>The newsroom</h2><ul>{staff}</ul>')


def render_search(query: str) -> str:
    found = [a for a in ARTICLES if a["channel"] == "section"
             and query.lower() in (a["title"] + " " + a["body"][0]).lower()] if query else []
    main = f"""<h1>Search results for “{esc(query)}”</h1>
{story_list(newest_first(found), "No results.")}"""
    return shell(f"Search | {SITE}", main, page_class="search")


def render_members(m: dict, base: str) -> str:
    return render_article(m, base, members=True)


# ------------------------------------------------------------------ traps: calendar

EVENTS = [
    ("2026-02-21", "Quiz night for the air ambulance", "family", "town-hall", 30),
    ("2026-03-07", "Farmers' market", "markets", "town-hall", 80),
    ("2026-03-14", "Kellsbridge Silver Band spring concert", "music", "corn-exchange", 95),
    ("2026-03-18", "Talk: the great flood of 1913", "talks", "library", 60),
    ("2026-03-21", "Junior parkrun", "sport", "riverside", 70),
    ("2026-03-28", "Silent film with live organ: The General", "music", "corn-exchange", 90),
    ("2026-03-29", "Easter crafts for under-tens", "family", "library", 50),
    ("2026-04-04", "Craft and antiques fair", "markets", "corn-exchange", 40),
    ("2026-04-11", "Riverside bird walk", "family", "riverside", 45),
    ("2026-04-16", "Talk: curlews and the high moor", "talks", "library", 55),
]
VENUES = {"corn-exchange": "Corn Exchange", "library": "Kellsbridge Library",
          "town-hall": "Town Hall", "riverside": "Riverside Park"}
FACETS = [("type", ["music", "talks", "markets", "sport", "family"]),
          ("venue", list(VENUES)), ("sort", ["date", "name", "popular"])]


def event_items(events: list[tuple]) -> str:
    if not events:
        return '<p class="empty">Nothing listed.</p>'
    return '<ul class="events">' + "".join(
        f"<li><strong>{human_date(d + 'T00:00:00+00:00', with_time=False)}</strong> "
        f"{esc(name)}, {esc(VENUES[venue])}</li>" for d, name, _, venue, _ in events) + "</ul>"


def month_url(year: int, month: int) -> str:
    return f"/calendar/{year:04d}/{month:02d}/"


def render_month(year: int, month: int) -> str:
    first = date(year, month, 1)
    days = monthrange(year, month)[1]
    nav = []
    if (year, month) > (1, 1):
        py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
        nav.append(f'<a rel="prev" href="{month_url(py, pm)}">&larr; {MONTHS[pm - 1]} {py}</a>')
    if (year, month) < (9999, 12):
        ny, nm = (year, month + 1) if month < 12 else (year + 1, 1)
        nav.append(f'<a rel="next" href="{month_url(ny, nm)}">{MONTHS[nm - 1]} {ny} &rarr;</a>')
    cells = ["<td></td>"] * first.weekday()
    for day in range(1, days + 1):
        cells.append(f'<td><a href="{month_url(year, month)}{day:02d}/">{day}</a></td>')
    cells += ["<td></td>"] * (-len(cells) % 7)
    rows = "".join("<tr>" + "".join(cells[i:i + 7]) + "</tr>" for i in range(0, len(cells), 7))
    prefix = f"{year:04d}-{month:02d}-"
    listed = [e for e in EVENTS if e[0].startswith(prefix)]
    main = f"""<h1 class="cal-title">What's on: {MONTHS[month - 1]} {year}</h1>
<p class="cal-nav">{" | ".join(nav)}</p>
<table class="cal"><tr>{"".join(f"<th>{d[:3]}</th>" for d in DAYS)}</tr>{rows}</table>
<h2>Listed this month</h2>
{event_items(listed)}"""
    return shell(f"What's on: {MONTHS[month - 1]} {year} | {SITE}", main, page_class="calendar",
                 session=False)


def render_day(day: date) -> str:
    nav = []
    if day > date.min:
        before = day - timedelta(days=1)
        nav.append(f'<a href="{month_url(before.year, before.month)}{before.day:02d}/">'
                   "Previous day</a>")
    nav.append(f'<a href="{month_url(day.year, day.month)}">{MONTHS[day.month - 1]} '
               f"{day.year}</a>")
    if day < date.max:
        after = day + timedelta(days=1)
        nav.append(f'<a href="{month_url(after.year, after.month)}{after.day:02d}/">'
                   "Next day</a>")
    label = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
    iso = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    main = f"""<h1 class="cal-title">What's on: {label}</h1>
<p class="cal-nav">{" | ".join(nav)}</p>
{event_items([e for e in EVENTS if e[0] == iso])}"""
    return shell(f"What's on: {label} | {SITE}", main, page_class="calendar-day", session=False)


# -------------------------------------------------------------------- traps: events

def events_url(selected: dict[str, str]) -> str:
    query = [(k, selected[k]) for k, _ in FACETS if selected.get(k)]
    return "/events/" + ("?" + urlencode(query) if query else "")


def render_events(params: dict[str, str]) -> str:
    selected = {k: params[k] for k, _ in FACETS if params.get(k)}
    shown = [e for e in EVENTS
             if selected.get("type", e[2]) == e[2] and selected.get("venue", e[3]) == e[3]]
    order = selected.get("sort", "date")
    if order == "name":
        shown.sort(key=lambda e: e[1])
    elif order == "popular":
        shown.sort(key=lambda e: -e[4])
    facets = []
    for facet, values in FACETS:
        options = [f'<li><a href="{esc(events_url({**selected, facet: ""}))}">any</a></li>']
        options += [f'<li><a href="{esc(events_url({**selected, facet: v}))}">{v}</a></li>'
                    for v in values]
        facets.append(f'<div class="facet"><h3>{facet}</h3><ul>{"".join(options)}</ul></div>')
    main = f"""<h1>Events guide</h1>
<aside class="facets">{"".join(facets)}</aside>
{event_items(shown)}"""
    return shell(f"Events guide | {SITE}", main, page_class="events", session=False)


# ------------------------------------------------------------------- traps: notices

NOTICES = [
    "Lost: grey tabby cat, answers to Pilot, Priory Lane area.",
    "Brindle WI meets on the first Tuesday of the month at 7.30pm.",
    "Wanted: allotment plot, Kellsbridge or Skelby, will share.",
    "Fellgate village hall: new committee members welcome.",
    "Found: child's blue bicycle near the Cattle Market car park.",
    "Tarrow Valley Naturalists: winter talks resume in January.",
    "St Oswald's bell ringers are recruiting, no experience needed.",
    "For sale: hand-built hen house, offers over £60.",
    "Nethercote Young Farmers barn dance, tickets from the shop.",
    "Skelby toddler group now meets on Wednesday mornings.",
    "Free to a good home: upright piano, you collect.",
    "Kellsbridge Rotary collects unwanted spectacles at the library.",
    "Walking group leaves the market cross every Sunday at 10am.",
    "Dunholm tea room reopens for the season on Good Friday.",
    "Thanks to whoever handed in my purse at the bus station.",
]


def render_notices(page: int) -> str:
    """Five notices a page for pages 1-3; from page 4 on, the same empty page whose
    only difference is the link to the next one."""
    shown = NOTICES[(page - 1) * 5:page * 5] if page <= 3 else []
    items = ("<ul class=\"notices\">" + "".join(f"<li>{esc(n)}</li>" for n in shown) + "</ul>"
             if shown else '<p class="empty">No older notices.</p>')
    main = f"""<h1>Community notices</h1>
{items}
<p class="pager"><a href="/notices/">Newest notices</a> |
 <a href="/notices/?page={page + 1}">Older notices</a></p>"""
    return shell(f"Community notices | {SITE}", main, page_class="notices", session=False)


# ============================================================================ feeds

def _x(text: str) -> str:
    return esc(text)


def rfc822(iso: str) -> str:
    return format_datetime(moment(iso))


RSS_ITEMS = 10
FEED_POOL = [a for a in ARTICLES if a["channel"] == "section" or a.get("feed") == "rss"]
# The site-wide RSS 2.0 feed: the newest ten section and RSS-only stories.
RSS_STORIES: list[dict] = newest_first(FEED_POOL)[:RSS_ITEMS]
ATOM_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["section"] == "business"
     and (a["channel"] == "section" or a.get("feed") == "atom")])
RDF_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["section"] == "countryside"
     and (a["channel"] == "section" or a.get("feed") == "rdf")])


def rss_feed(base: str) -> str:
    items = "".join(f"""
<item>
<title>{_x(a["title"])}</title>
<link>{base}{a["path"]}</link>
<guid isPermaLink="true">{base}{a["path"]}</guid>
<pubDate>{rfc822(a["published"])}</pubDate>
{"".join(f"<dc:creator>{_x(n)}</dc:creator>" for n in a["authors"])}
<category>{_x(SECTIONS[a["section"]]["name"])}</category>
<description>{_x(teaser(a, 30))}</description>
</item>""" for a in RSS_STORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{_x(SITE)}: latest stories</title>
<link>{base}/</link>
<atom:link href="{base}/feeds/latest.xml" rel="self" type="application/rss+xml"/>
<description>{_x(TAGLINE)}</description>
<language>en-gb</language>
<lastBuildDate>{rfc822(RSS_STORIES[0]["published"])}</lastBuildDate>
<ttl>30</ttl>{items}
</channel>
</rss>
"""


def atom_feed(base: str) -> str:
    entries = "".join(f"""
<entry>
<title>{_x(a["title"])}</title>
<id>tag:tarrowdalecourier.example,{a["published"][:10]}:story-{a["id"]}</id>
<link rel="alternate" type="text/html" href="{base}{a["path"]}"/>
<published>{a["published"]}</published>
<updated>{lastmod(a)}</updated>
{"".join(f"<author><name>{_x(n)}</name></author>" for n in a["authors"])}
<category term="business" label="Business"/>
<summary>{_x(teaser(a, 30))}</summary>
</entry>""" for a in ATOM_STORIES)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
<title>Business: {_x(SITE)}</title>
<subtitle>{_x(SECTIONS["business"]["blurb"])}</subtitle>
<id>{base}/sections/business/</id>
<link rel="self" type="application/atom+xml" href="{base}/feeds/business.atom"/>
<link rel="alternate" type="text/html" href="{base}/sections/business/"/>
<updated>{max(lastmod(a) for a in ATOM_STORIES)}</updated>
<generator>Courier CMS 3.2</generator>{entries}
</feed>
"""


def rdf_feed(base: str) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{base}{a["path"]}"/>' for a in RDF_STORIES)
    items = "".join(f"""
<item rdf:about="{base}{a["path"]}">
<title>{_x(a["title"])}</title>
<link>{base}{a["path"]}</link>
<description>{_x(teaser(a, 30))}</description>
<dc:date>{a["published"]}</dc:date>
<dc:creator>{_x(names(a["authors"]))}</dc:creator>
<dc:subject>Countryside</dc:subject>
</item>""" for a in RDF_STORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/feeds/countryside.rdf">
<title>Countryside: {_x(SITE)}</title>
<link>{base}/sections/countryside/</link>
<description>{_x(SECTIONS["countryside"]["blurb"])}</description>
<dc:date>{RDF_STORIES[0]["published"]}</dc:date>
<dc:language>en-GB</dc:language>
<items><rdf:Seq>{seq}</rdf:Seq></items>
</channel>{items}
</rdf:RDF>
"""


# ============================================================================ sitemaps

NEWS_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["channel"] == "sitemap"] + [BY_KEY["L1"], BY_KEY["A1"]])
SECTION_STORIES: list[dict] = newest_first([a for a in ARTICLES if a["channel"] == "section"])
OLD_STORIES: list[dict] = newest_first([a for a in ARTICLES if a["channel"] == "old"])
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def news_sitemap(base: str) -> str:
    urls = "".join(f"""
<url>
<loc>{base}{a["path"]}</loc>
<news:news>
<news:publication><news:name>{_x(SITE)}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{a["published"]}</news:publication_date>
<news:title>{_x(a["title"])}</news:title>
</news:news>
</url>""" for a in NEWS_STORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{URLSET}
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}
</urlset>
"""


def url_sitemap(base: str, stories: list[dict]) -> str:
    urls = "".join(f"""
<url><loc>{base}{a["path"]}</loc><lastmod>{lastmod(a)}</lastmod><changefreq>monthly</changefreq>
</url>""" for a in stories)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{URLSET}>{urls}\n</urlset>\n'


def pages_sitemap(base: str) -> str:
    paths = ["/", *(section_url(s) for s in SECTIONS), "/about", "/contact", "/privacy"]
    urls = "".join(f"\n<url><loc>{base}{p}</loc><changefreq>hourly</changefreq></url>"
                   for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{URLSET}>{urls}\n</urlset>\n'


NEWS_SITEMAP_PATH = "/sitemaps/news.xml.gz"
STORIES_SITEMAP_PATH = "/sitemaps/stories.xml"
ARCHIVE_SITEMAP_PATH = "/sitemaps/archive-2019.xml"
PAGES_SITEMAP_PATH = "/sitemaps/pages.xml"
SITEMAP_INDEX_PATH = "/sitemaps/index.xml"


def sitemap_index(base: str) -> str:
    entries = [
        (NEWS_SITEMAP_PATH, max(a["published"] for a in NEWS_STORIES)),
        (STORIES_SITEMAP_PATH, max(lastmod(a) for a in SECTION_STORIES)),
        (ARCHIVE_SITEMAP_PATH, max(lastmod(a) for a in OLD_STORIES)),
    ]
    body = "".join(f"\n<sitemap><loc>{base}{p}</loc><lastmod>{m}</lastmod></sitemap>"
                   for p, m in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}\n</sitemapindex>\n')


def robots(base: str, crawl_delay: float) -> str:
    lines = ["# robots.txt for www.tarrowdalecourier.example", "",
             "User-agent: BadBot", "Disallow: /", "",
             "User-agent: *", "Disallow: /members/", "Disallow: /search"]
    if crawl_delay:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    lines += ["", f"Sitemap: {base}{SITEMAP_INDEX_PATH}", f"Sitemap: {base}{PAGES_SITEMAP_PATH}",
              ""]
    return "\n".join(lines)


# ============================================================================ server

FEED_PATHS = ["/feeds/latest.xml", "/feeds/business.atom", "/feeds/countryside.rdf"]
# Which page advertises which feed, with <link rel="alternate" type=...> (no <a> links).
FEED_ADVERTISED_ON = {"/feeds/latest.xml": ("/", "application/rss+xml"),
                      "/feeds/business.atom": ("/sections/business/", "application/atom+xml"),
                      "/feeds/countryside.rdf": ("/sections/countryside/",
                                                 "application/rss+xml")}
BUSY_PATH = BY_KEY["B2"]["path"]
FORBIDDEN_PREFIXES = ["/members/", "/search"]
TRAP_PREFIXES = ["/calendar/", "/events/", "/notices/", "/lite/"]
SESSION_PARAMS = re.compile(r";jsessionid=[0-9A-Fa-f]*|(?<=[?&])sessionid=[0-9a-f]*&?")

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
CSS = b"body{font-family:Georgia,serif;max-width:60em;margin:auto}.cookie-bar{background:#eee}"
_CALENDAR_MONTH = re.compile(r"/calendar/(\d{4})/(\d{2})/")
_CALENDAR_DAY = re.compile(r"/calendar/(\d{4})/(\d{2})/(\d{2})/")
_ARTS_PAGE = re.compile(r"/sections/arts/page/(\d+)/")
_SECTION = re.compile(r"/sections/([a-z]+)/")


def _not_found() -> tuple:
    body = shell(f"Page not found | {SITE}", "<h1>Sorry, we could not find that page.</h1>",
                 page_class="error", session=False)
    return 404, body.encode(), HTML


def _number(text: str | None, default: int = 1) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else default


def _start(base: str, crawl_delay: float):
    lock = threading.Lock()
    busy = {"answered": False}

    home = render_home(base).encode()
    fixed: dict[str, tuple] = {
        "/": (200, home, HTML), "/lite/": (200, home, HTML),
        "/robots.txt": (200, robots(base, crawl_delay).encode(), "text/plain; charset=utf-8"),
        "/static/courier.css": (200, CSS, "text/css"),
        "/feeds/latest.xml": (200, rss_feed(base).encode(), "application/rss+xml; charset=utf-8"),
        "/feeds/business.atom": (200, atom_feed(base).encode(),
                                 "application/atom+xml; charset=utf-8"),
        "/feeds/countryside.rdf": (200, rdf_feed(base).encode(),
                                   "application/rdf+xml; charset=utf-8"),
        SITEMAP_INDEX_PATH: (200, sitemap_index(base).encode(), XML),
        NEWS_SITEMAP_PATH: (200, gzip.compress(news_sitemap(base).encode(), mtime=0),
                            "application/x-gzip"),
        STORIES_SITEMAP_PATH: (200, url_sitemap(base, SECTION_STORIES).encode(), XML),
        ARCHIVE_SITEMAP_PATH: (200, url_sitemap(base, OLD_STORIES).encode(), XML),
        PAGES_SITEMAP_PATH: (200, pages_sitemap(base).encode(), XML),
    }
    stories = {a["path"]: a for a in ARTICLES}
    members = {m["path"]: m for m in MEMBERS}
    people = {p["slug"]: n for n, p in PEOPLE.items()}
    pages = {"/about": render_about,
             "/contact": lambda: render_static("Contact the newsroom", CONTACT),
             "/privacy": lambda: render_static("Privacy", PRIVACY)}

    def route(path: str, params: dict[str, str]) -> tuple:
        if path in fixed:
            return fixed[path]
        if path in stories:
            if path == BUSY_PATH:
                with lock:
                    first, busy["answered"] = not busy["answered"], True
                if first:
                    return (429, b"<html><body><h1>Too many requests</h1></body></html>", HTML,
                            {"Retry-After": "1"})
            return 200, render_article(stories[path], base).encode(), HTML
        if path.rstrip("/") in stories:
            return 301, b"", HTML, {"Location": path.rstrip("/")}
        if path in members:
            return 200, render_members(members[path], base).encode(), HTML
        if path in pages:
            return 200, pages[path]().encode(), HTML
        if path == "/search":
            return 200, render_search(params.get("q", "")).encode(), HTML
        if path.startswith("/people/") and path[8:] in people:
            return 200, render_person(people[path[8:]]).encode(), HTML
        if path.startswith("/topics/") and path[8:] in TAGS:
            return 200, render_topic(path[8:]).encode(), HTML
        if m := _SECTION.fullmatch(path):
            section = m.group(1)
            if section in SECTIONS:
                page = 1 if section == "arts" else _number(params.get("page"))
                if 1 <= page <= section_pages(section):
                    return 200, render_section(section, page).encode(), HTML
        if m := _ARTS_PAGE.fullmatch(path):
            page = int(m.group(1))
            if page == 1:
                return 301, b"", HTML, {"Location": section_url("arts")}
            if 1 < page <= section_pages("arts"):
                return 200, render_section("arts", page).encode(), HTML
        if path in ("/calendar/", "/calendar"):
            return 302, b"", HTML, {"Location": month_url(2026, 3)}
        if m := _CALENDAR_MONTH.fullmatch(path):
            year, month = int(m.group(1)), int(m.group(2))
            if year >= 1 and 1 <= month <= 12:
                return 200, render_month(year, month).encode(), HTML
        if m := _CALENDAR_DAY.fullmatch(path):
            year, month, day = (int(g) for g in m.groups())
            if year >= 1 and 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]:
                return 200, render_day(date(year, month, day)).encode(), HTML
        if path == "/events/":
            return 200, render_events(params).encode(), HTML
        if path == "/notices/":
            return 200, render_notices(_number(params.get("page"))).encode(), HTML
        return _not_found()

    def respond(request: Request) -> tuple:
        path, _, query = request.target.partition("?")
        path = re.sub(r";jsessionid=[^/?]*", "", path, flags=re.I)
        params = dict(parse_qsl(query, keep_blank_values=True))
        params.pop("sessionid", None)
        return route(path, params)

    return respond


def serve(crawl_delay: float = 0.2) -> RunningSite:
    """Start a fresh instance (its own request log and 429 state) on 127.0.0.1, port 0."""
    return serve_site(lambda base: _start(base, crawl_delay), name="discovery-channels-site",
                      server_version="Apache/2.4.62 (Debian)")


def strip_session(url: str) -> str:
    """The URL without its ;jsessionid= or sessionid= parameter."""
    url = SESSION_PARAMS.sub("", url)
    return url[:-1] if url.endswith(("?", "&")) else url


# ============================================================================ ground truth

def _boilerplate(a: dict) -> list[str]:
    return [NEWSLETTER, FOOTER_NOTE, COOKIE, TAGLINE, *(r["title"] for r in most_read(a))]


def _truth(a: dict) -> dict:
    return ground_truth(a, _boilerplate(a), channel=a["channel"], section=a["section"],
                        tags=list(a["tags"]))


# Every article a crawl without a ``since`` filter after 2019 should find (section,
# feed-only and sitemap-only), and the two 2019 stories (only with no ``since``).
EXPECTED: list[dict] = [_truth(a) for a in ARTICLES if a["channel"] != "old"]
OLD_ARTICLES: list[dict] = [_truth(a) for a in ARTICLES if a["channel"] == "old"]

SECTION_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "section"]
DEEP_PATHS = [a["path"] for a in DEEP]
FEED_ONLY_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "feed"]
SITEMAP_ONLY_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "sitemap"]
OLD_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "old"]
MEMBERS_PATHS = [m["path"] for m in MEMBERS]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/lite/",
    *(section_url(s, p) for s in SECTIONS for p in range(1, section_pages(s) + 1)),
    "/about", "/contact", "/privacy",
    *(author_url(n) for n in PEOPLE),
    *sorted({f"/topics/{t}" for a in ARTICLES if a["channel"] == "section" for t in a["tags"]}),
    "/calendar/2026/03/", "/events/", "/notices/",
]
