"""A news site that changes between two crawls: "The Fenmarsh Gazette".

Written apart from the crawler's code (standard library only), to test incremental
recrawls: a crawler archives edition 1, the site moves to edition 2
(``Site.set_edition(2)`` or ``GET /__edition__?n=2``) and the crawler runs again. It
should then fetch only what is new or changed, send conditional requests, and notice
the one edited story.

A fictional weekly paper for the fen market town of Fenmarsh, with three sections:
Town (``/section/town/``), Fens & Farming (``/section/fens/``) and Sport
(``/section/sport/``). Articles live at ``/YYYY/MM/DD/<slug>/``.

Pages: the home page ``/`` (the newest 6 stories), section pages with 3 stories a page
and "Older stories" links (``/section/<name>/page/2/``...; ``page/1/`` redirects to the
section page; an article path without its trailing slash redirects to it), an RSS 2.0
feed ``/feed.xml`` (the newest 8 stories, pubDate on every item, ``lastBuildDate`` =
the newest pubDate), a sitemap ``/sitemap.xml`` (a urlset of every article with
``<lastmod>`` = modified time if edited, else published time), ``/robots.txt`` (allows
everything, names the sitemap) and ``/about/``. Anything else: a 404 HTML page.

Editions (no extra articles):

============  =======================================  =========================
              edition 1                                edition 2
============  =======================================  =========================
articles      12 (4 a section)                         14: + ``NEW_IN_EDITION_2``
home page     T1 S1 F1 T2 S2 F2                        N2 N1 T1 S1 F1 T2
feed          T1 S1 F1 T2 S2 F2 T3 S3                  N2 N1 T1 S1 F1 T2 S2 F2
Town          p1: T1 T2 T3; p2: T4                     p1: N1 T1 T2; p2: T3 T4
Fens          p1: F1 F2 F3; p2: F4                     unchanged (byte-identical)
Sport         p1: S1 S2 S3; p2: S4                     p1: N2 S1 S2; p2: S3 S4
============  =======================================  =========================

Every section has 2 pages in both editions. N2 (Sport, 2026-11-21 19:45) and N1 (Town,
2026-11-21 07:30) are the two new stories (``NEW_IN_EDITION_2``, newest first).
``EDITED_PATH`` is F3, a Fens story of 2026-11-14 that is on neither the home page nor
the feed in either edition, and whose section listing does not change: edition 2
corrects it (paragraph 2 rewritten, a "Correction: ..." paragraph added), adds
``article:modified_time``, JSON-LD ``dateModified`` and an "Updated" line, and the
sitemap's ``<lastmod>`` for it moves to the edit time. A crawler learns of the edit only
from the sitemap or by re-checking the article. Every other article page of edition 1 is
byte-identical in edition 2 (the "More from <section>" box lists only older stories of
the section, by title and date).

The edit time is real: the first switch to edition 2 stamps the correction with the
current time (rounded up to the next whole second, after waiting for that second, so
that it is later than anything an edition-1 crawl saw and no Last-Modified is in the
future), unless ``set_edition(2, at=...)`` (or ``/__edition__?n=2&at=<ISO time>``) pins
it. It is fixed for the life of the instance, so switching back to 1 and again to 2
gives the same bytes. ``Site.edited_at`` and ``Site.articles()`` report it; the
module-level ``articles(2)`` needs ``edited_at=`` for the edited story's "modified"
(else None). All other timestamps are fixed (November 2026, +00:00).

HTTP: every 200 carries a strong ``ETag`` (a SHA-256 of the body) and a
``Last-Modified`` derived from content (an article: its modified or published time; the
home page, a section page, the feed: the newest published time listed; the sitemap: the
newest lastmod; robots.txt and /about/: fixed dates), formatted per RFC 9110, and
``Cache-Control: no-cache`` (store, but revalidate every time). Conditional GET/HEAD per
RFC 9110 13.1: with ``If-None-Match`` (a list, ``*``, weak comparison), 304 when it
matches, and If-Modified-Since is then ignored; without it, 304 when Last-Modified <=
``If-Modified-Since`` (ignored if not a valid HTTP-date). A 304 carries ETag,
Last-Modified and Cache-Control, and no body, Content-Length or Content-Type. HEAD is
answered like GET without a body. Redirects and 404s carry no validators.

Options (``serve(...)`` keywords):

* ``validators=True``: when False, no ETag or Last-Modified, and never a 304.
* ``dynamic_chrome=False``: when True, every article page render carries a fresh CSRF
  token (``<meta name="csrf-token">`` and a hidden input in the newsletter form) and a
  "Page generated at HH:MM:SS.ffffff" footer line. Like a CMS that hashes the rendered
  response (Rack::ETag, Django's ConditionalGetMiddleware), the ETag is the hash of
  those bytes, so it changes on every request and If-None-Match never matches; the
  Last-Modified still comes from the article, so If-Modified-Since alone gets 304. A
  crawler sending both gets 200 every time (If-None-Match takes precedence) and must
  see that the article did not change from its content. Listing pages, feed and
  sitemap stay static.
* ``extra_articles=0``: N generated filler stories (``/YYYY/MM/DD/<slug>/``, distinct
  text, round-robin over Town, Fens, Sport, all older than the 12 edition-1 stories),
  in their sections' pagination and the sitemap, never on the home page or the feed.
  A section with k stories has ceil(k / 3) pages.
* ``article_delay=0.0``: seconds to sleep before answering each article request.

``serve()`` returns a ``Site``: ``base``, ``url(path)``, ``set_edition(n, at=None)``,
``edition``, ``edited_at``, ``articles(edition=None)`` (this instance's ground truth),
``listing_paths(edition=None)``, ``requests()`` (one dict per request, control
endpoints excluded: ``path`` (request target), ``method``, ``user_agent``,
``if_none_match``, ``if_modified_since``, ``status`` (None while still being answered),
``edition`` (edition answered), ``time`` (unix time of arrival)), ``reset_requests()`` and
``shutdown()``; it is also a context manager. Control endpoints for tests that only
have the URL: ``GET /__edition__`` (JSON ``{"edition", "edited_at"}``; ``?n=1|2`` and
optionally ``&at=`` switch first) and ``GET /__requests__`` (the log as JSON;
``?reset=1`` also clears it).

Ground truth: ``articles(edition, *, edited_at=None, extra_articles=0)`` (newest first),
``NEW_IN_EDITION_2``, ``EDITED_PATH``, ``EDIT_SNIPPET`` and ``CORRECTION_SNIPPET``
(only in the edited version), ``REMOVED_SNIPPET`` (only in edition 1's version),
``LISTING_PATHS(edition, extra_articles=0)``, ``STATIC_PATHS``, ``section_pages()``.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl

from tests.sites.pages import esc, paras
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

SITE = "The Fenmarsh Gazette"
TAGLINE = "News for Fenmarsh, the Levels and the Lode since 1871"
FOOTER_NOTE = ("© 2026 Fenmarsh Gazette Ltd, 9 Sheep Market, Fenmarsh. "
               "Published every Thursday in print and every day online.")
NEWSLETTER = "Get the Gazette's Fen Letter, our free weekday email, every morning at 7am."
PRINT_PROMO = "The Gazette is in the shops every Thursday: 24 pages for £1.20."

# ============================================================================ people

STAFF: dict[str, dict] = {
    "Harriet Quinlan": dict(role="Chief reporter", section="town"),
    "Owen Maddox": dict(role="Local democracy reporter", section="town"),
    "Ruth Akinola": dict(role="Courts and community reporter", section="town"),
    "Priya Raman": dict(role="Fens and farming correspondent", section="fens"),
    "Gideon Tull": dict(role="Environment reporter", section="fens"),
    "Lottie Barnes": dict(role="Sports editor", section="sport"),
    "Declan Fairweather": dict(role="Sports reporter", section="sport"),
}

SECTIONS: dict[str, dict] = {
    "town": dict(name="Town", blurb="Councils, courts, housing, shops and transport "
                                    "in Fenmarsh and the villages around it."),
    "fens": dict(name="Fens & Farming", blurb="The land, the water and the people "
                                              "who farm the Levels."),
    "sport": dict(name="Sport", blurb="Football, rugby, rowing, skating and everything "
                                      "else played on and around the fen."),
}
PER_PAGE = 3
HOME_COUNT = 6
FEED_COUNT = 8
ROBOTS_MODIFIED = "2026-01-05T09:00:00+00:00"
ABOUT_MODIFIED = "2026-03-02T10:30:00+00:00"

# ============================================================================ stories
# edition: the edition that adds the story. place: the dateline.

_STORIES: list[dict] = [
    # ------------------------------------------------------------------ Town
    dict(
        key="T1", section="town", edition=1, place="Fenmarsh",
        title="Fenmarsh library to open on Sundays after volunteer drive",
        authors=["Harriet Quinlan"], published="2026-11-20T08:15:00+00:00",
        body=paras("""
            Fenmarsh Library will open on Sunday afternoons from January for the first time
            in its 112-year history, after more than sixty residents signed up to help staff
            the building on Church Lane.

            The county council, which runs the library, cut its opening hours to four days a
            week in 2023 to save £38,000 a year. Since then the Friends of Fenmarsh Library
            have campaigned for longer hours, arguing that working parents and students had
            been left with only Saturday mornings.

            Under the new arrangement one paid library assistant will be on duty each Sunday
            between 1pm and 5pm, supported by two trained volunteers who will help with the
            self-service machines, the children's corner and the public computers. The
            council said volunteers would not be asked to replace paid staff on weekdays.

            "We expected to find ten people and we found sixty-three," said Margaret
            Oyelaran, who chairs the Friends group. "Some are retired teachers, some are
            sixth-formers who want something for their university applications, and one is
            a lorry driver who says this library taught him to read."

            Unison, which represents library staff, said it had agreed to the scheme only
            after receiving written guarantees that no posts would be lost. Branch secretary
            Colin Pearce said the union would watch closely to make sure the volunteers
            remained an addition to the staff and never a substitute for them.

            The first Sunday opening is planned for 10 January. The library will also hold a
            monthly family storytime on Sunday afternoons, beginning with a session on fen
            folk tales led by the local author Bridget Sallow.
        """),
        snippets=[
            "Fenmarsh Library will open on Sunday afternoons from January for the first time "
            "in its 112-year history",
            "one is a lorry driver who says this library taught him to read.",
            "beginning with a session on fen folk tales led by the local author Bridget "
            "Sallow.",
        ],
    ),
    dict(
        key="T2", section="town", edition=1, place="Fenmarsh",
        title="Market Place parking charges frozen as traders warn of empty stalls",
        authors=["Owen Maddox", "Harriet Quinlan"], published="2026-11-18T14:30:00+00:00",
        body=paras("""
            Parking charges in the Market Place and Sheep Market car parks will be frozen for
            another year after traders told councillors that the Thursday market had lost a
            quarter of its stalls since fees last went up.

            North Levels District Council had proposed raising the two-hour charge from £1.80
            to £2.20 in April as part of a package to close a £1.2 million gap in next year's
            budget. The increase would have brought in an estimated £64,000.

            At a meeting of the council's economy committee on Tuesday, members voted seven
            to two to drop the rise after hearing from market manager Sue Dankworth, who said
            the number of regular stalls had fallen from 48 to 36 in three years. "Every
            stallholder I lose tells me the same thing: their customers cannot park," she
            said.

            Councillor Nadia Ferrers, who leads the committee, said the decision would leave
            a hole in the budget that officers would have to fill elsewhere. She said the
            council would look again at charging in the evenings at the larger Quayside car
            park, which is free after 3pm.

            The Fenmarsh Chamber of Trade welcomed the freeze but said it did not go far
            enough. Its president, the butcher Alan Threlkeld, called for the first half
            hour to be free, as it already is in neighbouring Kingsferry, so that shoppers
            could nip in for a loaf without feeding a machine.
        """),
        snippets=[
            "the number of regular stalls had fallen from 48 to 36 in three years.",
            "so that shoppers could nip in for a loaf without feeding a machine.",
        ],
    ),
    dict(
        key="T3", section="town", edition=1, place="Fenmarsh",
        title="Derelict Quayside maltings to become 48 homes after appeal win",
        authors=["Owen Maddox"], published="2026-11-16T12:45:00+00:00",
        body=paras("""
            The derelict maltings on Fenmarsh Quayside will be converted into 48 flats and
            town houses after a government planning inspector overturned the district
            council's refusal of the scheme.

            The Victorian building, which malted barley for breweries in Norwich and London
            until 1971, has stood empty for more than two decades. Its owner, Lodebank
            Developments, first applied to convert it in 2024, but councillors rejected the
            plans last year, saying they provided too few parking spaces and too little
            affordable housing.

            Inspector Julian Achterberg disagreed. In a decision letter published on Friday
            he said the site was a short walk from the shops, the bus station and the railway
            halt, and that insisting on more parking would mean demolishing the building's
            distinctive kiln hoods, which are protected as part of the conservation area.

            The approved scheme includes ten affordable homes, a riverside walkway open to
            the public and a ground-floor café. Lodebank has also agreed to pay £210,000
            towards a new footbridge over the Lode, which the council has wanted for more
            than a decade.

            Neighbours on Quay Street, who objected to a new block planned at the rear of the
            site, said they were disappointed. "We are not against homes. We are against a
            five-storey wall at the bottom of our gardens," said resident Pauline Gedge.

            Lodebank's managing director, Simon Fairclough, said work would begin in the
            spring and that the first residents could move in by the end of 2028.
        """),
        snippets=[
            "insisting on more parking would mean demolishing the building's distinctive kiln "
            "hoods",
            "We are against a five-storey wall at the bottom of our gardens,",
        ],
    ),
    dict(
        key="T4", section="town", edition=1, place="Fenmarsh",
        title="Landlord fined over damp and mould in Eastgate flats",
        authors=["Ruth Akinola"], published="2026-11-13T16:25:00+00:00",
        body=paras("""
            A landlord who let out flats with black mould on the walls and a disconnected
            fire alarm has been ordered to pay more than £14,000 after admitting six housing
            offences at Fenmarsh Magistrates' Court.

            Desmond Harcourt, 58, of Holme Road, Wrayfield, owns a converted house in
            Eastgate which is divided into five flats. Environmental health officers
            inspected the building in March after a tenant contacted the district council
            about damp in her baby's bedroom.

            Prosecuting for the council, Laura Brennan told the court that officers found
            water running down the inside of a bedroom wall, mould on the ceilings of three
            of the five flats, and a communal fire alarm that had been switched off because,
            the landlord said, it kept going off.

            Harcourt pleaded guilty to failing to comply with an improvement notice and to
            five breaches of the regulations for houses in multiple occupation. His
            solicitor, Rupert Vane, said his client had since spent £22,000 on repairs,
            including a new roof and extractor fans, and was deeply embarrassed.

            The chair of the bench, Geraldine Moss, said the conditions had been wholly
            unacceptable and that the tenants, two of whom have young children, had been put
            at risk. She fined Harcourt £9,600 and ordered him to pay £4,380 in costs and a
            £190 victim surcharge.

            After the hearing the council's housing portfolio holder, Councillor Imran
            Siddiqui, said the case should serve as a warning. "Most landlords in this
            district do a good job. The few who do not will find us knocking on the door,"
            he said.
        """),
        snippets=[
            "a communal fire alarm that had been switched off because, the landlord said, it "
            "kept going off.",
            "She fined Harcourt £9,600 and ordered him to pay £4,380 in costs",
        ],
    ),
    dict(
        key="N1", section="town", edition=2, place="Fenmarsh",
        title="Late bus to Kingsferry returns after two-year gap",
        authors=["Harriet Quinlan", "Owen Maddox"], published="2026-11-21T07:30:00+00:00",
        body=paras("""
            An evening bus service between Fenmarsh and Kingsferry will return next month,
            two years after the last late journey was axed, thanks to money from the
            county's bus improvement fund.

            The number 46 will run hourly until 11.15pm from Monday to Saturday, calling at
            Wrayfield, Saltney Drove and Holme St Botolph. The last bus from Kingsferry now
            leaves at 6.40pm, which students at the further education college there say has
            made evening classes impossible without a car.

            The county council has agreed to pay Fenline Buses £186,000 a year for three
            years to run the extra journeys. Officers will review passenger numbers after
            eighteen months, and the service could be extended to Sundays if it proves
            popular.

            Shift workers at the food processing plants on the Kingsferry industrial estate
            are expected to be among the main users. Tasha Reynolds, a packer who lives in
            Saltney Drove, said she pays £14 for a taxi home after every late shift. "That is
            an hour's wages gone before I have even got through the door," she said.

            Fenline's operations director, Gareth Moyle, said the company had recruited four
            new drivers for the route. The first evening journeys will run on Monday 7
            December.
        """),
        snippets=[
            "The number 46 will run hourly until 11.15pm from Monday to Saturday, calling at "
            "Wrayfield, Saltney Drove and Holme St Botolph.",
            "That is an hour's wages gone before I have even got through the door,",
        ],
    ),
    # ------------------------------------------------------------------ Fens & Farming
    dict(
        key="F1", section="fens", edition=1, place="Saltney Drove",
        title="Sugar beet lifting weeks behind after one of the wettest autumns on record",
        authors=["Priya Raman"], published="2026-11-19T11:05:00+00:00",
        body=paras("""
            Sugar beet growers across the Fenmarsh Levels are running nearly three weeks
            behind schedule after one of the wettest autumns on record left harvesters unable
            to get onto sodden fields.

            The processing factory at Kingsferry, which takes beet from around 900 farms,
            opened for its annual campaign on 28 September but ran below capacity for much
            of October because deliveries could not keep up. Some growers have lifted less
            than a third of their crop.

            Rainfall at the Environment Agency gauge at Gedding Fen reached 243 millimetres
            between September and the middle of November, almost double the long-term
            average. Heavy machinery on waterlogged peat can compact the soil in ways that
            take years to put right, and several farmers said they had chosen to wait rather
            than risk the damage.

            "You can lift beet in the wet, but you pay for it for the next three harvests,"
            said Tom Ashworth, who farms 400 hectares at Saltney Drove. "I would rather the
            beet sat in the ground until Christmas than wreck the soil my father spent his
            life building up."

            The factory said the campaign was likely to run into March, a month longer than
            usual. Growers whose beet is damaged by frost while still in the ground may face
            lower payments, and the National Farmers' Union has asked the processor to show
            flexibility over quality penalties.
        """),
        snippets=[
            "Rainfall at the Environment Agency gauge at Gedding Fen reached 243 millimetres "
            "between September and the middle of November",
            "You can lift beet in the wet, but you pay for it for the next three harvests,",
        ],
    ),
    dict(
        key="F2", section="fens", edition=1, place="Wrayfield",
        title="Whooper swans arrive early on the Wrayfield Washes",
        authors=["Gideon Tull"], published="2026-11-17T09:20:00+00:00",
        body=paras("""
            More than 4,000 whooper swans have already arrived on the Wrayfield Washes, the
            earliest large influx of the winter that wardens at the nature reserve can
            remember.

            The birds breed in Iceland and fly about 1,300 kilometres to spend the winter on
            the flooded grazing marshes between the Old and New Lode banks. In most years
            their numbers build slowly through November and peak in January, but a spell of
            northerly winds in late October appears to have brought many of them south
            early.

            Reserve warden Fiona Kettleburgh said Sunday's count, carried out by volunteers
            from first light, found 4,212 whoopers and 38 Bewick's swans, the smaller
            relative that has declined sharply across northern Europe. "The whoopers are
            doing well. The Bewick's are the ones that keep me awake at night," she said.

            The reserve's floodlit swan feeds, when wardens scatter grain in front of the
            main hide, begin on Saturday and run every evening until the end of February.
            Places must be booked in advance because the hide holds only eighty people.

            Visitors are asked to keep dogs on leads on the bank tops, where the birds are
            easily disturbed. The car park at Wrayfield Drove has been resurfaced and now
            has two charging points for electric cars.
        """),
        snippets=[
            "found 4,212 whoopers and 38 Bewick's swans",
            "The Bewick's are the ones that keep me awake at night,",
        ],
    ),
    dict(
        key="F3", section="fens", edition=1, place="Gedding",
        title="Drainage board raises rates to pay for pumping station repairs",
        authors=["Priya Raman", "Gideon Tull"], published="2026-11-14T10:00:00+00:00",
        body=paras("""
            Landowners and householders on the Fenmarsh Levels will pay more to keep their
            feet dry next year after the internal drainage board agreed to raise its rates to
            pay for repairs to two of its oldest pumping stations.

            Board members voted on Tuesday to raise the drainage rate by 14 per cent from
            April, the first increase in six years. The board maintains 310 kilometres of
            drains and eleven pumping stations, which lift water from fields lying below sea
            level into the tidal river.

            Chief engineer Martin Coldham told the meeting that the diesel pumps at Gedding
            and Saltney Drove were more than sixty years old and that spare parts now had to
            be made to order. One pump at Gedding failed for nine days in February, and the
            board had to hire mobile pumps at a cost of £41,000.

            The board plans to replace both stations with electric pumps over the next three
            years at a total cost of £6.8 million. About two-thirds of the money is expected
            to come from government flood defence grants, with the rest raised locally.

            Edward Pinchbeck, who represents farmers on the board, said nobody liked paying
            more but that the alternative was worse. "When the pumps stop, the water does not
            wait for a grant application. It comes up through the floor," he said.
        """),
        snippets=[
            "Board members voted on Tuesday to raise the drainage rate by 14 per cent from "
            "April, the first increase in six years.",
            "One pump at Gedding failed for nine days in February",
            "the water does not wait for a grant application.",
        ],
    ),
    dict(
        key="F4", section="fens", edition=1, place="Gedding",
        title="Young farmers' ploughing match draws record entry at Gedding",
        authors=["Gideon Tull"], published="2026-11-11T07:50:00+00:00",
        body=paras("""
            A record 74 ploughmen and ploughwomen turned out for the Fenmarsh and District
            Young Farmers' annual ploughing match at Gedding on Sunday, despite a forecast of
            heavy showers that in the end never came.

            Competitors ranged from fourteen-year-old Ellie Marchant, ploughing for the first
            time with her grandfather's 1958 Ferguson, to 81-year-old Reg Dunthorne, who won
            his first cup at the same event in 1961 and has entered every year since except
            one, when he was in hospital having a hip replaced.

            The match was held on a 30-hectare field lent by the Pinchbeck family, with
            classes for vintage tractors, modern reversible ploughs and horse-drawn ploughs.
            Two pairs of Suffolk Punch horses made the journey from Norfolk and drew one of
            the biggest crowds of the day.

            Judges mark each plot on the straightness of its furrows, the neatness of the
            finish and how well the stubble is buried. The supreme championship went to
            24-year-old Josh Westerby of Holme St Botolph, whose plot judge Arthur Cawdron
            called as straight as a drainage cut.

            Club chair Hannah Brightwell said entries had risen by a third in two years,
            largely thanks to younger members. The money raised on the day, expected to be
            about £5,500, will be shared between the county air ambulance and the Farming
            Community Network, which supports farmers facing hardship.
        """),
        snippets=[
            "81-year-old Reg Dunthorne, who won his first cup at the same event in 1961",
            "whose plot judge Arthur Cawdron called as straight as a drainage cut.",
        ],
    ),
    # ------------------------------------------------------------------ Sport
    dict(
        key="S1", section="sport", edition=1, place="Fenmarsh",
        title="Fenmarsh Town hold leaders to goalless draw in front of season's biggest crowd",
        authors=["Lottie Barnes"], published="2026-11-19T17:40:00+00:00",
        body=paras("""
            Fenmarsh Town earned a hard-fought goalless draw against league leaders
            Kingsferry Athletic on Wednesday night in front of 1,142 spectators at Lode
            Road, the club's biggest home crowd of the season.

            The visitors arrived unbeaten in fourteen league matches and dominated possession
            in the first half, but found Town goalkeeper Kieran Blythe in outstanding form.
            He turned a curling shot from Athletic captain Marcus Tennant onto the post after
            twenty minutes and saved a close-range header from Dion Ashby just before
            half-time.

            Town improved after the break and almost snatched a winner in the 84th minute,
            when substitute Jamie Okafor's low drive from the edge of the area was cleared
            off the line by defender Sam Rudd. Okafor, 18, was making only his third senior
            appearance.

            Manager Lee Cardew said he was proud of his side's discipline. "They are the best
            team in this league by a distance and we gave them nothing. That clean sheet was
            earned on cold Tuesday nights on the training pitch," he said.

            The result leaves Town eighth in the Eastern Fens League Premier Division, eleven
            points behind Kingsferry. Their next match is a County Senior Cup tie away at
            Harwick Rovers on Saturday.
        """),
        snippets=[
            "He turned a curling shot from Athletic captain Marcus Tennant onto the post "
            "after twenty minutes",
            "That clean sheet was earned on cold Tuesday nights on the training pitch,",
        ],
    ),
    dict(
        key="S2", section="sport", edition=1, place="Fenmarsh",
        title="Rowing club moves into £620,000 boathouse on the Lode",
        authors=["Declan Fairweather"], published="2026-11-17T19:55:00+00:00",
        body=paras("""
            Fenmarsh Rowing Club has moved into a new £620,000 boathouse on the banks of the
            Lode, ending twelve years in which its boats were kept in a leaking former grain
            store half a mile from the water.

            The timber-clad building, opened on Monday by the Olympic bronze medallist and
            former club member Alice Harrowby, has racks for forty boats, changing rooms, a
            gym and a first-floor clubroom overlooking the river. It was paid for by a
            lottery grant, a loan from the district council and six years of fundraising
            that included sponsored rows, quiz nights and a calendar starring the veterans'
            crew.

            Club captain Ben Osei said that until now members had carried boats across
            Quayside and down a public slipway before every outing. "On a dark winter
            morning, with a sixty-foot eight on your shoulder and a lorry coming round the
            corner, that was never a relaxing start to the day," he said.

            The club has 210 members, a third of them juniors, and a partnership with
            Fenmarsh Academy gives every year nine pupil the chance to try rowing. The new
            building is fully accessible, and the club plans to start an adaptive rowing
            programme for disabled people in the spring.

            Harrowby, who learned to row at the club as a teenager, said it had been strange
            and wonderful to come back. "I spent half my childhood on this river. Seeing kids
            get the facilities we used to dream about is the best thing I have seen all
            year," she said.
        """),
        snippets=[
            "a calendar starring the veterans' crew.",
            "with a sixty-foot eight on your shoulder and a lorry coming round the corner",
        ],
    ),
    dict(
        key="S3", section="sport", edition=1, place="Fenmarsh",
        title="Fenmarsh women reach county cup semi-final with last-minute try",
        authors=["Declan Fairweather", "Lottie Barnes"], published="2026-11-15T21:10:00+00:00",
        body=paras("""
            Fenmarsh Rugby Club's women are through to the semi-finals of the county cup for
            the first time after a try in the final minute gave them a 22-17 win over
            Stowbridge at Gedding Road on Sunday afternoon.

            Stowbridge, who won the cup two years ago, led 17-10 at half-time after two tries
            from their powerful number eight, Grace Amadi. Fenmarsh's forwards took control
            after the break, and a driven lineout try from hooker Sian Prothero brought them
            within two points.

            With the clock in the red, Fenmarsh kept the ball through eleven phases before
            scrum-half Chloe Anstey spotted a gap on the blind side and sent winger Amara
            Dunmore over in the corner. Full-back Becky Tolhurst, who had missed two
            penalties earlier, kept her nerve to add the conversion from the touchline.

            Head coach Danny Whitcombe said the women's section had grown from a handful of
            players in 2021 to a squad of 38. "Five years ago we were borrowing players from
            other clubs to make up the numbers. Today we had players on the bench who would
            walk into most sides in the county," he said.

            Fenmarsh will play Ravensby or Thorpe Marsh in the semi-final on 6 December. The
            final will be played at the county ground in January.
        """),
        snippets=[
            "scrum-half Chloe Anstey spotted a gap on the blind side and sent winger Amara "
            "Dunmore over in the corner.",
            "Five years ago we were borrowing players from other clubs to make up the "
            "numbers.",
        ],
    ),
    dict(
        key="S4", section="sport", edition=1, place="Wrayfield",
        title="Fen skating championships on standby as hard frosts forecast",
        authors=["Lottie Barnes"], published="2026-11-12T20:05:00+00:00",
        body=paras("""
            Organisers of the Fen Skating Championships have put skaters on standby for the
            first time in four years after forecasters predicted a week of hard frosts from
            the end of the month.

            The races, held on flooded washland near Wrayfield since the nineteenth century,
            need at least five nights of frost in a row to make ice thick enough to bear the
            skaters and their spectators. The last full championship was held in 2010, and a
            shortened event was raced in 2021 before a thaw set in.

            Fen Skating Association secretary Malcolm Gotobed said the field at Wrayfield
            Drove had been flooded to a depth of about thirty centimetres on Wednesday so
            that it would be ready if the cold arrived. "We need the ice to be at least ten
            centimetres thick before we let anyone on. It is safety first and racing second,"
            he said.

            Fen skating, a form of long-distance speed skating, was once a winter livelihood
            for farm labourers, who could earn more from a single race than from a month's
            work on the land. The championship is raced over a mile and a half, two skaters
            to a heat, turning around barrels at each end of the course.

            If conditions allow, the association will give forty-eight hours' notice on its
            website and on local radio. Skaters who want to take part must be members of the
            association and must bring their own helmets.
        """),
        snippets=[
            "The last full championship was held in 2010, and a shortened event was raced in "
            "2021 before a thaw set in.",
            "who could earn more from a single race than from a month's work on the land.",
        ],
    ),
    dict(
        key="N2", section="sport", edition=2, place="Harwick",
        title="Lee Cardew resigns as Fenmarsh Town manager after cup exit",
        authors=["Lottie Barnes"], published="2026-11-21T19:45:00+00:00",
        body=paras("""
            Lee Cardew has resigned as manager of Fenmarsh Town after four years in charge,
            hours after his side were knocked out of the County Senior Cup by Harwick Rovers.

            Town lost 3-1 at Harwick's Mill Meadow ground on Saturday afternoon, with the home
            side scoring twice in the last ten minutes after Town defender Sam Rudd was sent
            off for a second yellow card. Jamie Okafor had given Town an early lead with his
            first senior goal.

            In a statement released by the club on Saturday evening, Cardew said he had been
            considering his position for several weeks and that the defeat had made up his
            mind. He thanked the players, the volunteers who run the club and what he called
            the best supporters in non-league football.

            Cardew, a former Kingsferry Athletic midfielder, took over in 2022 when Town were
            bottom of the division and led them to fifth place last season, their highest
            finish for twenty years. He also set up the club's under-18 side, which has
            supplied four players to the first team.

            Chairman Ray Witherspoon said the board had tried to persuade him to stay.
            Assistant manager Carl Mendham will take charge for Tuesday's league match at
            home to Stowbridge while the club looks for a permanent successor.
        """),
        snippets=[
            "Town lost 3-1 at Harwick's Mill Meadow ground on Saturday afternoon",
            "He also set up the club's under-18 side, which has supplied four players to the "
            "first team.",
        ],
    ),
]

# ------------------------------------------------------------------ the edit (F3)

EDITED_KEY = "F3"
REMOVED_SNIPPET = ("Board members voted on Tuesday to raise the drainage rate by 14 per cent "
                   "from April, the first increase in six years.")
EDIT_SNIPPET = ("Board members voted on Tuesday to raise the drainage rate by 4 per cent from "
                "April, adding about £3 a year to the bill for a typical household.")
CORRECTION_SNIPPET = ("The increase agreed by the board is 4 per cent, and we apologise for "
                      "the error.")
_CORRECTION = ("Correction: An earlier version of this article said that the drainage rate "
               "would rise by 14 per cent. " + CORRECTION_SNIPPET)


def _edited_body(body: list[str]) -> list[str]:
    assert body[1].startswith(REMOVED_SNIPPET)
    changed = (EDIT_SNIPPET + " It is the first increase in six years. The board maintains 310 "
               "kilometres of drains and eleven pumping stations, which lift water from fields "
               "lying below sea level into the tidal river.")
    return [body[0], changed, *body[2:], _CORRECTION]


# ============================================================================ fillers
# ``extra_articles`` stories, generated from per-kind sentence pools with random people,
# places and numbers (seeded by index, so the same N always gives the same stories).

_WOMEN = ["Abigail", "Cerys", "Esther", "Gwen", "Imogen", "Kezia", "Maud", "Olive", "Rosa",
          "Tamsin", "Verity", "Yasmin", "Agnes", "Delia", "Lorna"]
_MEN = ["Barnaby", "Dominic", "Felix", "Hamish", "Jasper", "Leon", "Nathaniel", "Percy",
        "Stanley", "Umar", "Wilf", "Zachary", "Rohan", "Ezra", "Idris"]
_LAST = ["Allbright", "Brewster", "Cattermole", "Dack", "Eldred", "Frost", "Gunton",
         "Howlett", "Ingle", "Jessop", "Kerridge", "Loveday", "Mottram", "Neave", "Orriss",
         "Plowright", "Quantrill", "Rix", "Sallis", "Thurlow", "Utting", "Vipond",
         "Wakefield", "Youngs", "Ashpole", "Bunting", "Chilvers", "Drewery", "Fenn", "Gotts"]
_PLACES = ["Holme St Botolph", "Saltney Drove", "Wrayfield", "Gedding Fen", "Kingsferry",
           "Thorpe Marsh", "Ravensby", "Stowbridge", "Harwick", "Lode End", "Mardle Fen",
           "Sedgeholm", "Cressing Drove", "Oxney End", "Pollard's Drove", "Ferry Bank",
           "Coldharbour", "Eastrea Fen", "Blackdyke", "Whitmoor", "Nene Corner", "Sutton Lode"]
_ROADS = ["Sluice Road", "Mill Drove", "Station Lane", "Bank Side", "Cross Keys Lane",
          "Church Causeway", "Fen Road", "Marsh Lane", "Low Road", "Forty Foot Lane",
          "Pingle Lane", "Tithe Barn Road", "Engine Drove", "Decoy Road"]
_PUBS = ["Five Alls", "Ship", "Chequers", "Plough", "Eel Catchers", "Black Horse", "Wheatsheaf"]
_CAUSES = ["the air ambulance", "the village hall roof", "the children's hospice",
           "a new defibrillator", "the food bank", "the church tower bells",
           "a minibus for the youth club", "the cancer ward at Kingsferry hospital"]
_CROPS = ["potato", "onion", "celery", "wheat", "carrot", "sugar beet", "barley", "leek"]
_BIRDS = [("bittern", "bitterns"), ("marsh harrier", "marsh harriers"),
          ("short-eared owl", "short-eared owls"), ("black-tailed godwit", "godwits"),
          ("crane", "cranes"), ("hen harrier", "hen harriers"), ("avocet", "avocets")]
_ANIMALS = ["Lincoln Red heifer", "Suffolk ram", "Large Black sow", "Shire mare",
            "Red Poll bull", "Jacob ewe"]
_RACES = [("10K", 31, 58), ("half marathon", 68, 118), ("river bank 5K", 15, 33),
          ("drove road 10 mile", 51, 96), ("Boxing Day 10K", 33, 61)]  # (race, minutes)
_WORDS = ["four", "five", "six", "seven"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]

# kind -> (section, [(title, lead), ...], [body sentences])
_KINDS: dict[str, tuple[str, list[tuple[str, str]], list[str]]] = {
    "planning": ("town", [
        ("Plans for {homes} homes off {road} in {place} go to committee",
         "A plan to build {homes} homes on farmland off {road} in {place} will be decided by "
         "district councillors next {day}."),
        ("{place} residents object to {homes}-home scheme on {road}",
         "More than {count} people have signed a petition against plans for {homes} homes "
         "on {road}, {place}, the biggest response to a planning application in the village "
         "for a decade."),
        ("Councillors back {homes} new homes at {place} despite flood fears",
         "District councillors have approved {homes} homes on {road} in {place}, overruling "
         "objections from neighbours who say the land floods most winters."),
    ], [
        "The site, which lies between the village school and the road to {place2}, is "
        "currently used for grazing.",
        "The developer, {surname} Homes, says {percent} per cent of the properties would be "
        "offered as affordable housing for local families.",
        "Objectors say the drains along {road} already struggle after heavy rain and that "
        "new roofs and driveways would make flooding worse.",
        "The parish council voted {n} to 2 to oppose the application at a packed meeting in "
        "the village hall.",
        "Planning officers recommended approval, saying the district has fallen behind its "
        "target for new homes.",
        "{person}, who has lived on {road} since {year}, said the lane was far too narrow "
        "for construction lorries.",
        "If the scheme goes ahead, building could begin within {weeks} months.",
        "The internal drainage board has asked for a balancing pond to hold back rainwater "
        "during storms.",
    ]),
    "charity": ("town", [
        ("{place} volunteers raise {money} for {cause}",
         "Volunteers in {place} have raised {money} for {cause} with a series of events over "
         "the summer and autumn."),
        ("{person} walks the fen banks for {cause}",
         "{person}, {age}, from {place}, has raised {money} for {cause} by walking {n}0 "
         "miles along the river banks in a week."),
    ], [
        "The money will pay for equipment and training over the next {weeks} months.",
        "Events included a duck race on the Lode, a quiz night at the {pub} and a sponsored "
        "silence at the primary school.",
        "{person2}, who organised the appeal, said the village had been overwhelmed by the "
        "generosity of local businesses.",
        "The total is more than double what the organisers hoped to raise when the appeal "
        "began in {month}.",
        "A cheque will be handed over at the {pub} in {place} on {day} evening, and everyone "
        "who helped has been invited.",
        "The charity said the money would make a real difference at a time when demand for "
        "its help was higher than ever.",
        "Local firms matched the sums raised by their staff, and one farm gave a trailer-load "
        "of logs to be sold for the appeal.",
        "Organisers are already planning next year's events and hope to beat this year's "
        "total of {money}.",
    ]),
    "roads": ("town", [
        ("{road} in {place} to close for {weeks} weeks for bridge repairs",
         "{road}, one of the main routes into {place}, will close for {weeks} weeks from "
         "{day} while contractors repair a bridge over a drain."),
        ("Calls for lower speed limit on {road} after {n} crashes",
         "Residents of {place} are calling for a 40mph limit on {road} after {n} crashes on "
         "the same stretch in the past two years."),
    ], [
        "A signed diversion will take drivers through {place2}, adding about {n} minutes to "
        "journeys.",
        "The county council said the work had been timed to avoid the sugar beet harvest, "
        "when lorry traffic is at its heaviest.",
        "Fen roads are prone to cracking and subsidence because the peat beneath them "
        "shrinks as it dries out.",
        "{person}, whose house faces the road, said lorries regularly passed the front door "
        "at more than 60mph.",
        "Bus services will keep running, though some stops will be moved while the work "
        "goes on.",
        "Highways engineers will carry out a speed survey and report to the parish council "
        "in {month}.",
        "Businesses along the road will stay open and can be reached from the {place2} end.",
        "The work is part of a {big_money} programme to strengthen bridges over the "
        "district's drains.",
    ]),
    "harvest": ("fens", [
        ("{Crop} yields up on {place} farms despite a late spring",
         "Farmers around {place} are reporting {crop} yields about {percent} per cent above "
         "last year, despite a cold and late spring."),
        ("Wet weather slows {crop} harvest around {place}",
         "The {crop} harvest around {place} is running {weeks} weeks late after heavy rain "
         "turned fields to mud."),
        ("{place} grower bets on {crop} as costs climb",
         "{person}, who farms {hectares} hectares near {place}, says {crop} has become the "
         "most reliable crop on the farm."),
    ], [
        "The black peat of the fens grows some of the heaviest crops in the country, but it "
        "is shrinking by about a centimetre a year.",
        "Prices paid by processors have risen, but so have the costs of fuel, fertiliser and "
        "labour.",
        "Much of the crop goes to packers within twenty miles of the farm and reaches "
        "supermarket shelves within days.",
        "{woman}, an agronomist who advises growers across the district, said it had been "
        "one of the most unpredictable seasons she could remember.",
        "Growers are trying cover crops to protect the soil over winter and cut the amount "
        "of peat blown away in spring.",
        "Seasonal workers still make up most of the harvest teams on the larger farms.",
        "The harvest should be finished within {weeks} weeks if the weather holds.",
        "Some farmers have built new stores so they can hold back the {crop} crop until "
        "prices improve.",
    ]),
    "wildlife": ("fens", [
        ("Rare {bird} seen at {place} reserve",
         "Birdwatchers have flocked to {place} after a {bird} was seen on the reserve's "
         "flooded meadows on {day} morning."),
        ("Volunteers count {count} {birds} on the {place} washes",
         "Volunteers counted {count} {birds} on the washes near {place} at the weekend, one "
         "of the highest totals recorded there."),
    ], [
        "The reserve was created on former arable land, where the old field drains were "
        "blocked to let the water back.",
        "Warden {person} asked visitors to stay on the marked paths and to keep dogs on "
        "leads.",
        "The count is part of a national survey carried out every winter since the 1960s.",
        "Numbers have risen since the wildlife trust began managing water levels more "
        "carefully in spring.",
        "Otters, once absent from the district, are now seen regularly along the drains "
        "near {place2}.",
        "A new hide, paid for by a legacy from a local birdwatcher, is due to open in "
        "{month}.",
        "Farmers next to the reserve have planted wider field margins and left stubble over "
        "winter to provide food.",
        "The next guided walk leaves the reserve car park at 9am on the first {day} of next "
        "month.",
    ]),
    "show": ("fens", [
        ("{person} takes supreme championship at {place} show",
         "{person} of {place2} took the supreme championship at the {place} Agricultural "
         "Show with a {animal} that the judges called the best they had seen for years."),
        ("Record livestock entries at {place} Agricultural Show",
         "The {place} Agricultural Show drew about {count} visitors on {day}, with entries "
         "in the livestock classes the highest for a decade."),
    ], [
        "Classes included cattle, sheep, poultry and rabbits as well as vegetables, baking "
        "and handicrafts.",
        "Shire and Suffolk Punch horses gave displays of ploughing and harrowing in the main "
        "ring.",
        "The young handlers' class, for children under sixteen, had {n} entrants this year.",
        "Show secretary {person2} said volunteers had worked through the night to put the "
        "tents back up after a storm flattened two marquees.",
        "A parade of vintage tractors, led by a 1949 Fordson Major, closed the day.",
        "Money from the gate goes towards the upkeep of the showground and to local "
        "charities.",
        "Judge {person3} said the sheep were as good as anything seen at the county show.",
        "The heaviest marrow, grown on an allotment in {place2}, weighed {n} kilograms.",
    ]),
    "football": ("sport", [
        ("{club} edge past {club2} with late winner",
         "{club} beat {club2} 2-1 on {day}, with {person} scoring the winner {minute} "
         "minutes into the second half."),
        ("{club} held to draw by {club2}",
         "{club} were held to a 1-1 draw at home to {club2} on {day}, despite dominating for "
         "long spells."),
        ("{club} hit {goals} past {club2} to climb the table",
         "{club} scored {goals} without reply against {club2} on {day} to climb to {rank}th "
         "in the table."),
    ], [
        "{person2} was outstanding in midfield and was named player of the match by the "
        "sponsors.",
        "The goalkeeper made a string of fine saves in the first half to keep the scores "
        "level.",
        "A crowd of {small} braved the cold wind blowing across the pitch from the fen.",
        "Manager {man} said he was pleased with the result but not with the number of "
        "chances his side had wasted.",
        "The visitors finished with ten men after a second yellow card in stoppage time.",
        "The club's under-12s formed a guard of honour before kick-off to mark the club's "
        "{n}0th anniversary.",
        "Next {day} the team travels to {place2} for a match that could shape the title "
        "race.",
        "Work to put up floodlights at the ground is due to be finished by {month}.",
    ]),
    "running": ("sport", [
        ("{person} wins the {place} {race}",
         "{person} won the {place} {race} on {day} in {minutes} minutes {seconds} seconds, "
         "{n} seconds clear of the runner-up."),
        ("Record field for the {place} {race}",
         "A record {small} runners took part in the {place} {race} on {day}, raising money "
         "for {cause}."),
    ], [
        "The flat course follows the river bank before looping back through {place2} on "
        "quiet drove roads.",
        "Conditions were cold but still, ideal for fast times.",
        "{woman} was the first woman home and set a course record for her age group.",
        "Marshals from the running club and the scouts kept the route safe.",
        "The youngest finisher was nine years old and the oldest was {old}.",
        "Organiser {person3} thanked the farmers who let the course cross their land.",
        "Soup and cake were served at the finish in the village hall.",
        "Entries for next year's race open on the club's website in {month}.",
    ]),
    "clubs": ("sport", [
        ("{place} Bowls Club promoted after final-day win",
         "{place} Bowls Club have won promotion to the first division of the Fen Bowls "
         "League after beating {place2} by {n} shots in their last match."),
        ("{person} named player of the year at {place} Cricket Club",
         "{person} has been named player of the year at {place} Cricket Club after scoring "
         "{runs} runs and taking {wickets} wickets this season."),
        ("{place} Cricket Club unveils {big_money} pavilion plan",
         "{place} Cricket Club has unveiled plans for a {big_money} pavilion to replace the "
         "wooden hut that has served the ground since {year}."),
    ], [
        "The club, founded in 18{founded}, has more than {members} playing members.",
        "Volunteers spend every {day} evening in summer mowing, rolling and watering the "
        "square.",
        "{person2} said the club's junior section had doubled in size in three years.",
        "The annual dinner will be held at the {pub} in {place} in {month}.",
        "Fundraising includes a sponsored walk along the river bank and a raffle with a "
        "signed county shirt as first prize.",
        "The parish council, which owns the ground, has extended the club's lease by twenty "
        "years.",
        "Winter nets start at the sports centre in January for players of all ages.",
        "Members will vote on the proposals at the annual general meeting.",
    ]),
}
_SECTION_POOL: dict[str, list[str]] = {
    "town": [
        "A spokesperson for North Levels District Council said it would respond in due "
        "course.",
        "The town council will discuss the matter at its next meeting in {month}.",
        "The Gazette has asked the county council for comment.",
        "Anyone with concerns is asked to contact their district councillor.",
    ],
    "fens": [
        "Much of the land around {place} lies below sea level and depends on pumping "
        "stations to stay dry.",
        "The National Farmers' Union said it would be watching closely.",
        "Farming is still the district's biggest employer after food processing.",
        "The Levels were drained in the seventeenth century by Dutch engineers.",
    ],
    "sport": [
        "New players are always welcome, and training is on {day} evenings.",
        "Results and fixtures appear every week in the Gazette's sports pages.",
        "The club is looking for volunteers to help with coaching and match-day teas.",
        "The season resumes after the winter break in {month}.",
    ],
}
_COMMON_POOL = [
    '"It has been a long time coming, but we got there in the end," said {person3}.',
    "{person3} said the community had pulled together in a way that made everyone proud.",
    "Further details are available from the parish clerk in {place}.",
    "It is the first time anything of the kind has happened in {place} since {year}.",
    '"People round here do not make a fuss, they just get on with it," said {person2}.',
    "The Gazette will report on what happens next.",
]


def _filler_vars(rng: random.Random) -> dict[str, Any]:
    """Everything a template may name; five people with different first and last names
    (``woman`` and ``man`` for the sentences with a pronoun)."""
    women, men = rng.sample(_WOMEN, 3), rng.sample(_MEN, 3)
    people = [women[0], men[0], women[1], men[1]]
    rng.shuffle(people)
    firsts = [*people[:3], women[2], men[2]]
    lasts = rng.sample(_LAST, 5)
    person, person2, person3, woman, man = (f"{f} {s}" for f, s in zip(firsts, lasts,
                                                                        strict=True))
    place, place2 = rng.sample(_PLACES, 2)
    race, fastest, slowest = rng.choice(_RACES)
    crop = rng.choice(_CROPS)
    bird, birds = rng.choice(_BIRDS)
    club, club2 = rng.sample(_PLACES, 2)
    return dict(
        place=place, place2=place2, person=person, person2=person2, person3=person3,
        woman=woman, man=man, surname=rng.choice(_LAST), road=rng.choice(_ROADS),
        pub=rng.choice(_PUBS), cause=rng.choice(_CAUSES), crop=crop, Crop=crop.capitalize(),
        bird=bird, birds=birds, animal=rng.choice(_ANIMALS), race=race,
        club=f"{club} United", club2=f"{club2} Town", goals=rng.choice(_WORDS),
        homes=rng.randrange(12, 160, 4), count=f"{rng.randint(120, 4800):,}",
        small=rng.randint(60, 640), n=rng.randint(3, 19), rank=rng.randint(4, 16),
        age=rng.randint(9, 88), old=rng.randint(70, 91), percent=rng.randint(3, 41),
        weeks=rng.randint(2, 9),
        year=rng.randint(1968, 2022), hectares=rng.randrange(40, 900, 10),
        money=f"£{rng.randint(12, 980) * 10:,}", big_money=f"£{rng.randint(11, 480) * 1000:,}",
        minute=rng.randint(2, 44), minutes=rng.randint(fastest, slowest),
        seconds=rng.randint(10, 59),
        runs=rng.randint(240, 960), wickets=rng.randint(8, 61), founded=rng.randint(50, 99),
        members=rng.randint(3, 12) * 10, day=rng.choice(_DAYS), month=rng.choice(_MONTHS),
    )


FILLER_NEWEST = "2026-11-10T18:40:00+00:00"  # older than every edition-1 story
FILLER_STEP = timedelta(hours=5, minutes=13)
_KINDS_BY_SECTION = {s: [k for k, v in _KINDS.items() if v[0] == s] for s in SECTIONS}
_AUTHORS_BY_SECTION = {s: [n for n, p in STAFF.items() if p["section"] == s] for s in SECTIONS}
_FILLER_CACHE: list[dict] = []
_FILLER_LOCK = threading.Lock()


def _make_filler(i: int, titles: set[str], seen: set[str]) -> dict:
    section = list(SECTIONS)[i % len(SECTIONS)]
    published = datetime.fromisoformat(FILLER_NEWEST) - i * FILLER_STEP
    for attempt in range(200):
        rng = random.Random(f"fenmarsh-filler-{i}-{attempt}")
        kind = rng.choice(_KINDS_BY_SECTION[section])
        _, heads, pool = _KINDS[kind]
        v = _filler_vars(rng)
        title_t, lead_t = rng.choice(heads)
        title = title_t.format(**v)
        if title in titles:
            continue
        sentences = [s.format(**v) for s in rng.sample(pool, len(pool))]
        extra = [s.format(**v) for s in _SECTION_POOL[section] + _COMMON_POOL]
        rng.shuffle(extra)
        sentences += extra[:rng.randint(3, 6)]
        lead = lead_t.format(**v)
        body = [lead + " " + sentences.pop(0)]
        for _ in range(rng.randint(3, 5)):
            take = rng.randint(2, 3)
            body.append(" ".join(sentences[:take]))
            del sentences[:take]
            if not sentences:
                break
        while len(" ".join(body).split()) < 130 and sentences:
            body[-1] += " " + sentences.pop(0)
        body = [p for p in body if p]
        # distinctive: the lead and a sentence naming a person, both unseen so far
        named = [s for p in body[1:] for s in _sentences(p)
                 if any(v[k] in s for k in ("person", "person2", "person3", "woman", "man",
                                               "place2"))]
        snippets = [lead, *named[:1]]
        if len(snippets) < 2 or any(s in seen for s in snippets):
            continue
        titles.add(title)
        seen.update(snippets)
        authors = rng.sample(_AUTHORS_BY_SECTION[section], rng.choice([1, 1, 1, 2]))
        return dict(key=f"X{i + 1}", section=section, edition=1, place=v["place"],
                    title=title, authors=authors, published=published.isoformat(),
                    body=body, snippets=snippets, filler=True)
    raise RuntimeError(f"could not make filler story {i}")


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"£])", paragraph) if s]


def fillers(n: int) -> list[dict]:
    """The first ``n`` filler stories (internal records, newest first)."""
    with _FILLER_LOCK:
        if len(_FILLER_CACHE) < n:
            titles = {a["title"] for a in _FILLER_CACHE} | {a["title"] for a in _STORIES}
            seen = {s for a in _FILLER_CACHE for s in a["snippets"]}
            for i in range(len(_FILLER_CACHE), n):
                _FILLER_CACHE.append(_make_filler(i, titles, seen))
        return [dict(a) for a in _FILLER_CACHE[:n]]


# ============================================================================ helpers

def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "").replace("£", "")
                  ).strip("-")


def article_path(a: dict) -> str:
    d = moment(a["published"])
    return f"/{d:%Y/%m/%d}/{slugify(a['title'])}/"


def section_url(section: str, page: int = 1) -> str:
    return f"/section/{section}/" if page == 1 else f"/section/{section}/page/{page}/"


def human_date(iso: str, *, with_time: bool = True) -> str:
    d = moment(iso)
    text = f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"
    if not with_time:
        return text
    return f"{text}, {d.hour % 12 or 12}.{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


def names(authors: list[str]) -> str:
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def teaser(a: dict, words: int = 28) -> str:
    first = a["body"][0].split()
    return " ".join(first) if len(first) <= words else " ".join(first[:words]) + "…"


def lastmod(a: dict) -> str:
    return a.get("modified") or a["published"]


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda a: moment(a["published"]), reverse=True)


def _staff_anchor(name: str) -> str:
    return "/about/#" + slugify(name)


def _iso(when: datetime | str) -> str:
    d = moment(when) if isinstance(when, str) else when
    if d.tzinfo is None:
        raise ValueError(f"a time with a zone is needed: {when!r}")
    return d.astimezone(UTC).replace(microsecond=0).isoformat()


for _a in _STORIES:
    _a["path"] = article_path(_a)
    _a["filler"] = False

BY_KEY: dict[str, dict] = {a["key"]: a for a in _STORIES}
EDITED_PATH: str = BY_KEY[EDITED_KEY]["path"]
NEW_IN_EDITION_2: list[str] = [a["path"] for a in newest_first(_STORIES) if a["edition"] == 2]
NEWEST_PUBLISHED: str = max((a["published"] for a in _STORIES), key=moment)
STATIC_PATHS: list[str] = ["/about/", "/robots.txt"]

# ============================================================================ editions


def _stories(edition: int, edited_at: str | None, extra: int) -> list[dict]:
    """The internal records of one edition, newest first."""
    if edition not in (1, 2):
        raise ValueError(f"no edition {edition!r}: 1 or 2")
    out = []
    for a in _STORIES:
        if a["edition"] > edition:
            continue
        a = dict(a)
        if edition == 2 and a["key"] == EDITED_KEY:
            a["body"] = _edited_body(a["body"])
            a["modified"] = edited_at
            kept = [s for s in a["snippets"] if s != REMOVED_SNIPPET]
            a["snippets"] = [EDIT_SNIPPET, CORRECTION_SNIPPET, kept[0]]
        out.append(a)
    return newest_first(out + [dict(f, path=article_path(f)) for f in fillers(extra)])


def _truth(a: dict) -> dict:
    return {
        "path": a["path"], "url_path": a["path"], "title": a["title"],
        "authors": list(a["authors"]), "published": a["published"],
        "modified": a.get("modified"), "section": a["section"],
        "section_name": SECTIONS[a["section"]]["name"], "snippets": list(a["snippets"]),
        "edition_added": a["edition"], "filler": a["filler"], "body": list(a["body"]),
    }


def articles(edition: int, *, edited_at: datetime | str | None = None,
             extra_articles: int = 0) -> list[dict]:
    """Ground truth of an edition, newest first: path (= url_path), title, authors,
    published, modified (None unless edited; for edition 2 the edit time, ``edited_at``,
    which only a running instance knows: see ``Site.articles()``), section (key),
    section_name, snippets, edition_added, filler, body (the paragraphs)."""
    stamp = _iso(edited_at) if edited_at is not None else None
    return [_truth(a) for a in _stories(edition, stamp, extra_articles)]


def section_pages(section: str, edition: int, extra_articles: int = 0) -> int:
    count = sum(a["section"] == section for a in _stories(edition, None, extra_articles))
    return max(1, math.ceil(count / PER_PAGE))


def LISTING_PATHS(edition: int, extra_articles: int = 0) -> list[str]:
    """The pages that list stories: home, every section page, the feed and the sitemap."""
    return ["/", *(section_url(s, p) for s in SECTIONS
                   for p in range(1, section_pages(s, edition, extra_articles) + 1)),
            "/feed.xml", "/sitemap.xml"]


class _Edition:
    """One edition's stories and the indexes the pages need."""

    def __init__(self, number: int, edited_at: str | None, extra: int):
        self.number = number
        self.stories = _stories(number, edited_at, extra)
        self.by_path = {a["path"]: a for a in self.stories}
        self.by_section = {s: [a for a in self.stories if a["section"] == s] for s in SECTIONS}

    def pages(self, section: str) -> int:
        return max(1, math.ceil(len(self.by_section[section]) / PER_PAGE))

    def older_in_section(self, a: dict, count: int = 3) -> list[dict]:
        same = self.by_section[a["section"]]
        i = same.index(a)
        return same[i + 1:i + 1 + count]


# ============================================================================ pages

HTML = "text/html; charset=utf-8"


def shell(title: str, main: str, *, head: str = "", page_class: str = "page",
          footer_extra: str = "") -> str:
    nav = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a></li>'
                  for k, v in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="https://static.fenmarshgazette.example/css/gazette-4.2.css">
<link rel="alternate" type="application/rss+xml" title="{esc(SITE)}" href="/feed.xml">
{head}
</head>
<body class="{page_class}">
<header class="masthead">
<p class="masthead-title"><a href="/">{esc(SITE)}</a></p>
<p class="masthead-tagline">{esc(TAGLINE)}</p>
<nav class="primary-nav" aria-label="Sections"><ul><li><a href="/">Home</a></li>{nav}
<li><a href="/about/">About us</a></li></ul></nav>
</header>
<main id="main">
{main}
</main>
<footer class="site-footer">
<ul class="footer-links"><li><a href="/about/">About the Gazette</a></li>
<li><a href="/about/#contact">Contact the newsroom</a></li>
<li><a href="/feed.xml">RSS feed</a></li></ul>
<p class="print-promo">{esc(PRINT_PROMO)}</p>
<p class="legal">{esc(FOOTER_NOTE)}</p>{footer_extra}
</footer>
</body>
</html>
"""


def _byline(a: dict) -> str:
    links = [f'<a rel="author" href="{_staff_anchor(n)}">{esc(n)}</a>' for n in a["authors"]]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    return f"By {joined}"


def _article_head(a: dict, base: str, csrf: str | None) -> str:
    url = base + a["path"]
    section = SECTIONS[a["section"]]["name"]
    lines = [
        f'<link rel="canonical" href="{esc(url)}">',
        f'<meta name="description" content="{esc(teaser(a, 20))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(SITE)}">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:url" content="{esc(url)}">',
        f'<meta property="article:published_time" content="{a["published"]}">',
    ]
    if a.get("modified"):
        lines.append(f'<meta property="article:modified_time" content="{a["modified"]}">')
    lines.append(f'<meta property="article:section" content="{esc(section)}">')
    lines += [f'<meta name="author" content="{esc(n)}">' for n in a["authors"]]
    if csrf is not None:
        lines.append(f'<meta name="csrf-token" content="{csrf}">')
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a["title"],
        "description": teaser(a, 20),
        "datePublished": a["published"],
    }
    if a.get("modified"):
        data["dateModified"] = a["modified"]
    data.update({
        "author": [{"@type": "Person", "name": n, "url": base + _staff_anchor(n)}
                   for n in a["authors"]],
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE,
                      "logo": {"@type": "ImageObject",
                               "url": "https://static.fenmarshgazette.example/logo.png"}},
        "articleSection": section,
        "inLanguage": "en-GB",
    })
    script = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    lines.append(f'<script type="application/ld+json">\n{script}\n</script>')
    return "\n".join(lines)


def _paragraph(text: str) -> str:
    for label in ("Correction:", "Update:"):
        if text.startswith(label):
            return (f'<p class="correction"><strong>{label}</strong>'
                    f"{esc(text[len(label):])}</p>")
    return f"<p>{esc(text)}</p>"


def render_article(a: dict, edition: _Edition, base: str, *, dynamic: bool = False) -> str:
    section = SECTIONS[a["section"]]
    csrf = secrets.token_hex(16) if dynamic else None
    stamp = f'<time datetime="{a["published"]}">{human_date(a["published"])}</time>'
    updated = ""
    if a.get("modified"):
        updated = (f'<p class="updated">Updated <time datetime="{a["modified"]}">'
                   f'{human_date(a["modified"])}</time></p>')
    body = "\n".join(_paragraph(p) for p in a["body"])
    older = edition.older_in_section(a)
    more = "".join(f'<li><a href="{o["path"]}">{esc(o["title"])}</a> '
                   f'<span class="date">{human_date(o["published"], with_time=False)}</span></li>'
                   for o in older)
    more_list = f"<ul>{more}</ul>" if more else ""
    hidden = f'<input type="hidden" name="csrf_token" value="{csrf}">' if csrf else ""
    main = f"""<nav class="breadcrumb"><a href="/">Home</a> &rsaquo;
 <a href="{section_url(a["section"])}">{esc(section["name"])}</a></nav>
<article class="story">
<header class="story-header">
<p class="kicker">{esc(section["name"])}</p>
<h1 class="headline">{esc(a["title"])}</h1>
<p class="byline">{_byline(a)}</p>
<p class="dateline"><span class="place">{esc(a["place"].upper())}</span> &middot; {stamp}</p>
{updated}
</header>
<div class="story-body">
{body}
</div>
</article>
<aside class="newsletter"><h2>The Fen Letter</h2><p>{esc(NEWSLETTER)}</p>
<form action="/newsletter/" method="post">{hidden}<input type="email" name="email"
 placeholder="you@example.com"><button>Sign up</button></form></aside>
<aside class="more-from"><h2>More from {esc(section["name"])}</h2>{more_list}
<p><a href="{section_url(a["section"])}">All {esc(section["name"])} stories</a></p></aside>"""
    footer_extra = ""
    if dynamic:
        generated = datetime.now(UTC).strftime("%H:%M:%S.%f")
        footer_extra = f'\n<p class="generated">Page generated at {generated}</p>'
    return shell(f"{a['title']} | {SITE}", main, head=_article_head(a, base, csrf),
                 page_class="article-page", footer_extra=footer_extra)


def _story_item(a: dict) -> str:
    return (f'<li class="teaser"><h3><a href="{a["path"]}">{esc(a["title"])}</a></h3>'
            f'<p>{esc(teaser(a))}</p><p class="meta">'
            f'<time datetime="{a["published"]}">{human_date(a["published"], with_time=False)}'
            f'</time> &middot; {esc(names(a["authors"]))}</p></li>')


def _story_list(items: list[dict]) -> str:
    return '<ul class="story-list">' + "".join(_story_item(a) for a in items) + "</ul>"


def home_stories(edition: _Edition) -> list[dict]:
    return edition.stories[:HOME_COUNT]


def render_home(edition: _Edition) -> str:
    fronts = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a>: '
                     f'{esc(v["blurb"])}</li>' for k, v in SECTIONS.items())
    main = f"""<section class="latest"><h1>Latest news</h1>
{_story_list(home_stories(edition))}
</section>
<section class="fronts"><h2>Sections</h2><ul>{fronts}</ul></section>
<section class="print"><h2>In print</h2><p>{esc(PRINT_PROMO)}</p></section>"""
    head = f'<meta name="description" content="{esc(TAGLINE)}">'
    return shell(f"{SITE} | {TAGLINE}", main, head=head, page_class="home")


def section_stories(edition: _Edition, section: str, page: int) -> list[dict]:
    return edition.by_section[section][(page - 1) * PER_PAGE:page * PER_PAGE]


def render_section(edition: _Edition, section: str, page: int) -> str:
    info = SECTIONS[section]
    pages = edition.pages(section)
    head, pager = [], []
    if page > 1:
        head.append(f'<link rel="prev" href="{section_url(section, page - 1)}">')
        pager.append(f'<a class="newer" href="{section_url(section, page - 1)}">'
                     "Newer stories</a>")
    if page < pages:
        head.append(f'<link rel="next" href="{section_url(section, page + 1)}">')
        pager.append(f'<a class="older" href="{section_url(section, page + 1)}">'
                     "Older stories</a>")
    pager.append(f'<span class="count">Page {page} of {pages}</span>')
    main = f"""<h1 class="section-title">{esc(info["name"])}</h1>
<p class="section-blurb">{esc(info["blurb"])}</p>
{_story_list(section_stories(edition, section, page))}
<nav class="pager">{" ".join(pager)}</nav>"""
    title = info["name"] + (f" (page {page})" if page > 1 else "")
    return shell(f"{title} | {SITE}", main, head="\n".join(head), page_class="section-front")


ABOUT = paras("""
    The Fenmarsh Gazette has reported on Fenmarsh and the villages of the Levels since
    1871. It is printed every Thursday and published online every day.

    The newsroom is above the old corn merchant's at 9 Sheep Market. We welcome letters,
    tip-offs and photographs from readers, and we correct our mistakes openly: corrections
    appear at the foot of the story concerned.
""")


def render_about() -> str:
    staff = "".join(f'<li id="{slugify(n)}">{esc(n)}, {esc(p["role"])}</li>'
                    for n, p in STAFF.items())
    text = "".join(f"<p>{esc(p)}</p>" for p in ABOUT)
    main = f"""<h1>About the Gazette</h1>
<div class="about">{text}</div>
<h2>The newsroom</h2><ul class="staff">{staff}</ul>
<h2 id="contact">Contact</h2><p>news@fenmarshgazette.example &middot; 01632 960 871</p>"""
    return shell(f"About us | {SITE}", main, page_class="about-page")


def render_not_found() -> str:
    main = """<h1>Page not found</h1>
<p>Sorry, we could not find that page. It may have been moved or taken down.</p>
<p><a href="/">Go to the front page</a></p>"""
    return shell(f"Page not found | {SITE}", main, page_class="error-page")


def rfc822(iso: str) -> str:
    return format_datetime(moment(iso).astimezone(UTC), usegmt=True)


def feed_stories(edition: _Edition) -> list[dict]:
    return edition.stories[:FEED_COUNT]


def render_feed(edition: _Edition, base: str) -> str:
    stories = feed_stories(edition)
    items = "".join(f"""
<item>
<title>{esc(a["title"])}</title>
<link>{base}{a["path"]}</link>
<guid isPermaLink="true">{base}{a["path"]}</guid>
<pubDate>{rfc822(a["published"])}</pubDate>
{"".join(f"<dc:creator>{esc(n)}</dc:creator>" for n in a["authors"])}
<category>{esc(SECTIONS[a["section"]]["name"])}</category>
<description>{esc(teaser(a, 40))}</description>
</item>""" for a in stories)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{esc(SITE)}</title>
<link>{base}/</link>
<atom:link href="{base}/feed.xml" rel="self" type="application/rss+xml"/>
<description>{esc(TAGLINE)}</description>
<language>en-gb</language>
<lastBuildDate>{rfc822(stories[0]["published"])}</lastBuildDate>
<ttl>60</ttl>{items}
</channel>
</rss>
"""


def render_sitemap(edition: _Edition, base: str) -> str:
    urls = "".join(f"\n<url><loc>{base}{a['path']}</loc><lastmod>{lastmod(a)}</lastmod></url>"
                   for a in edition.stories)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}\n</urlset>\n')


def render_robots(base: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"


# ============================================================================ HTTP

_PAGE = re.compile(r"/section/([a-z]+)/page/(\d{1,6})/")
_SECTION = re.compile(r"/section/([a-z]+)/")
_TAG = re.compile(r'(?:W/)?"[^"]*"')


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(iso: str) -> str:
    return format_datetime(moment(iso).astimezone(UTC), usegmt=True)


def none_match(header: str, etag: str) -> bool:
    """If-None-Match matches ``etag`` (weak comparison; ``*`` matches anything)."""
    if header.strip() == "*":
        return True
    return any(t.removeprefix("W/") == etag.removeprefix("W/") for t in _TAG.findall(header))


def modified_since(values: list[str], last_modified: str) -> bool | None:
    """False when Last-Modified <= If-Modified-Since; None if the header is to be
    ignored (absent, several, or not an HTTP-date)."""
    if len(values) != 1:
        return None
    try:
        since = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError):
        return None
    if since is None:
        return None
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return moment(last_modified) > since


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    ctype: str = HTML
    last_modified: str | None = None  # ISO; None: no validators
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None


class _Instance:
    """One running site: its state and ``respond``."""

    def __init__(self, base: str, *, validators: bool, dynamic_chrome: bool,
                 extra_articles: int, article_delay: float):
        if extra_articles < 0 or article_delay < 0:
            raise ValueError("extra_articles and article_delay must not be negative")
        self.base = base
        self.validators = validators
        self.dynamic = dynamic_chrome
        self.extra = extra_articles
        self.delay = article_delay
        self.lock = threading.Lock()
        self.edition = 1
        self.edited_at: str | None = None
        self.editions: dict[int, _Edition] = {1: _Edition(1, None, extra_articles)}
        self.cache: dict[tuple[int, str], _Reply] = {}

    # ------------------------------------------------------------------ control

    def switch(self, n: int, at: datetime | str | None = None) -> None:
        if n not in (1, 2):
            raise ValueError(f"no edition {n!r}: 1 or 2")
        if n == 2:
            stamp = _iso(at) if at is not None else None
            with self.lock:
                fixed = self.edited_at
            if fixed is not None:
                if stamp is not None and stamp != fixed:
                    raise ValueError(f"edition 2 of this instance was edited at {fixed}")
            else:
                if stamp is None:
                    now = time.time()
                    second = math.floor(now) + 1
                    time.sleep(max(0.0, second - now) + 0.001)
                    stamp = datetime.fromtimestamp(second, UTC).isoformat()
                if moment(stamp) <= moment(NEWEST_PUBLISHED):
                    raise ValueError(f"the edit must be later than {NEWEST_PUBLISHED}")
                edition = _Edition(2, stamp, self.extra)
                with self.lock:
                    if self.edited_at is None:
                        self.edited_at = stamp
                        self.editions[2] = edition
        with self.lock:
            self.edition = n

    def _control(self, path: str, params: dict[str, str]) -> tuple | None:
        if path == "/__edition__":
            if "n" in params:
                try:
                    # a "+" of an unencoded zone offset arrives as a space
                    at = params.get("at", "").replace(" ", "+") or None
                    self.switch(int(params["n"]), at)
                except ValueError as error:
                    return 400, str(error).encode(), "text/plain; charset=utf-8"
            with self.lock:
                data = {"edition": self.edition, "edited_at": self.edited_at}
        else:
            return None
        return 200, json.dumps(data).encode(), "application/json"

    # ------------------------------------------------------------------ pages

    def _render(self, edition: _Edition, path: str) -> _Reply:
        """The page at ``path`` in ``edition`` (article pages without dynamic chrome)."""
        base = self.base
        if a := edition.by_path.get(path):
            return _Reply(200, render_article(a, edition, base).encode(), HTML, lastmod(a))
        if path == "/":
            return _Reply(200, render_home(edition).encode(), HTML,
                          home_stories(edition)[0]["published"])
        if path == "/feed.xml":
            return _Reply(200, render_feed(edition, base).encode(),
                          "application/rss+xml; charset=utf-8",
                          feed_stories(edition)[0]["published"])
        if path == "/sitemap.xml":
            return _Reply(200, render_sitemap(edition, base).encode(),
                          "application/xml; charset=utf-8",
                          max((lastmod(a) for a in edition.stories), key=moment))
        if path == "/robots.txt":
            return _Reply(200, render_robots(base).encode(), "text/plain; charset=utf-8",
                          ROBOTS_MODIFIED)
        if path == "/about/":
            return _Reply(200, render_about().encode(), HTML, ABOUT_MODIFIED)
        if (m := _SECTION.fullmatch(path)) and m.group(1) in SECTIONS:
            items = section_stories(edition, m.group(1), 1)
            return _Reply(200, render_section(edition, m.group(1), 1).encode(), HTML,
                          items[0]["published"])
        if (m := _PAGE.fullmatch(path)) and m.group(1) in SECTIONS:
            section, page = m.group(1), int(m.group(2))
            if page == 1:
                return _Reply(301, headers={"Location": section_url(section)})
            if 1 < page <= edition.pages(section):
                items = section_stories(edition, section, page)
                return _Reply(200, render_section(edition, section, page).encode(), HTML,
                              items[0]["published"])
        if not path.endswith("/") and (path + "/" in edition.by_path or path + "/" in
                                       ("/about/",) or _SECTION.fullmatch(path + "/")):
            return _Reply(301, headers={"Location": path + "/"})
        return _Reply(404, render_not_found().encode(), HTML)

    def _page(self, edition: _Edition, path: str) -> _Reply:
        if self.dynamic and path in edition.by_path:
            a = edition.by_path[path]
            body = render_article(a, edition, self.base, dynamic=True).encode()
            return _Reply(200, body, HTML, lastmod(a), etag=etag_of(body))
        key = (edition.number, path)
        with self.lock:
            reply = self.cache.get(key)
        if reply is None:
            reply = self._render(edition, path)
            if reply.status == 200:
                reply.etag = etag_of(reply.body)
            with self.lock:
                self.cache[key] = reply
        return reply

    def _answer(self, reply: _Reply, headers) -> tuple:
        """Apply validators and the conditional headers to a reply."""
        extra = dict(reply.headers)
        if reply.status != 200:
            return reply.status, reply.body, reply.ctype, extra
        extra["Cache-Control"] = "no-cache"
        if not self.validators or reply.last_modified is None:
            return 200, reply.body, reply.ctype, extra
        assert reply.etag is not None
        extra["ETag"] = reply.etag
        extra["Last-Modified"] = http_date(reply.last_modified)
        inm = headers.get("If-None-Match")
        if inm is not None:
            fresh = none_match(inm, reply.etag)
        else:
            fresh = modified_since(headers.get_all("If-Modified-Since") or [],
                                   reply.last_modified) is False
        if fresh:
            return 304, b"", reply.ctype, extra
        return 200, reply.body, reply.ctype, extra

    def respond(self, request: Request) -> tuple:
        path, query = request.path, request.query
        control = self._control(path, dict(parse_qsl(query, keep_blank_values=True)))
        if control is not None:
            return control
        request.notes["edition"] = None  # the edition answered, once it is
        with self.lock:
            edition = self.editions[self.edition]
        if self.delay and path in edition.by_path:
            time.sleep(self.delay)
            with self.lock:  # answer with the edition current after the wait
                edition = self.editions[self.edition]
        reply = self._answer(self._page(edition, path), request.headers)
        request.notes["edition"] = edition.number
        return reply


class Site:
    """A running instance of the Fenmarsh Gazette (see ``serve``)."""

    def __init__(self, running: RunningSite, instance: _Instance):
        self._running = running
        self._site = instance
        self.base = running.base

    def url(self, path: str) -> str:
        return self._running.url(path)

    @property
    def edition(self) -> int:
        return self._site.edition

    @property
    def edited_at(self) -> str | None:
        """The edit time of edition 2 (ISO, UTC), once the site has switched to it."""
        return self._site.edited_at

    def set_edition(self, n: int, *, at: datetime | str | None = None) -> None:
        """Switch to edition ``n``. The first switch to 2 stamps the edit with ``at`` or,
        by default, the current time rounded up to the next whole second (this waits for
        that second to begin: at most a second)."""
        self._site.switch(n, at)

    def articles(self, edition: int | None = None) -> list[dict]:
        """Ground truth of an edition (default: the current one) of this instance, with
        its filler stories and its edit time."""
        n = self.edition if edition is None else edition
        if n == 2 and self.edited_at is None:
            raise ValueError("this instance has not switched to edition 2 yet")
        return articles(n, edited_at=self.edited_at if n == 2 else None,
                        extra_articles=self._site.extra)

    def listing_paths(self, edition: int | None = None) -> list[str]:
        return LISTING_PATHS(self.edition if edition is None else edition, self._site.extra)

    def requests(self) -> list[dict]:
        """One dict per request (control endpoints excluded), in arrival order; besides
        the server's fields (``RunningSite.requests``), ``edition``: the edition
        answered (None while being answered)."""
        return self._running.requests()

    def reset_requests(self) -> None:
        self._running.reset_requests()

    def shutdown(self) -> None:
        """Stop serving and close the listening socket."""
        self._running.shutdown()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def serve(*, validators: bool = True, dynamic_chrome: bool = False, extra_articles: int = 0,
          article_delay: float = 0.0) -> Site:
    """Start a fresh instance (edition 1, empty request log) on 127.0.0.1, port 0."""
    made: dict[str, _Instance] = {}

    def start(base: str):
        made["site"] = _Instance(base, validators=validators, dynamic_chrome=dynamic_chrome,
                                 extra_articles=extra_articles, article_delay=article_delay)
        return made["site"].respond

    running = serve_site(start, name="changing-editions-site", server_version="nginx/1.26.2")
    return Site(running, made["site"])
