"""A process that saves notes as fast as it can, for the crash and concurrency tests.

    python tests/notes_writer.py DB TAG COUNT      (COUNT 0 = until killed)

Before each save it prints `B <json intent>`; after the save returned, `D <note id>` (stdout flushed each
time), so the parent knows which saves completed and which single one may have been in flight. Every
third save rewrites an earlier note of this run (an update, not an insert), and a shared note is updated
by every writer: body by writers whose TAG starts with "b", verdict by the others.
"""

from __future__ import annotations

import json
import sys

from tui.core.notes import VERDICTS, NoteStore, NoteTarget

ARTICLE = "/crash/article.md"


def target(tag: str, i: int) -> NoteTarget:
    return NoteTarget(
        article_key=ARTICLE,
        link_index=i % 7,
        link_url=f"https://src.example/{tag}/{i}",
        claim=f"Claim {i} of writer {tag}.",
        quote_text=f"quote {i} of {tag}",
        quote_prefix="said ",
        quote_suffix=" today",
    )


SHARED = NoteTarget(ARTICLE, 0, "https://src.example/shared", "The shared claim.")


def main() -> int:
    db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = NoteStore.open(db)
    out = sys.stdout
    out.write("R\n")
    out.flush()
    i = 0
    while count == 0 or i < count:
        if i % 3 == 2:  # update an earlier note of this run
            j = i // 2
            intent = {"i": j, "body": f"updated by {tag} at {i}", "verdict": VERDICTS[i % 5]}
        else:
            intent = {"i": i, "body": f"body {i} of {tag} " + "x" * (i % 97), "verdict": VERDICTS[i % 5]}
        out.write("B " + json.dumps(intent) + "\n")
        out.flush()
        note = store.save(target(tag, intent["i"]), verdict=intent["verdict"], body=intent["body"])
        out.write(f"D {note.id}\n")
        out.flush()
        if i % 10 == 0:
            if tag.startswith("b"):
                store.save(SHARED, body=f"shared body from {tag}")
            else:
                store.save(SHARED, verdict="altered")
        i += 1
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
