package dev.channels.impl.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The puts a replicated channel enqueued from each producer that numbers them (a remote client
 * does, on every put and put-all: its automatic idempotency key, {@code <producer>:<n>}), so that
 * a put its producer sends again after a failover, not knowing whether the departed owner had
 * enqueued it, is answered as done and not enqueued twice. Each producer's numbers are held as
 * ranges: a client numbers its puts in order, so they are few (a put that failed leaves a gap).
 *
 * <p>Bounded: the last {@value #MAX_PRODUCERS} producers seen, and per producer the last {@value
 * #MAX_RANGES} ranges; a number older than what is kept counts as not enqueued. Confined to its
 * channel's owner, like {@link ChannelState}.
 */
public final class ProducerSequences {

  public static final int MAX_PRODUCERS = 4_096;
  public static final int MAX_RANGES = 256;

  /** What a replica needs to know of the numbers enqueued. */
  public interface Listener {
    /**
     * The numbers enqueued from {@code producer} (its {@code slot}-th) are now {@code ranges} (start
     * to end, inclusive, flattened), and its put-alls under way {@code partial} (number, items
     * enqueued so far, flattened).
     */
    void producerChanged(int slot, String producer, long[] ranges, long[] partial);

    /** The producer in {@code slot} is forgotten. */
    void producerForgotten(int slot);
  }

  private static final class Producer {
    final int slot;
    final TreeMap<Long, Long> ranges = new TreeMap<>();
    /** Put-alls under way (waiting for room): number to items enqueued so far. */
    final TreeMap<Long, Long> partial = new TreeMap<>();

    Producer(int slot) {
      this.slot = slot;
    }
  }

  private final Listener listener;
  private final LinkedHashMap<String, Producer> producers = new LinkedHashMap<>(16, 0.75f, true);
  private int nextSlot;

  public ProducerSequences(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Whether the put numbered {@code n} by {@code producer} was enqueued. */
  public boolean contains(String producer, long n) {
    Producer known = producers.get(producer);
    if (known == null) {
      return false;
    }
    Map.Entry<Long, Long> range = known.ranges.floorEntry(n);
    return range != null && n <= range.getValue();
  }

  /** How many items the put-all numbered {@code n} by {@code producer} enqueued so far, if it is under way; else 0. */
  public int enqueuedSoFar(String producer, long n) {
    Producer known = producers.get(producer);
    Long enqueued = known == null ? null : known.partial.get(n);
    return enqueued == null ? 0 : enqueued.intValue();
  }

  /** The put-all numbered {@code n} by {@code producer} waits for room, with {@code enqueued} items in so far. */
  public void progress(String producer, long n, int enqueued) {
    Producer known = producer(producer);
    known.partial.put(n, (long) enqueued);
    listener.producerChanged(known.slot, producer, flatten(known.ranges), flatten(known.partial));
  }

  /** The put-all numbered {@code n} by {@code producer} stopped early: it is not under way any more, nor done. */
  public void stopped(String producer, long n) {
    Producer known = producers.get(producer);
    if (known != null && known.partial.remove(n) != null) {
      listener.producerChanged(known.slot, producer, flatten(known.ranges), flatten(known.partial));
    }
  }

  /** The put numbered {@code n} by {@code producer} was enqueued (all its items, a put-all's). */
  public void add(String producer, long n) {
    Producer known = producer(producer);
    known.partial.remove(n);
    TreeMap<Long, Long> ranges = known.ranges;
    Map.Entry<Long, Long> below = ranges.floorEntry(n);
    if (below != null && n <= below.getValue()) {
      listener.producerChanged(known.slot, producer, flatten(ranges), flatten(known.partial));
      return;
    }
    long start = below != null && below.getValue() == n - 1 ? below.getKey() : n;
    long end = n;
    Long above = ranges.get(n + 1);
    if (above != null) {
      ranges.remove(n + 1);
      end = above;
    }
    ranges.put(start, end);
    if (ranges.size() > MAX_RANGES) {
      ranges.pollFirstEntry();
    }
    listener.producerChanged(known.slot, producer, flatten(ranges), flatten(known.partial));
  }

  private Producer producer(String producer) {
    Producer known = producers.get(producer);
    if (known == null) {
      known = new Producer(nextSlot++);
      producers.put(producer, known);
      if (producers.size() > MAX_PRODUCERS) {
        Iterator<Producer> eldest = producers.values().iterator();
        int slot = eldest.next().slot;
        eldest.remove();
        listener.producerForgotten(slot);
      }
    }
    return known;
  }

  /** Restores what a replicated channel's former owner knew of {@code producer}; {@code ranges} as the listener got them. */
  public void restore(int slot, String producer, long[] ranges, long[] partial) {
    Producer known = new Producer(slot);
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      known.ranges.put(ranges[i], ranges[i + 1]);
    }
    for (int i = 0; i + 1 < partial.length; i += 2) {
      known.partial.put(partial[i], partial[i + 1]);
    }
    producers.put(producer, known);
    nextSlot = Math.max(nextSlot, slot + 1);
  }

  private static long[] flatten(TreeMap<Long, Long> ranges) {
    long[] flat = new long[ranges.size() * 2];
    int i = 0;
    for (Map.Entry<Long, Long> range : ranges.entrySet()) {
      flat[i++] = range.getKey();
      flat[i++] = range.getValue();
    }
    return flat;
  }
}
