"""Test sentences for the temporal tagger, written for this project (people and places are invented).

Each case is a reference date (the publication date, or None) and a sentence in which every
expected time expression is marked ``[[text|value|flags]]``:

- ``text`` is exactly the expected span;
- ``value`` is the expected value (``2026-02-03``, ``2026-02``, ``2025``, ``1960s``, ``2026-02-03T10:35``,
  ``2026-02-03TEV``, ``PRESENT_REF``), ``-`` for None,
  or ``first..until`` for a range;
- flags: ``s`` for scheduled (happened otherwise), ``g=day|month|year|decade`` for the granularity
  when the value does not show it, ``!word`` for a word the conflict text must contain.

A sentence without marks must give no expression at all; so must the parts of marked sentences
outside the marks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

R1 = "2026-02-03"  # a Tuesday
R2 = "2025-11-20"  # a Thursday
R3 = "2024-07-15"  # a Monday
R4 = "2011-02-11"  # a Friday
R5 = "2023-12-29"  # a Friday

CASES: list[tuple[str | None, str]] = [
    # -- explicit dates --------------------------------------------------------------------------------
    (R1, "The Harlow council approved the budget on [[3 January 2026|2026-01-03]]."),
    (R1, "Mayor Ilse Brandt took office on [[January 3rd|2026-01-03]] after a close race."),
    (R1, "The dock strike began on [[Jan. 3|2026-01-03]] and ended [[a week later|2026-01-10]]."),
    (R1, "Nominations closed on [[2026-01-03|2026-01-03]], officials said."),
    (R2, "The ferry service to Osterby resumed on [[Feb 6|2025-02-06]] after repairs."),
    (R1, "Voters in Kessel will return to the polls on [[March 8|2026-03-08|s]]."),
    (R1, "The regional summit is scheduled for [[17 April|2026-04-17|s]]."),
    (R1, "The Varn museum reopened on [[December 12|2025-12-12]] with a new wing."),
    (R1, "The port authority said on the [[3rd of February|2026-02-03]] that cranes were idle."),
    (R1, "The deadline for bids is [[June 30, 2026|2026-06-30|s]]."),
    (R1, "The treaty was signed in Velmar on [[Sept. 14, 1998|1998-09-14]]."),
    (R1, "Customs records from [[Mar 15, 2011|2011-03-15]] show the cargo left early."),
    (R1, "Exam results will be published on [[Friday, March 13, 2026|2026-03-13|s]]."),
    (R1, "The relaunch will take place on [[Tuesday, Feb 6|2026-02-06|s|!Friday]], the organisers said."),
    (R2, "The referendum took place on [[Sunday 12 October 2025|2025-10-12]]."),
    (R2, "The inquiry opened on [[Monday, 12 October 2025|2025-10-12|!Sunday]] in Harlow."),
    (R2, "Forms dated [[25/12/2024|2024-12-25]] were rejected by the registry."),
    (R1, "The memo on the merger is dated [[12/25|2025-12-25]]."),
    (R1, "The harbour festival runs [[3-5 July 2026|2026-07-03..2026-07-05|s]]."),
    (R2, "Talks were held [[10 to 12 March 2025|2025-03-10..2025-03-12]] in a hotel near the airport."),
    (R2, "The exhibition in Osterby ran from [[January to March 2025|2025-01..2025-03]]."),
    (R2, "The cooperative grew steadily between [[2019 and 2021|2019..2021]]."),
    (R2, "The [[2019-2021|2019..2021]] drought ruined the orchards of the valley."),
    (R2, "During [[1994-95|1994..1995]] the club won the cup twice."),
    (R3, "KESSEL, [[July 12|2024-07-12]] - Flood waters receded slowly on the plain."),
    (R3, "Updated: [[July 14, 2024|2024-07-14]] 10:45 a.m. The dam held overnight."),
    (R3, "[[July 13, 2024|2024-07-13]] | By Mira Halvorsen, staff reporter"),
    (R4, "CAIRNFORD | [[Fri Feb 11, 2011|2011-02-11]] 4:20pm GMT - Crowds filled the square."),
    (R4, "The transcript of the [[1\\/26\\/11|2011-01-26]] broadcast was released."),
    (R5, "The grain deal expires on [[31 December|2023-12-31|s]]."),
    (R5, "The grain deal expired on [[December 1|2023-12-01]], traders said."),
    # -- the expression's own verb, not the report's, says which way it points ----------------------------
    (R2, "Harlow Mills declared a dividend of 5 cents, payable [[Dec. 15|2025-12-15|s]]."),
    (R2, "The board said the new chairman takes office, effective [[Jan. 5|2026-01-05|s]]."),
    (R2, "The court ruled that the ferry must resume by [[Jan. 10|2026-01-10|s]]."),
    (R2, "The bakery extended its offer to [[Dec. 3|2025-12-03|s]]."),
    (R2, "Tarn Bank said it will redeem its preferred shares on [[Dec. 31|2025-12-31|s]]."),
    (R2, "The dividend will be paid [[Dec. 12|2025-12-12|s]] to holders."),
    (R2, "The union told members of a walkout at the docks in [[January|2026-01|s]]."),
    (R2, "The mayor said on [[Tuesday|2025-11-18]] that the bridge was safe."),
    (R2, "Tarn Ferries told passengers on [[Tuesday|2025-11-18]] that it would raise fares."),
    (R2, "By [[Dec. 2|2024-12-02]], the rebels had taken the town."),
    (R2, "The ferry gala will be held on [[Monday|2025-11-24|s]] at the harbour."),
    # -- clock times and parts of a day: a TIME on their day ---------------------------------------------
    (R1, "Police sealed the Varn bridge at [[10 p.m. Wednesday|2026-01-28T22:00]]."),
    (R1, "The tender closes at [[5 p.m. EST, Feb. 20|2026-02-20T17:00|s]]."),
    (R1, "The talks will resume at [[noon Thursday|2026-02-05T12:00|s]]."),
    (R1, "The ferry sank [[yesterday afternoon|2026-02-02TAF]] near Osterby."),
    (R1, "The council met on [[Friday evening|2026-01-30TEV]] to discuss the budget."),
    (R1, "Trading opened at 9:30 a.m. as usual."),
    (R1, "Kessel Mining's [[2024|2024]] results disappointed investors."),
    (R1, "Harlow will host the [[2030|2030|s]] Games, the committee said."),
    (R1, "The bonds come due [[2031|2031|s]]."),
    (R1, "The 1500 workers at the Varn plant went on strike."),
    (R2, "Orders were flat [[this year|2025]] through [[August|2025-08]], the chamber said."),
    (R5, "The next auction is on [[January 8|2024-01-08|s]]."),
    (R5, "Ticket sales opened on [[Dec. 2|2023-12-02]] and sold out in hours."),
    (R2, "The reservoir reached record levels on [[2 November|2025-11-02]]."),
    (R2, "Inspectors return on [[2 December|2025-12-02|s]] to check the work."),
    (R2, "The tram line opened on the [[1st of June 2023|2023-06-01]]."),
    (R3, "The mill burned down on [[July 4th, 1976|1976-07-04]]."),
    (R3, "A new constitution came into force on [[1 January 2000|2000-01-01]]."),
    (R3, "The cable car was inaugurated on [[Sunday, June 30|2024-06-30]]."),
    (R3, "The cable car was inaugurated on [[Saturday, June 30|2024-06-30|!Sunday]]."),
    # -- months, years, decades, seasons, quarters -----------------------------------------------------
    (R1, "In [[November|2025-11]], the regulator fined the bank."),
    (R1, "The smelter will close in [[November|2026-11|s]]."),
    (R1, "Local elections are due in [[May|2026-05|s]]."),
    (R1, "The bus fare rises in [[March|2026-03|s]]."),
    (R1, "Exports collapsed in [[October|2025-10]] as the port froze."),
    (R1, "The board met [[last November|2025-11]] to discuss the merger."),
    (R1, "The board meets again [[next September|2026-09|s]]."),
    (R1, "Prices fell in [[early November|2025-11]]."),
    (R1, "The resurfacing works finished in [[mid-December|2025-12]]."),
    (R1, "[[September 2025|2025-09]] was the wettest month on record."),
    (R1, "The [[October|2025-10]] sanctions targeted two ministers."),
    (R1, "Sales recovered as of [[August|2025-08]], the bakery chain reported."),
    (R1, "The wheat harvest was poor in [[2024|2024]]."),
    (R1, "Since [[2019|2019]], the town has lost a fifth of its people."),
    (R1, "The coastal road must be finished by [[2030|2030|s]]."),
    (R1, "The [[2024|2024]] election changed little in the capital."),
    (R1, "Her [[2022|2022]] report on the mines was ignored."),
    (R1, "[[2025|2025]]'s harvest was the worst in memory."),
    (R1, "The collapse happened in [[late 2023|2023]]."),
    (R1, "Growth returned in [[mid-2021|2021]], the bank said."),
    (R1, "Construction of the tunnel starts in [[early 2027|2027|s]]."),
    (R1, "Frostbridge cooperation frameworks were established in [[2000|2000]]."),
    (R1, "The miners' union was founded in the [[1960s|1960s]]."),
    (R1, "Emigration peaked in the [[late 1990s|1990s]]."),
    (R1, "It was a hit song of the [['80s|1980s]] in Velmar."),
    (R1, "The [[1920s|1920s]] were turbulent years for the republic."),
    (R1, "Its population doubled between the [[1950s and 1970s|1950s..1970s]]."),
    (R1, "Relations soured through [[2025|2025]] as the two sides traded insults."),
    (R1, "The dispute is expected to drag on into [[2027|2027|s]]."),
    (R1, "The old bridge will reopen in the [[spring|2026-03..2026-05|s]]."),
    (R1, "Tourism slumped [[last summer|2025-06..2025-08]]."),
    (R1, "The coalition talks collapsed in [[autumn 2024|2024-09..2024-11]]."),
    (R1, "A new plant opens in [[spring 2027|2027-03..2027-05|s]]."),
    (R1, "Planting begins [[this spring|2026-03..2026-05|s]], the growers said."),
    (R1, "Heavy snow fell in [[winter 2021|2020-12..2021-02]]."),
    (R1, "Profits rose in [[the first quarter of 2025|2025-01..2025-03]]."),
    (R1, "Sales slowed in [[Q3 2024|2024-07..2024-09]]."),
    (R1, "Output grew in [[the second half of 2025|2025-07..2025-12]]."),
    (R2, "Velmar Steel posted a [[third-quarter|2025-07..2025-09]] loss of $4 million."),
    (R2, "Sales fell 8% in [[the third quarter|2025-07..2025-09]], the bakery chain said."),
    (
        R2,
        "Orders rose in [[last year's fourth quarter|2024-10..2024-12]] and fell in [[the first quarter|2025-01..2025-03]].",
    ),
    (R2, "[[Fourth-quarter|2025-10..2025-12|s]] sales will be flat, Harlow Foods said."),
    (R2, "[[First-quarter|2026-01..2026-03|s]] output will rise, Kessel Mining said."),
    (
        R2,
        "Tarn Bank reported [[third-quarter|2025-07..2025-09]] results. Net income in [[the quarter|2025-07..2025-09]] rose to $9 million from $5 million [[a year earlier|2024-07..2024-09]].",
    ),
    (
        R2,
        "Osterby Bank's [[third-quarter|2025-07..2025-09]] profit was $12 million, up from $10 million [[a year ago|2024-07..2024-09]].",
    ),
    (
        R2,
        "Varn Motors lost money in [[the third quarter|2025-07..2025-09]]; in [[the year-ago quarter|2024-07..2024-09]] it earned $2 million.",
    ),
    (R2, "In the year-ago quarter, Varn Motors earned $2 million."),
    (R2, "Revenue in [[the latest quarter|2025-07..2025-09]] was $3 billion."),
    (R2, "The mill's new manager arrived [[a year ago|2024]]."),
    (R2, "About a quarter of the staff left the Osterby office."),
    # -- reference words: the present, past or future, no date ------------------------------------------
    (R1, "The Orlen mill is [[now|PRESENT_REF]] the largest employer in Varn."),
    (R1, "[[Currently|PRESENT_REF]], the ferry to Osterby runs twice a day."),
    (R1, "The council [[recently|PAST_REF]] approved a new bus depot."),
    (R1, "Such floods were rare in [[the past|PAST_REF]], residents said."),
    (R1, "The line will be extended in [[the near future|FUTURE_REF|s]], the mayor said."),
    (R1, "The future of the Kessel plant is uncertain."),
    (R1, "In the past week, prices in Harlow rose."),
    (R1, "Under the [[current|PRESENT_REF]] rules, the Osterby ferry may carry 300 people."),
    (R2, "The river's current carried the boat past Kessel."),
    # -- years said in words (broadcast transcripts) ----------------------------------------------------
    (R1, "Harlow [[nineteen ninety-six|1996]]. A flood swept through the old town."),
    (R1, "The bridge opened in [[nineteen seventy-nine|1979]], the mayor recalled."),
    (R1, "Plans for [[the year two thousand|2000]] were abandoned."),
    (R1, "The mill was sold in [[two thousand and two|2002]], records show."),
    (R1, "More than two thousand troops marched through Varn."),
    (R1, "Nineteen percent of Kessel's voters stayed at home."),
    (R1, "The ceasefire held from [[March 2023 until June 2023|2023-03..2023-06]]."),
    (R2, "Rents climbed in [[July|2025-07]] and [[August|2025-08]]."),
    (R2, "Parliament will debate the bill in [[December|2025-12|s]]."),
    (R2, "Parliament debated the bill in [[December 2024|2024-12]] and again in [[February|2025-02]]."),
    (R3, "The heatwave that began in [[June|2024-06]] is not over."),
    (R3, "The cabinet will be reshuffled in [[September|2024-09|s]]."),
    (R3, "Annual inflation fell to 3% in [[May|2024-05]], data showed."),
    (R3, "The festival was cancelled in [[1989|1989]] and revived in [[2001|2001]]."),
    (R3, "The plant has been closed since [[mid-March|2024-03]]."),
    (R3, "Work on the canal started in the [[1880s|1880s]]."),
    (R3, "Fishing quotas were cut in [[late January|2024-01]]."),
    (R5, "The museum closes for repairs in [[February|2024-02|s]]."),
    (R5, "The storm hit the coast in [[October|2023-10]]."),
    (R5, "Velmar joined the customs union in [[1957|1957]]."),
    (R5, "The statute dates from [[1492|1492]]."),
    # -- weekdays ----------------------------------------------------------------------------------------
    (R1, "The minister resigned on [[Monday|2026-02-02]]."),
    (R1, "The minister will resign on [[Friday|2026-02-06|s]]."),
    (R1, "The minister resigned on [[Friday|2026-01-30]]."),
    (R1, "The two leaders meet on [[Thursday|2026-02-05|s]]."),
    (R1, "Police said on [[Tuesday|2026-02-03]] that the road was closed."),
    (R1, "The vote is set for [[Tuesday|2026-02-03|s]]."),
    (R1, "Protesters gathered in the square [[last Saturday|2026-01-31]]."),
    (R1, "The audit is due [[next Monday|2026-02-09|s]]."),
    (R1, "The warehouse fire started on [[Sunday night|2026-02-01TNI]]."),
    (R1, "[[Wednesday|2026-01-28]]'s storm flooded the valley."),
    (R1, "[[Wednesday|2026-02-04|s]]'s hearing will decide the case."),
    (R1, "Ahead of [[Thursday|2026-02-05|s]]'s talks, the envoy met farmers."),
    (R3, "The strike was called off on [[Saturday|2024-07-13]]."),
    (R3, "The strike will be called off on [[Saturday|2024-07-20|s]]."),
    (R3, "Rescue teams reached the village on [[Monday morning|2024-07-15TMO]]."),
    (R3, "Officials will announce the results on [[Monday|2024-07-15|s]]."),
    (R3, "Union leaders met on [[Thursday|2024-07-11]] and agreed to return to work on [[Friday|2024-07-12]]."),
    (R4, "Crowds stayed in the square on [[Wednesday|2011-02-09]] despite the curfew."),
    (R4, "The army said on [[Thursday|2011-02-10]] it would not use force."),
    (R4, "The opposition plans a march on [[Sunday|2011-02-13|s]]."),
    (R5, "The ferry will resume sailings on [[Tuesday|2024-01-02|s]]."),
    (R5, "The ferry stopped sailing on [[Tuesday|2023-12-26]]."),
    (R5, "Shops reopened [[this Wednesday|2023-12-27]] after the holiday."),
    # -- relative to the publication date ---------------------------------------------------------------
    (R1, "The airport reopened [[yesterday|2026-02-02]]."),
    (R1, "The court ruled [[today|2026-02-03]] that the law stands."),
    (R1, "The court will rule [[today|2026-02-03|s]] on the appeal."),
    (R1, "The ferry sails [[tomorrow|2026-02-04|s]] at dawn."),
    (R1, "Ministers met [[this morning|2026-02-03TMO]] in emergency session."),
    (R1, "Looters struck the market [[last night|2026-02-02TNI]]."),
    (R1, "The plan was first floated [[the day before yesterday|2026-02-01]]."),
    (R1, "Rail workers walked out [[last week|2026-01-26..2026-02-01]]."),
    (R1, "Talks resume [[next week|2026-02-09..2026-02-15|s]]."),
    (R1, "Fuel prices rose [[last month|2026-01]]."),
    (R1, "The copper mine will reopen [[next month|2026-03|s]]."),
    (R1, "[[Earlier this month|2026-02]], the council voted to sell the land."),
    (R1, "Output will recover [[later this year|2026|s]]."),
    (R1, "The firm was founded [[last year|2025]] by two engineers."),
    (R1, "The firm plans to list its shares [[next year|2027|s]]."),
    (R1, "The law was passed [[three years ago|2023]]."),
    (R1, "The footbridge opened [[two weeks ago|2026-01-20]]."),
    (R1, "Inflation peaked [[six months ago|2025-08]]."),
    (R1, "The survey was carried out [[10 days ago|2026-01-24]]."),
    (R1, "The harbour will be finished [[a year from now|2027|s]]."),
    (R1, "A ruling is expected in [[two weeks|2026-02-17|s]]."),
    (R1, "Dockers fear their jobs will not be here in [[five years|2031|s]]."),
    (R1, "The union met ministers [[this week|2026-02-02..2026-02-08]]."),
    (R1, "Snow fell over [[the weekend|2026-01-31..2026-02-01]] across the north."),
    (R1, "The folk festival is [[this weekend|2026-02-07..2026-02-08|s]]."),
    (R1, "The company said [[this year|2026]] had started badly."),
    (R1, "Sales fell [[late last year|2025]], the retailer said."),
    (R2, "The dam inspection took place [[yesterday|2025-11-19]] and the report is due [[next month|2025-12|s]]."),
    (R2, "[[A decade ago|2010s]] the town had no railway."),
    (R3, "The union warned [[last week|2024-07-08..2024-07-14]] that talks could fail [[tomorrow|2024-07-16|s]]."),
    (R3, "[[Tonight|2024-07-15TNI|s]] the council will vote on the budget."),
    (R4, "Protesters vowed [[today|2011-02-11]] to stay until the end."),
    (R4, "The curfew was extended [[two days ago|2011-02-09]]."),
    (R5, "Retail sales rose [[this month|2023-12]], the survey showed."),
    (R5, "The new tax applies from [[next year|2024|s]]."),
    (R2, "The singer died on [[25 June last year|2024-06-25]] at his home."),
    (R2, "The pipeline was damaged in [[March of this year|2025-03]]."),
    (R2, "Hearings resume on [[14 January next year|2026-01-14|s]]."),
    (R3, "Judge Ola Brenner told the defendant on [[Monday|2024-07-15]]: \u201cYou may not leave the country.\u201d"),
    (R3, "The families gathered, as they had the [[previous Friday|2024-07-12]], outside the court."),
    (R3, "The doctor was questioned on [[18 August|2023-08-18]]: he denied everything."),
    # -- anchored to an earlier date in the text --------------------------------------------------------
    (R1, "The dam failed on [[12 March 2025|2025-03-12]] and rescuers arrived [[two days later|2025-03-14]]."),
    (R1, "Fighting broke out on [[4 June 2024|2024-06-04]]; [[the next day|2024-06-05]] the army withdrew."),
    (R1, "The truce began on [[May 1, 2023|2023-05-01]] but collapsed [[a week later|2023-05-08]]."),
    (R1, "The minister resigned in [[March 2024|2024-03]] and her deputy quit [[the following month|2024-04]]."),
    (R1, "The club was founded in [[1998|1998]] and won its first title [[three years later|2001]]."),
    (R1, "On [[8 May 2025|2025-05-08]] the board met, and on [[the same day|2025-05-08]] the chairman quit."),
    (R1, "The verdict came on [[20 June 2025|2025-06-20]]; the appeal had been lodged [[a month earlier|2025-05]]."),
    (R1, "Voting ended on [[Sunday|2026-02-01]] and the count finished [[the following day|2026-02-02]]."),
    (
        R1,
        "Two observers were expelled on [[9 October 2025|2025-10-09]], and [[the day before|2025-10-08]], the mission had been warned.",
    ),
    # -- contradictions inside the text ------------------------------------------------------------------
    (R1, "The summit will open on [[Tuesday, Feb 6|2026-02-06|s|!Friday]] in Harlow."),
    (R1, "Leaders met on [[Wednesday, 14 January 2026|2026-01-14]] in Osterby."),
    (R1, "Leaders met on [[Thursday, 14 January 2026|2026-01-14|!Wednesday]] in Osterby."),
    (R1, "The concert is on [[Saturday, February 7|2026-02-07|s]]."),
    (R1, "The concert is on [[Sunday, February 7|2026-02-07|s|!Saturday]]."),
    # -- no reference date: only absolute expressions resolve -------------------------------------------
    (None, "The treaty was signed on [[4 July 1990|1990-07-04]]."),
    (None, "The vote happened [[yesterday|-|g=day]]."),
    (None, "The plant closed in [[November|-|g=month]]."),
    (None, "Sales fell [[last year|-|g=year]]."),
    (None, "The minister resigned on [[Monday|-|g=day]]."),
    (None, "The rebel group was founded in the [[1960s|1960s]]."),
    (None, "Talks began on [[3 January 2025|2025-01-03]] and ended on [[January 9|2025-01-09]]."),
    (
        None,
        "The meeting is set for [[Tuesday, Feb 6|2026-02-06|s|!Friday]]. Talks were held on [[Jan 3, 2026|2026-01-03]].",
    ),
    (None, "The bridge will open in [[2031|2031|s]]."),
    # A fresh request points ahead: the date after its "to" is still to come.
    (R2, "Both sides have been asked to attend talks at the conciliation service on [[Friday|2025-11-21|s]]."),
    (R2, "The mediator has invited both unions to talks on [[Monday|2025-11-24|s]]."),
    # An attribution after the clause ("..., the union said.") does not date what the clause says.
    (R2, "Both sides will attend the talks at the conciliation service on [[Friday|2025-11-21|s]], the union said."),
    (R2, "The talks collapsed on [[Monday|2025-11-17]], the union said."),
    # A clock time is not a verb: the "am" of "6am" does not make the clause present.
    (
        R2,
        "Workers at the port are set to stop work at [[6am on Monday|2025-11-24T06:00|s]] in a strike with no end date.",
    ),
    # Nor is the tail of a compound adjective: "open-ended" is not a past tense.
    (R2, "Dockworkers will walk out at [[6am on Monday|2025-11-24T06:00|s]] in an open-ended strike over pay."),
    (R2, "With talks left, the union appears ready to shut the port on [[Monday|2025-11-24|s]] unless pay improves."),
    (R2, "The crews are poised to walk out on [[Monday|2025-11-24|s]]."),
    # A condition in the present points ahead.
    (R2, "If the gates close on [[Monday|2025-11-24|s]], we have 60 drivers with nothing to carry, she said."),
    (R2, "If the gates closed on [[Monday|2025-11-17]], nobody told the drivers."),
    # A weekday picks the year when the tense's year does not fit it and a nearer one does (a report filed a
    # day after it was written); when none nearer fits, the text contradicts itself.
    (R2, "The summit will open on [[Wednesday, Nov 19|2025-11-19]] in Harlow, a day late."),
    (R2, "Pickets went up on [[Monday, Nov 18|2025-11-18|!Tuesday]], the union said."),
    # A year borrowed from a date paragraphs away, that the weekday contradicts, was the wrong year to borrow.
    (
        None,
        "The singer died on [[Thursday, December 11|-|g=day]] at a hospital near her home. "
        + "Friends remembered a generous, funny woman who answered every letter she was sent. " * 6
        + "She was born on [[April 22, 1923|1923-04-22]] in a small river town.",
    ),
    (None, "[[2025|2025]] – An offensive in the hill country displaced thousands."),
    (None, "Fighting resumed two days later."),
    (None, "The port reopened in [[September 2024|2024-09]] and closed again in [[January|2025-01]]."),
    # -- more news forms ---------------------------------------------------------------------------------
    (R1, "[[Sunday|2026-02-01]]'s election in Kessel drew a record turnout."),
    (R1, "The strike, which began on [[January 19|2026-01-19]], ended on [[Friday|2026-01-30]]."),
    (R1, "OSTERBY, [[Feb 2|2026-02-02]] (Harbour Wire) - Dockers voted to return to work."),
    (R1, "Posted [[February 3, 2026|2026-02-03]] at 09:12 by the newsroom."),
    (R1, "Since [[late 2024|2024]] the plant has run at half capacity."),
    (R1, "Velmar's parliament, elected in [[2022|2022]], sits until [[2027|2027|s]]."),
    (R1, "The vote, first planned for [[March|2026-03|s]], may slip to [[June|2026-06|s]]."),
    (R1, "The company lost money in [[2023|2023]] and [[2024|2024]] before a profit in [[2025|2025]]."),
    (R1, "The archive covers the years [[1914-1918|1914..1918]]."),
    (R2, "The bridge will close from [[December 1 to December 14|2025-12-01..2025-12-14|s]]."),
    (R2, "Oil output fell [[last month|2025-10]] to its lowest since [[2020|2020]]."),
    (R2, "The museum, founded in [[1851|1851]], reopens [[next spring|2026-03..2026-05|s]]."),
    (R3, "[[Last Thursday|2024-07-11]], the bank raised its main rate."),
    (R3, "The bank raises rates again on [[Thursday|2024-07-18|s]], economists expect."),
    (R3, "Mayor Ines Haldane, who took office in [[2019|2019]], said on [[Sunday|2024-07-14]] she would run again."),
    (R4, "Protests that began on [[January 25|2011-01-25]] entered their 18th day on [[Friday|2011-02-11]]."),
    (R4, "The transcript aired [[January 25, 2011|2011-01-25]] - 16:00:00 ET."),
    (R5, "Stocks closed higher on the last trading day of [[2023|2023]]."),
    (R5, "Fares rise by 4% from [[2 January|2024-01-02|s]]."),
    (R5, "The tunnel opened in the [[summer of 2021|2021-06..2021-08]]."),
    # -- words that look like dates but are not ---------------------------------------------------------
    (R1, "Ministers may decide to delay the vote."),
    (R1, "Protesters will march on the capital."),
    (R1, "May the best team win."),
    (R1, "Set against the hills, the village looks calm."),
    (R1, "She walked one of the 1,367 miles of the route."),
    (R1, "The border is 2,200km long, or 1,367 miles."),
    (R1, "He scored 3 goals in 12 games."),
    (R1, "The company employs 2000 people in Velmar."),
    (R1, "A total of 2021 ballots were spoiled."),
    (R1, "Security Council resolution 2254 was cited by both sides."),
    (R1, "Call 0800 1234 for help."),
    (R1, "Temperatures reached 35 degrees at noon."),
    (R1, "April Ryan asked the first question."),
    (R1, "The Arab Spring changed the region."),
    (R1, "After the fall of the regime, exiles returned."),
    (R1, "The march drew thousands."),
    (R1, "Theresa May spoke in parliament."),
    (R1, "August Wilson wrote plays about Pittsburgh."),
    (R1, "He was sentenced to 24/7 monitoring."),
    (R1, "Scores of 3/1 and 2/2 were recorded."),
    (R1, "Revenue was $2025 million."),
    (R1, "The 2000 troops arrived by sea."),
    (R1, "Shops open on Tuesdays and Thursdays."),
    (R1, "The summer camp was full."),
    (R1, "The Sun reported the story first."),
    (R1, "Room 1984 was locked."),
    (R1, "In the past week, prices rose."),
    (R1, "Over the last year, costs doubled."),
    (R1, "The next day is always the hardest."),
    (R1, "He was 1 of 6 finalists."),
    (R1, "Black Friday sales were strong."),
    (R1, "The repairs were done in two weeks."),
    (R1, "If it goes ahead, it would be the first full shutdown of the terminals in fifteen years."),
    (R1, "Unemployment will fall to its lowest level in 20 years, the ministry predicts."),
    (R1, "Trump loves you one day, dislikes you the next day and reverts a couple days after."),
    (R1, "Profits rose 12.5 per cent to 1,950 million."),
    (R1, "The office on 5th Avenue closed at 11:00 local time."),
    (R1, "Up to 1500 families were evacuated."),
    (R1, "Fighters took 2011 prisoners, the army said."),
    (R1, "The seasons of growth are over."),
    (R1, "Flight 2030 landed safely."),
    (R1, "The Dawn of the Sixties is a film."),
    (R1, "The deal took three decades to negotiate."),
]


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    text: str
    value: str | None
    granularity: str
    status: str
    until: str | None
    conflict_word: str | None


_MARK = re.compile(r"\[\[(.+?)\]\]")


def parse_case(marked: str) -> tuple[str, list[Expected]]:
    """The plain sentence and the expressions its marks expect."""
    plain: list[str] = []
    expected: list[Expected] = []
    position = 0
    length = 0
    for match in _MARK.finditer(marked):
        before = marked[position : match.start()]
        plain.append(before)
        length += len(before)
        text, value, *flags = match.group(1).split("|")
        status = "scheduled" if "s" in flags else "happened"
        granularity = next((f[2:] for f in flags if f.startswith("g=")), None)
        conflict = next((f[1:] for f in flags if f.startswith("!")), None)
        first, _, until = value.partition("..")
        first_value = None if first == "-" else first
        expected.append(
            Expected(
                start=length, end=length + len(text), text=text, value=first_value,
                granularity=granularity or _granularity(first), status=status, until=until or None,
                conflict_word=conflict,
            )
        )  # fmt: skip
        plain.append(text)
        length += len(text)
        position = match.end()
    plain.append(marked[position:])
    return "".join(plain), expected


def _granularity(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{3}0s", value):
        return "decade"
    if value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
        return "reference"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:A-Z]+", value):
        return "time"
    raise ValueError(f"cannot tell the granularity of {value!r}: add a g= flag")


def reference_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
