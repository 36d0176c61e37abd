#!/usr/bin/env python3
"""The Python `eventsourcing` peer for the Accord benchmark.

  es_replay.py load   EVENTS.jsonl DB      store every input event as a domain event (SQLite)
  es_replay.py replay DB YEAR              replay all of them in order through the library's
                                           notification log and mapper, folding the cost facts,
                                           then compute the year's cost splits exactly
                                           (SPEC 5.1, fractions.Fraction) and print JSON totals

Each ledger record becomes exactly one stored event (the first record of a
stream is the aggregate's creation event), so the replay reads and decodes the
same number of events as Accord reads records.
"""
import calendar
import datetime as dt
import json
import os
import sys
from fractions import Fraction

from eventsourcing.domain import Aggregate, event


def application(db):
    os.environ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    os.environ["SQLITE_DBNAME"] = db
    from eventsourcing.application import Application

    return Application()


def stream_key(record):
    data = record["data"]
    for field in ("post", "proposal", "agreement", "contract", "council"):
        if isinstance(data.get(field), str):
            return field + ":" + data[field]
    return "misc"


class Stream(Aggregate):
    """One stream per post, proposal, agreement, contract or council; one event per ledger record."""

    @event("Opened")
    def __init__(self, type, effective, by, data):
        pass

    @event("Recorded")
    def record(self, type, effective, by, data):
        pass


def load(events_path, db):
    app = application(db)
    streams = {}
    batch = []
    count = 0
    with open(events_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            key = stream_key(r)
            s = streams.get(key)
            if s is None:
                s = streams[key] = Stream(r["type"], r["effective"], r["by"], r["data"])
            else:
                s.record(r["type"], r["effective"], r["by"], r["data"])
            batch.extend(s.collect_events())
            count += 1
            if len(batch) >= 5000:
                app.save(*batch)
                batch = []
    if batch:
        app.save(*batch)
    print(json.dumps({"stored": count, "streams": len(streams)}))


def add_months(d, months):
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def last_day(served, rule):
    corresponding = add_months(served, rule["months"])
    if rule["alignment"] == "month-end":
        return dt.date(corresponding.year, corresponding.month,
                       calendar.monthrange(corresponding.year, corresponding.month)[1])
    if rule["alignment"] == "financial-year-end":
        y = corresponding.year if corresponding.month >= 4 else corresponding.year - 1
        return dt.date(y + 1, 3, 31)
    return corresponding


def in_force(timeline, day):
    found = None
    for effective, value in timeline:
        if effective <= day:
            found = value
        else:
            break
    return found


def replay(db, year):
    app = application(db)
    agreements, posts = {}, {}
    replayed = 0
    start = 1
    while True:
        notifications = app.recorder.select_notifications(start, 10000)
        if not notifications:
            break
        for n in notifications:
            e = app.mapper.to_domain_event(n)
            replayed += 1
            t, data = e.type, e.data
            day = dt.date.fromisoformat(e.effective)
            if t == "agreement.established":
                agreements[data["agreement"]] = data["notice"]
            elif t == "post.established":
                posts[data["post"]] = {"employer": data["employer"], "agreement": data["agreement"],
                                       "notice": data.get("notice"), "costs": [], "shares": [],
                                       "ended": None, "last": {}}
            elif t == "post.costed":
                posts[data["post"]]["costs"].append((day, (data["annualPence"], data["onCostBasisPoints"])))
            elif t == "costs.apportioned":
                posts[data["post"]]["shares"].append((day, data["weights"]))
            elif t == "post.ended":
                p = posts[data["post"]]
                p["ended"] = p["ended"] or day
            elif t == "notice.served" and "post" in data:
                p = posts[data["post"]]
                rule = p["notice"] or agreements[p["agreement"]]
                last = dt.date.fromisoformat(data["leaves"]) if "leaves" in data else last_day(day, rule)
                c = data["council"]
                if c not in p["last"] or last < p["last"][c]:
                    p["last"][c] = last
        start = notifications[-1].id + 1

    first, final = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    year_days = (final - first).days + 1
    totals, unapportioned_total, post_count, grand = {}, 0, 0, 0
    for post_id in sorted(posts):
        p = posts[post_id]
        last = final if p["ended"] is None else min(final, p["ended"] - dt.timedelta(days=1))
        if first > last:
            continue
        starts = {first}
        starts |= {d for d, _ in p["costs"] if first < d <= last}
        starts |= {d for d, _ in p["shares"] if first < d <= last}
        starts |= {d + dt.timedelta(days=1) for d in p["last"].values() if first <= d < last}
        ordered = sorted(starts)
        shares, unapportioned, exact_total, any_segment = {}, Fraction(0), Fraction(0), False
        for i, s in enumerate(ordered):
            end = ordered[i + 1] - dt.timedelta(days=1) if i + 1 < len(ordered) else last
            cost = in_force(p["costs"], s)
            if cost is None:
                continue
            any_segment = True
            days = (end - s).days + 1
            exact = Fraction(cost[0] * (10000 + cost[1]) * days, 10000 * year_days)
            exact_total += exact
            weights = in_force(p["shares"], s)
            if not weights:
                unapportioned += exact
                continue
            w_total = sum(weights.values())
            for c, w in weights.items():
                part = exact * w / w_total
                if c in p["last"] and p["last"][c] < s:
                    unapportioned += part
                else:
                    shares[c] = shares.get(c, 0) + part
        if not any_segment:
            continue
        post_count += 1
        employer = p["employer"]
        keys = sorted(shares, key=lambda c: (c != employer, c)) + [None]
        exacts = [shares[k] if k is not None else unapportioned for k in keys]
        total = int((exact_total * 2 + 1) // 2)
        amounts = [int(x // 1) for x in exacts]
        left = total - sum(amounts)
        order = sorted(range(len(keys)), key=lambda i: (-(exacts[i] - (exacts[i] // 1)), i))
        for i in order[:left]:
            amounts[i] += 1
        for k, a in zip(keys, amounts):
            if k is None:
                unapportioned_total += a
            else:
                totals[k] = totals.get(k, 0) + a
        grand += total
    print(json.dumps({"replayed": replayed, "year": year, "posts": post_count, "totalPence": grand,
                      "unapportionedPence": unapportioned_total,
                      "councils": dict(sorted(totals.items()))}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "replay":
        replay(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
