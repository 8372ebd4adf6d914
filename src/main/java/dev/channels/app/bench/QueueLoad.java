package dev.channels.app.bench;

import com.hazelcast.collection.IQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The peer of {@code bench --cluster}: Hazelcast's distributed {@link IQueue}, used as its users
 * would use it, from plain threads (its calls block). Producers and consumers are one thread each;
 * items are the ids of {@link ProducerTally}, so the same {@link Accounting} checks them.
 *
 * <p>A consumer ends once the producers have stopped and it then finds the queue empty: it reads
 * the producers' stop before it polls, and a producer's offer has completed before it counts as
 * stopped, so an empty poll after that means every item has been taken.
 */
final class QueueLoad {

  /** How the items move. */
  enum Kind {
    /** {@code offer} one item at a time (waiting while the queue is full); {@code poll} with a wait, one at a time. */
    PER_ITEM("offer / take, 1 at a time"),
    /**
     * {@code addAll} of a batch into an unbounded queue, while fewer than the capacity are in it
     * (counted in this JVM, at no cost in calls); {@code drainTo} up to a batch, or a waiting
     * {@code poll} when empty. (Into a bounded queue that has no room, {@code addAll} fails, and
     * the owner logs the failure with its stack: no way to wait for room.)
     */
    BATCHED("addAll %d / drainTo(%d)");

    private final String what;

    Kind(String what) {
      this.what = what;
    }

    String describe(int batch) {
      return String.format(what, batch, batch);
    }
  }

  private static final long POLL_WAIT_MS = 100;
  private static final long FULL_PAUSE_NANOS = 20_000;

  private final IQueue<Object> queue;
  private final Kind kind;
  private final int batch;
  private final int capacity;
  private final List<ProducerTally> putters;
  private final List<ConsumerTally> takers;
  private final List<Thread> producers = new ArrayList<>();
  private final List<Thread> consumers = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  /** Pauses of batch producers while the queue held the capacity. */
  private final AtomicLong pauses = new AtomicLong();
  private volatile boolean producersStopped;

  /** {@code capacity}: the bound of a {@link Kind#BATCHED} load (a {@link Kind#PER_ITEM} load's queue has its own). */
  QueueLoad(IQueue<Object> queue, Kind kind, int producers, int consumers, int batch, int capacity) {
    this.queue = queue;
    this.kind = kind;
    this.batch = batch;
    this.capacity = capacity;
    this.putters = Bench.tallies(producers, i -> new ProducerTally(i, producers));
    this.takers = Bench.tallies(consumers, i -> new ConsumerTally());
  }

  /** Starts the consumers, then the producers. */
  void start() {
    for (int i = 0; i < takers.size(); i++) {
      ConsumerTally tally = takers.get(i);
      consumers.add(thread("iqueue-consumer-" + i, () -> consume(tally)));
    }
    for (int i = 0; i < putters.size(); i++) {
      ProducerTally tally = putters.get(i);
      producers.add(thread("iqueue-producer-" + i, () -> produce(tally)));
    }
  }

  /** Items taken so far, by every consumer. */
  long taken() {
    return takers.stream().mapToLong(ConsumerTally::items).sum();
  }

  long pauses() {
    return pauses.get();
  }

  private long put() {
    return putters.stream().mapToLong(ProducerTally::items).sum();
  }

  /** Stops the producers, waits for the consumers to drain the queue, and accounts for every id. */
  Accounting stopAndDrain(long timeoutSeconds) {
    putters.forEach(ProducerTally::requestStop);
    join(producers, timeoutSeconds, "producers");
    producersStopped = true;
    join(consumers, timeoutSeconds, "consumers");
    if (failure.get() != null) {
      throw new IllegalStateException("the IQueue load failed: " + failure.get(), failure.get());
    }
    if (!queue.isEmpty()) {
      throw new IllegalStateException("the IQueue '" + queue.getName() + "' still holds " + queue.size() + " items");
    }
    return Accounting.of(putters, takers);
  }

  private void produce(ProducerTally tally) throws InterruptedException {
    while (!tally.stopRequested() && failure.get() == null) {
      if (kind == Kind.PER_ITEM) {
        Object item = tally.nextId();
        while (!queue.offer(item, POLL_WAIT_MS, TimeUnit.MILLISECONDS)) {
          // full for that long: offer again
        }
        tally.put(1);
      } else {
        while (put() - taken() > capacity - batch && !tally.stopRequested()) {
          pauses.incrementAndGet();
          LockSupport.parkNanos(FULL_PAUSE_NANOS);
        }
        List<Number> items = tally.nextBatch(batch);
        if (!queue.addAll(items)) {
          throw new IllegalStateException("addAll refused a batch of " + batch + " items");
        }
        tally.put(items.size());
      }
    }
  }

  private void consume(ConsumerTally tally) throws InterruptedException {
    List<Object> drained = new ArrayList<>(batch);
    while (failure.get() == null) {
      boolean stopped = producersStopped;
      if (kind == Kind.BATCHED) {
        drained.clear();
        if (queue.drainTo(drained, batch) > 0) {
          tally.tookAll(drained);
          continue;
        }
      }
      Object item = queue.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
      if (item != null) {
        tally.took(item);
      } else if (stopped) {
        return;
      }
    }
  }

  private interface Body {
    void run() throws InterruptedException;
  }

  private Thread thread(String name, Body body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException | RuntimeException failed) {
        failure.compareAndSet(null, failed);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void join(List<Thread> threads, long timeoutSeconds, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      for (Thread thread : threads) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (thread.isAlive()) {
          failure.compareAndSet(null, new IllegalStateException("the IQueue " + what + " did not stop within " + timeoutSeconds + " s"));
          throw new IllegalStateException("the IQueue " + what + " did not stop within " + timeoutSeconds + " s");
        }
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the IQueue " + what + " stopped", interrupted);
    }
  }
}
