"""Writes the rows one stored entry needs at the least, for bench/ingest-floor.sh (issue 10).

Per entry, whatever the ingest path: its entries row (COSE-sized), its collections row and, on average, one Merkle
node (a tree of n leaves has n - 1 complete subtrees above the leaves). Text COPY format, D devices x E entries.
Usage: floor_rows.py DEVICES ENTRIES OUT_DIR
"""
import os
import random
import sys

devices, entries, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(1)


def hexbytes(n):
    return "\\\\x" + rnd.randbytes(n).hex()


t0 = 1_780_000_000_000
with open(os.path.join(out, "entries.copy"), "w") as fe, \
        open(os.path.join(out, "collections.copy"), "w") as fc, \
        open(os.path.join(out, "nodes.copy"), "w") as fn:
    for d in range(devices):
        dev = f"truck-{d:04d}"
        for i in range(entries):
            t = t0 + d * 1000 + i * 45_000
            fe.write(f"city\t{dev}\t{i}\tcollection\t{i + 1}\t{hexbytes(32)}\t{hexbytes(420)}\t{t}\t{t}\t{entries}\n")
            tag = rnd.randbytes(6).hex()
            fc.write(
                f"city\t{dev}\t{i}\t{i + 1}\t{t}\tGNSS\t{tag}\tUHF\tV-{d:04d}\tR-{d % 90:02d}\t\\N\t"
                f"{515_000_000 + rnd.randrange(200_000)}\t{74_000_000 + rnd.randrange(200_000)}\tresidual\t240\t"
                f"kg\t1\t{rnd.randrange(300, 900)}\t120\t{rnd.randrange(180, 780)}\t1\t0\t0\t0\t"
                f"emptied\t\\N\t0\t\n")
        # the complete subtrees above the leaves of a tree of `entries` leaves
        level, width = 1, entries // 2
        while width > 0:
            for j in range(width):
                fn.write(f"city\t{dev}\t{level}\t{j}\t{hexbytes(32)}\n")
            level, width = level + 1, width // 2
