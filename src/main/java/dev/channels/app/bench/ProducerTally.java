package dev.channels.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one producer of a phase has put, and its stop signal. Producer {@code p} of {@code P} puts
 * the ids {@code p, p + P, p + 2P, ...} in order, so the ids of all producers are distinct and
 * the set a producer has put follows from its count. Written on the producer's event loop only;
 * the count and the stop signal are read and set from the bench's thread.
 */
final class ProducerTally {

  private final int producer;
  private final int producers;
  private long issued;
  private final AtomicLong put = new AtomicLong();
  private volatile boolean stopRequested;

  ProducerTally(int producer, int producers) {
    this.producer = producer;
    this.producers = producers;
  }

  /** The next id to put. */
  long nextId() {
    return issued++ * producers + producer;
  }

  /** The next {@code size} ids, as a batch for {@code putAll}. */
  List<Number> nextBatch(int size) {
    List<Number> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(nextId());
    }
    return batch;
  }

  /** Counts {@code items} as put: the oldest issued ids that were not counted yet. */
  void put(int items) {
    put.lazySet(put.get() + items); // one writer: the producer's event loop
  }

  long items() {
    return put.get();
  }

  /** Ids issued but not (yet) counted as put; 0 once the producer has stopped cleanly. */
  long unconfirmed() {
    return issued - put.get();
  }

  int producer() {
    return producer;
  }

  int producers() {
    return producers;
  }

  void requestStop() {
    stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }
}
