package dev.channels.app.bench;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one consumer of a phase has taken: a count, read live by the bench's thread, and the set
 * of ids taken, read once the consumer has ended (its ending future orders the reads after the
 * writes). Written on the consumer's event loop only.
 */
final class ConsumerTally {

  private final AtomicLong taken = new AtomicLong();
  private final BitSet ids = new BitSet();
  private long duplicates;

  /** Counts an item whose value is a producer's id (see {@link ProducerTally}). */
  void took(Object item) {
    long id = ((Number) item).longValue();
    if (id < 0 || id > Integer.MAX_VALUE) {
      throw new IllegalStateException("item " + item + " is not an id of this bench");
    }
    if (ids.get((int) id)) {
      duplicates++;
    } else {
      ids.set((int) id);
    }
    counted(1);
  }

  void tookAll(List<?> items) {
    items.forEach(this::took);
  }

  /** Counts items without identifying them (the latency phase, whose items are send times). */
  void counted(int items) {
    taken.lazySet(taken.get() + items); // one writer: the consumer's event loop
  }

  long items() {
    return taken.get();
  }

  BitSet ids() {
    return ids;
  }

  /** Ids this consumer took more than once. */
  long duplicates() {
    return duplicates;
  }
}
