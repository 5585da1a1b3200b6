package io.haulproof.lightchain.log;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scan at open: builds the log's segment list and lost ranges, and applies the recovery rules
 * of {@link SegmentedLog}.
 */
final class Recovery {
  private static final System.Logger LOG = System.getLogger(SegmentedLog.class.getName());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final SegmentedLog log;
  final Path quarantine;
  long expected;
  int regions;
  long torn;
  Segment active;
  private final Map<Path, Path> copies = new TreeMap<>();

  /** Read-only (a verifier's open): the same findings, but nothing deleted, cut or copied. */
  private final boolean readOnly;

  Recovery(SegmentedLog log, Path quarantine, SegmentTails tails) throws IOException {
    this(log, quarantine, tails, false);
  }

  Recovery(SegmentedLog log, Path quarantine, SegmentTails tails, boolean readOnly)
      throws IOException {
    this.log = log;
    this.quarantine = quarantine;
    this.readOnly = readOnly;
    List<Path> files = SegmentedLog.listSegments(log.dir);
    SegmentScan pendingTail = null;
    SegmentScan.Region pendingRegion = null;
    for (int i = 0; i < files.size(); i++) {
      boolean last = i == files.size() - 1;
      SegmentScan s = last || tails == null ? null : tails.lookup(files.get(i));
      if (s == null) {
        s = SegmentScan.scan(files.get(i), expected, last);
        if (!last && tails != null) {
          tails.remember(s);
        }
      }
      if (s.tornCreation) {
        if (!readOnly) {
          Files.delete(s.file);
        }
        torn += s.size;
        continue;
      }
      long first =
          s.headerFirst; // an invalid header is a damage region of its own, with its lost indices
      if (first > expected) {
        if (pendingRegion != null) {
          pendingRegion.lostTo = first;
        } else {
          report(
              s, new SegmentScan.Region(0, 0, expected, first, "records missing before segment"));
        }
      } else if (pendingRegion != null) {
        pendingRegion.lostTo = expected;
      }
      if (pendingRegion != null) {
        report(pendingTail, pendingRegion);
        pendingRegion = null;
      }
      for (SegmentScan.Region g : s.damage) {
        if (g.lostTo < 0) {
          pendingTail = s;
          pendingRegion = g;
        } else {
          report(s, g);
        }
      }
      Segment seg = new Segment(s.file);
      seg.sparse.addAll(s.sparse);
      seg.end = s.tornAt >= 0 ? s.tornAt : s.validEnd;
      log.segments.add(seg);
      expected = s.nextIndex;
      if (last) {
        lastSegment(s, seg);
      }
    }
    if (pendingRegion != null) {
      pendingRegion.lostTo = expected;
      report(pendingTail, pendingRegion);
    }
    if (active == null && !readOnly) {
      active = log.newSegment(expected);
    }
    if (tails != null) {
      tails.commit();
    }
  }

  private void lastSegment(SegmentScan s, Segment seg) throws IOException {
    if (!s.damage.isEmpty()) {
      return; // never write into a damaged segment: continue in a new one
    }
    if (s.tornAt >= 0 && s.tornAt < Frames.HEADER_SIZE) {
      log.segments.remove(seg);
      if (!readOnly) {
        Files.delete(s.file);
      }
      torn += s.size;
      return;
    }
    if (readOnly) {
      // a torn frame was never acknowledged: readers stop before it (seg.end), the file stays
      torn += s.tornAt >= 0 ? s.size - s.tornAt : 0;
      return;
    }
    if (s.tornAt >= 0) {
      try (var ch = FileChannel.open(s.file, StandardOpenOption.WRITE)) {
        ch.truncate(s.tornAt);
        ch.force(true);
      }
      torn += s.size - s.tornAt;
    }
    active = seg;
  }

  private void report(SegmentScan s, SegmentScan.Region g) throws IOException {
    regions++;
    boolean countKnown = g.lostTo > g.lostFrom || !g.reason.equals("damaged tail");
    long count = Math.max(0, g.lostTo - g.lostFrom);
    if (count > 0) {
      log.lost.put(g.lostFrom, g.lostTo);
    }
    String name = s.file.getFileName().toString();
    LossReport probe =
        new LossReport(
            name, g.offset, g.end - g.offset, g.lostFrom, count, countKnown, null, g.reason);
    if (log.known.contains(probe.key())) {
      return;
    }
    Path copy = copies.get(s.file);
    if (copy == null && !readOnly && Files.exists(s.file)) {
      copy = quarantine.resolve(name + "." + STAMP.format(Instant.now()) + ".damaged");
      // Durable before the segment is cut back below: a power cut must not lose both.
      DurableFiles.copy(s.file, copy);
      copies.put(s.file, copy);
    }
    LossReport r =
        new LossReport(
            name, g.offset, g.end - g.offset, g.lostFrom, count, countKnown, copy, g.reason);
    log.losses.add(r);
    LOG.log(
        System.Logger.Level.WARNING,
        "evidence log damage: {0} in {1} at byte {2} ({3} bytes), indices {4}..{5}{6}; copy in {7}",
        g.reason,
        name,
        g.offset,
        g.end - g.offset,
        g.lostFrom,
        g.lostTo - 1,
        countKnown ? "" : " (count unknown)",
        copy);
  }
}
