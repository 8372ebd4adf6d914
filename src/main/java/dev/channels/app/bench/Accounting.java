package dev.channels.app.bench;

import java.util.BitSet;
import java.util.List;

/**
 * Whether every item a phase put was taken exactly once. {@code lost}: put, never taken;
 * {@code duplicates}: taken again (by the same or another consumer); {@code unexpected}: taken but
 * never put. Identified is false when only counts were compared (the latency phase).
 */
record Accounting(long put, long taken, long lost, long duplicates, long unexpected, boolean identified) {

  boolean exactlyOnce() {
    return put == taken && lost == 0 && duplicates == 0 && unexpected == 0;
  }

  /** Compares the ids the producers put with those the consumers took; call once all have ended. */
  static Accounting of(List<ProducerTally> producers, List<ConsumerTally> consumers) {
    BitSet expected = new BitSet();
    long put = 0;
    for (ProducerTally producer : producers) {
      if (producer.unconfirmed() != 0) {
        throw new IllegalStateException("producer " + producer.producer() + " has " + producer.unconfirmed()
            + " items whose put did not complete");
      }
      for (long sequence = 0; sequence < producer.items(); sequence++) {
        expected.set(Math.toIntExact(sequence * producer.producers() + producer.producer()));
      }
      put += producer.items();
    }
    BitSet takenIds = new BitSet();
    long taken = 0;
    long duplicates = 0;
    for (ConsumerTally consumer : consumers) {
      taken += consumer.items();
      duplicates += consumer.duplicates();
      BitSet overlap = (BitSet) takenIds.clone();
      overlap.and(consumer.ids());
      duplicates += overlap.cardinality(); // also taken by an earlier consumer
      takenIds.or(consumer.ids());
    }
    BitSet lost = (BitSet) expected.clone();
    lost.andNot(takenIds);
    BitSet unexpected = (BitSet) takenIds.clone();
    unexpected.andNot(expected);
    return new Accounting(put, taken, lost.cardinality(), duplicates, unexpected.cardinality(), true);
  }

  /** Counts only: as many taken as put. */
  static Accounting counted(long put, long taken) {
    return new Accounting(put, taken, Math.max(0, put - taken), Math.max(0, taken - put), 0, false);
  }

  String describe() {
    String verdict = exactlyOnce() ? (identified ? "every item taken exactly once" : "as many taken as put")
        : "NOT exactly once: " + lost + " lost, " + duplicates + " duplicated, " + unexpected + " unexpected";
    return String.format("put %,d, taken %,d: %s", put, taken, verdict);
  }
}
