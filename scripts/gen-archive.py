#!/usr/bin/env python3
"""Writes an archive of fictional holdspace summaries for testing and benchmarking the review.

    python3 scripts/gen-archive.py DIR [N] [--seed S] [--damaged K] [--markdown]
                                   [--supervision] [--conflicts K] [--partial K]

Writes N summaries (default 10000) as `YYYY-MM-DD_HHMM_<slug>.ron` into DIR, in the summary
format version 1 (the layout of tests/fixtures/summary-v1.ron): several groups, each a series of
weekly sessions, with varied facilitators, attendance, segments, turns, airtime and notes, some
of them risk and follow-up flags. K of the files (default: N / 500, at least 1 when N >= 20) are
damaged on purpose: truncated, empty, binary, not UTF-8, a foreign RON file, a newer version.
`--markdown` also writes a small `.md` beside each summary, as holdspace does, so the scan has
files to skip. `--supervision` writes review records beside about half the summaries
(submitted, signed with the file's real SHA-256, returned, comments), as a clinic's archive
has; `--conflicts K` writes K Syncthing conflict copies and `--partial K` K half-written
temporary files, as a synced folder has. A clinic runs many groups: beyond 1,200 summaries
there is one group per hundred (each a two-year weekly series), so a group's series stays
the size a real one has. Nothing here is real client data; the same seed gives the same
archive.

The archive is never committed: generate it where you need it (`cargo bench --bench review`
generates target/tmp/review-archive-10000 on first use).
"""

import argparse
import hashlib
import os
import random
import sys
from datetime import date, timedelta

GROUPS = [
    ("Tuesday evening anxiety group", "CBT", "Managing Anxiety"),
    ("Thursday bereavement circle", "Support", "Living with loss"),
    ("DBT skills, morning", "Skills training", "Distress tolerance"),
    ("Men's process group", "Process", "Here and now"),
    ("Parents of teens", "Psychoeducation", "Understanding adolescence"),
    ("Young adults IPT", "Interpersonal", "Roles and transitions"),
    ("Recovery Wednesday", "Support", "One day at a time"),
    ("Mindfulness for pain", "Skills training", "Breath and body"),
    ("Carers' support", "Support", "Caring for the carer"),
    ("Social anxiety CBT", "CBT", "Facing feared situations"),
    ("Trauma stabilisation", "Psychoeducation", "Safe place"),
    ("Anger management", "CBT", "Cooling down"),
]

FACILITATORS = [
    "Dr. Nadia Rahman", "Samir Akter", "Leila Haddad", "Tomás Ortega", "Priya Natarajan",
    "Jonas Lindqvist", "Amara Okafor", "Hannah Weiss", "Kenji Watanabe", "Fatima Zahra",
    "Oliver Byrne", "Chen Jing",
]

TRAINEES = ["Mitu Hossain", "Lucas Moreau", "Ana Silva", "Ben Carter", "Ivy Park"]

FIRST_NAMES = [
    "Farhana", "Rafiq", "Joy", "Tanvir", "Shirin", "Arif", "Lipi", "Kamal", "Maya", "Noah",
    "Elif", "Jamal", "Sofia", "Marek", "Aiko", "Diego", "Zara", "Oskar", "Layla", "Ravi",
    "Greta", "Idris", "Nina", "Pavel", "Rosa", "Sami", "Tess", "Umar", "Vera", "Yusuf",
]

SEGMENTS = [
    ("Welcome and group agreements", "Opening", 300),
    ("Check-in round", "Check-in", 900),
    ("Psychoeducation", "Psychoeducation", 900),
    ("Exercise", "Exercise", 1200),
    ("Break", "Break", 300),
    ("Open discussion", "Discussion", 1200),
    ("Check-out round", "Check-out", 600),
    ("Closing", "Closing", 300),
]

NOTE_TEXTS = [
    "Mentioned sleep problems",
    "Talked about self-harm urges",
    'Said "I can\'t go on" | check in after',
    "Members link thoughts and feelings quickly",
    "Good energy\nin the room",
    "Conflict between two members about lateness",
    "Asked for a referral to a psychiatrist",
    "First time sharing since joining <b>the group</b> & staying",
    "Left the room upset; followed up in the corridor",
    "Reported a difficult week at work",
]

CUSTOM_TAGS = ["sleep", "family", "work", "medication", "progress"]


def ron_str(text):
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "'":
            out.append("\\'")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def hms(secs):
    secs %= 24 * 3600
    return "%02d:%02d:%02d" % (secs // 3600, secs // 60 % 60, secs % 60)


def slug(title):
    out = []
    for ch in title.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return ("".join(out).strip("-")[:48]) or "session"


class Writer:
    def __init__(self):
        self.lines = []
        self.depth = 0

    def line(self, text):
        self.lines.append("    " * self.depth + text)

    def open(self, text):
        self.line(text)
        self.depth += 1

    def close(self, text="),"):
        self.depth -= 1
        self.line(text)

    def text(self):
        return "\n".join(self.lines) + "\n"


def summary(rng, group_ix, session, of, day, roster, lead, co, group=None):
    name, kind, topic = GROUPS[group_ix]
    group = group or name
    title = "%s, session %d" % (topic, session) if session else topic
    start = rng.choice([9, 10, 14, 17, 18, 19]) * 3600 + rng.choice([0, 0, 15, 30]) * 60
    segments = rng.sample(SEGMENTS[1:-1], rng.randint(3, 5))
    segments = [SEGMENTS[0]] + sorted(segments, key=SEGMENTS.index) + [SEGMENTS[-1]]
    planned = sum(s[2] for s in segments)

    attendance = []
    for name in roster:
        r = rng.random()
        if r < 0.12:
            attendance.append((name, "Absent", None))
        elif r < 0.2:
            attendance.append((name, "Late", hms(start + rng.randint(3, 20) * 60)[:5]))
        elif r < 0.25:
            attendance.append((name, "LeftEarly", hms(start + planned - rng.randint(5, 30) * 60)[:5]))
        else:
            attendance.append((name, "Present", None))
    present = [a[0] for a in attendance if a[1] != "Absent"]

    seg_rows = []
    clock = start
    turns = []
    for title_s, kind_s, secs in segments:
        skipped = kind_s == "Break" and rng.random() < 0.3
        adjusted = rng.choice([0, 0, 0, 60, 120, -60])
        final = max(60, secs + adjusted)
        actual = 0 if skipped else max(0, final + rng.randint(-240, 300))
        seg_rows.append((title_s, kind_s, secs, final, actual, "Skipped" if skipped else "Done", adjusted))
        if kind_s in ("Check-in", "Check-out", "Discussion") and not skipped and present:
            t = clock
            speakers = present if kind_s != "Discussion" else rng.sample(present, max(1, len(present) // 2))
            for member in speakers:
                passed = rng.random() < 0.15
                length = 0 if passed else rng.randint(20, 240)
                turns.append((member, title_s, hms(t), length, passed))
                t += length + 5
        clock += actual
    actual_total = sum(s[4] for s in seg_rows)

    airtime = []
    total_speech = sum(t[3] for t in turns if not t[4]) or 1
    for member in present:
        secs = sum(t[3] for t in turns if t[0] == member and not t[4])
        count = sum(1 for t in turns if t[0] == member and not t[4])
        airtime.append((member, secs, count, round(secs / total_speech, 4), round(1 / len(present), 4), count > 0))
    never = [a[0] for a in airtime if not a[5]]

    notes = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
        tags = []
        if rng.random() < 0.12:
            tags.append("risk")
        if rng.random() < 0.2:
            tags.append("follow-up")
        if rng.random() < 0.3:
            tags.append(rng.choice(["insight", "conflict"] + CUSTOM_TAGS))
        about = rng.choice(["group"] + present[:4] + [segments[1][0]])
        notes.append((hms(start + rng.randint(60, max(120, actual_total))), about, tags, rng.choice(NOTE_TEXTS)))
    notes.sort(key=lambda n: (0 if "risk" in n[2] else 1 if "follow-up" in n[2] else 2, n[0]))

    w = Writer()
    w.line("#![enable(implicit_some)]")
    w.open("Summary(")
    w.line("version: 1,")
    w.line("session_id: %s," % ron_str("%sT%s-gen-%d-%d" % (day.isoformat(), hms(start).replace(":", "-"), group_ix, session)))
    w.line("title: %s," % ron_str(title))
    w.line("kind: %s," % ron_str(kind))
    if session > 0:
        w.open("series: Series(")
        w.line("name: %s," % ron_str(group))
        w.line("session: %d," % session)
        w.line("of: %d," % of)
        w.close()
    w.line("group: %s," % ron_str(group))
    w.line("date: %s," % ron_str(day.isoformat()))
    if rng.random() < 0.97:
        w.line('started: "%sT%s+01:00",' % (day.isoformat(), hms(start)))
        w.line('ended: "%sT%s+01:00",' % (day.isoformat(), hms(start + actual_total)))
    w.line("planned_secs: %d," % planned)
    w.line("actual_secs: %d," % actual_total)
    w.line("over_under_secs: %d," % (actual_total - planned))
    w.line("paused_secs: %d," % rng.choice([0, 0, 60, 300]))
    w.open("facilitators: [")
    for name, role in ((lead, "lead"), (co, "co-facilitator")):
        if name:
            w.open("Facilitator(")
            w.line("name: %s," % ron_str(name))
            w.line("role: %s," % ron_str(role))
            w.close()
    w.close("],")
    w.open("trainees: [")
    if rng.random() < 0.3:
        w.line("%s," % ron_str(rng.choice(TRAINEES)))
    w.close("],")
    w.open("attendance: [")
    for name, status, at in attendance:
        w.open("Attendance(")
        w.line("name: %s," % ron_str(name))
        w.line("status: %s," % status)
        if at:
            w.line("at: %s," % ron_str(at))
        w.close()
    w.close("],")
    w.open("segments: [")
    for title_s, kind_s, secs, final, actual, status, adjusted in seg_rows:
        w.open("Segment(")
        w.line("title: %s," % ron_str(title_s))
        w.line("kind: %s," % ron_str(kind_s))
        w.line("planned_secs: %d," % secs)
        w.line("final_planned_secs: %d," % final)
        w.line("actual_secs: %d," % actual)
        w.line("status: %s," % status)
        w.line("adjusted_secs: %d," % adjusted)
        w.line("rebalanced: false,")
        w.close()
    w.close("],")
    w.open("turns: [")
    for member, seg, at, length, passed in turns:
        w.open("Turn(")
        w.line("member: %s," % ron_str(member))
        w.line("segment: %s," % ron_str(seg))
        w.line("start: %s," % ron_str(at))
        w.line("length_secs: %d," % length)
        w.line("passed: %s," % ("true" if passed else "false"))
        w.close()
    w.close("],")
    w.open("airtime: [")
    for member, secs, count, share, equal, spoke in airtime:
        w.open("Airtime(")
        w.line("member: %s," % ron_str(member))
        w.line("secs: %d," % secs)
        w.line("turns: %d," % count)
        w.line("share: %r," % float(share))
        w.line("equal_share: %r," % float(equal))
        w.line("spoke: %s," % ("true" if spoke else "false"))
        w.close()
    w.close("],")
    w.open("never_spoke: [")
    for name in never:
        w.line("%s," % ron_str(name))
    w.close("],")
    w.open("notes: [")
    for at, about, tags, text in notes:
        w.open("Note(")
        w.line("at: %s," % ron_str(at))
        w.line("about: %s," % ron_str(about))
        w.open("tags: [")
        for tag in tags:
            w.line("%s," % ron_str(tag))
        w.close("],")
        w.line("text: %s," % ron_str(text))
        w.line("risk: %s," % ("true" if "risk" in tags else "false"))
        w.line("follow_up: %s," % ("true" if "follow-up" in tags else "false"))
        w.close()
    w.close("],")
    w.line("rebalances: [],")
    w.line("downtimes: [],")
    w.line("plan_reloads: 0,")
    w.open("flags: Flags(")
    w.line("risk: %d," % sum(1 for n in notes if "risk" in n[2]))
    w.line("follow_up: %d," % sum(1 for n in notes if "follow-up" in n[2]))
    w.close()
    w.depth -= 1
    w.line(")")
    return "%s_%s_%s" % (day.isoformat(), hms(start)[:5].replace(":", ""), slug(title)), w.text()


DAMAGE = ["truncated", "empty", "binary", "latin1", "foreign", "newer", "blank"]


def damaged(kind, good_text):
    if kind == "truncated":
        return good_text.encode()[: len(good_text) // 2]
    if kind == "empty":
        return b""
    if kind == "blank":
        return b"   \n\n"
    if kind == "binary":
        return bytes(range(256)) * 4
    if kind == "latin1":
        # As an editor set to Latin-1 would save it: "é" as one byte, which is not UTF-8.
        return good_text.replace('title: "', 'title: "Caf\u00e9 ', 1).encode("latin-1", "replace")
    if kind == "foreign":
        return b'Plan(\n    meta: (title: "Not a summary"),\n    agenda: [],\n)\n'
    if kind == "newer":
        return good_text.replace("version: 1,", "version: 99,", 1).replace("planned_secs:", "planned:", 1).encode()
    raise ValueError(kind)


SUPERVISORS = ["Dr. Amal Chowdhury", "Dr. Ines Duarte", "Dr. Paul Mensah"]


def record(rng, stem, day, hour, author, action, text=""):
    """One supervision record, as holdspace writes it: its own file beside the summary."""
    at = "%sT%02d:%02d:00.000+01:00" % (day, hour, hour % 60)
    rid = "%sT%02d%02d00Z-%s-%06x" % (day.replace("-", ""), (hour - 1) % 24, hour % 60, slug(author), rng.getrandbits(24))
    body = (
        "Review(\n    version: 1,\n    summary: %s,\n    session_id: \"\",\n    author: %s,\n"
        "    at: %s,\n    action: %s,\n    on: Session,\n    text: %s,\n)\n"
        % (ron_str(stem + ".ron"), ron_str(author), ron_str(at), action, ron_str(text))
    )
    return "%s.review.%s.ron" % (stem, rid), body


def supervise(rng, directory, stem, text, day):
    """Records for one summary: most are submitted, many signed, some returned or changed."""
    r = rng.random()
    if r < 0.5:
        return []
    sha = hashlib.sha256(text.encode()).hexdigest()
    lead = "Facilitator"
    out = [record(rng, stem, day.isoformat(), 20, lead, 'Submitted(summary_sha256: "%s")' % sha)]
    supervisor = rng.choice(SUPERVISORS)
    if r < 0.9:
        signed = sha if rng.random() < 0.97 else "0" * 64
        out.append(record(rng, stem, (day + timedelta(days=2)).isoformat(), 10, supervisor,
                          'Signed(summary_sha256: "%s", wrapup_sha256: None)' % signed, "Reviewed"))
    else:
        out.append(record(rng, stem, (day + timedelta(days=2)).isoformat(), 11, supervisor, "Returned",
                          "Please add the safety plan"))
    if rng.random() < 0.2:
        out.append(record(rng, stem, (day + timedelta(days=3)).isoformat(), 9, supervisor, "Comment", "Well held"))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("n", nargs="?", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--damaged", type=int, default=None)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--supervision", action="store_true")
    parser.add_argument("--conflicts", type=int, default=0)
    parser.add_argument("--partial", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    damaged_count = args.damaged if args.damaged is not None else (max(1, args.n // 500) if args.n >= 20 else 0)
    damaged_count = min(damaged_count, args.n)
    good = args.n - damaged_count

    # Each group runs series of 8-12 weekly sessions, one after another, on a fixed roster
    # that changes a little between series.
    groups = []
    count = max(len(GROUPS), good // 100)
    for ix in range(count):
        groups.append({
            "ix": ix % len(GROUPS),
            "name": GROUPS[ix % len(GROUPS)][0] + ("" if ix < len(GROUPS) else " (%d)" % (ix // len(GROUPS) + 1)),
            "day": date(2020, 1, 6) + timedelta(days=ix % 7 + 7 * (ix // 97 % 150)),
            "session": 0,
            "of": 0,
            "roster": rng.sample(FIRST_NAMES, rng.randint(6, 12)),
            "lead": FACILITATORS[ix % len(FACILITATORS)],
            "co": rng.choice(FACILITATORS + [None]),
        })
    names = set()
    written = 0
    last_text = None
    while written < good:
        g = groups[written % len(groups)]
        if g["session"] >= g["of"]:
            g["session"] = 0
            g["of"] = rng.randint(8, 12)
            g["roster"] = g["roster"][1:] + [rng.choice(FIRST_NAMES)] if rng.random() < 0.5 else g["roster"]
            g["roster"] = list(dict.fromkeys(g["roster"]))
            if rng.random() < 0.3:
                g["lead"] = rng.choice(FACILITATORS)
        g["session"] += 1
        session = g["session"] if g["ix"] % 6 != 5 else 0  # one group in six runs no series
        stem, text = summary(rng, g["ix"], session, g["of"], g["day"], g["roster"], g["lead"], g["co"], g["name"])
        g["day"] += timedelta(days=7)
        name = stem
        k = 2
        while name in names:
            name = "%s-%d" % (stem, k)
            k += 1
        names.add(name)
        with open(os.path.join(args.dir, name + ".ron"), "w", encoding="utf-8") as f:
            f.write(text)
        if args.supervision:
            for rname, body in supervise(rng, args.dir, name, text, g["day"] - timedelta(days=7)):
                with open(os.path.join(args.dir, rname), "w", encoding="utf-8") as f:
                    f.write(body)
        if written < args.conflicts:
            with open(os.path.join(args.dir, name + ".sync-conflict-20250305-101500-ABCDEFG.ron"), "w", encoding="utf-8") as f:
                f.write(text.replace("plan_reloads: 0", "plan_reloads: 1"))
        if written < args.partial:
            with open(os.path.join(args.dir, ".syncthing.%s.ron.tmp" % name), "w", encoding="utf-8") as f:
                f.write(text[: len(text) // 3])
        if args.markdown:
            with open(os.path.join(args.dir, name + ".md"), "w", encoding="utf-8") as f:
                f.write("# %s\n\n(generated)\n" % name)
        last_text = text
        written += 1
    for i in range(damaged_count):
        kind = DAMAGE[i % len(DAMAGE)]
        base = last_text or '#![enable(implicit_some)]\nSummary(\n    version: 1,\n)\n'
        with open(os.path.join(args.dir, "damaged-%03d-%s.ron" % (i, kind)), "wb") as f:
            f.write(damaged(kind, base))
    print("wrote %d summaries (%d damaged) to %s" % (args.n, damaged_count, args.dir), file=sys.stderr)


if __name__ == "__main__":
    main()
