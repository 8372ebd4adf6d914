package dev.channels.impl.local;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelStatus;
import dev.channels.ChannelTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The obvious channel, written from the words and nothing else: a deque of items, lists of
 * waiting putters, takers and joiners, oldest first. It is slow and has no cleverness on purpose;
 * the real implementations are checked against it by {@code ChannelModelProperties}.
 *
 * <p>Operations are numbered by the caller; the model records the outcome of each one, and updates
 * it when a waiting operation is served, failed by close, or expired.
 */
final class ReferenceChannel {

  private record WaitingPut(int op, int item) {}

  private record WaitingTake(int op, boolean acknowledges) {}

  private final String name;
  private final int capacity;
  /** An item given back (nacked) after this many hand-outs is dead-lettered; 0 = never. */
  private final int maxDeliveries;
  /** How many times each item has been handed out (a release takes its hand-out back). */
  private final Map<Integer, Integer> handOuts = new TreeMap<>();
  /** Items never handed out, oldest first. */
  private final Deque<Integer> items = new ArrayDeque<>();
  /** Items given back, by the order of their first delivery; taken before {@code items}. */
  private final TreeMap<Long, Integer> returned = new TreeMap<>();
  /** Items handed to acknowledging takes, by the op of that take. */
  private final Map<Integer, Integer> inFlight = new TreeMap<>();
  /** When each item handed out was first handed out. */
  private final Map<Integer, Long> firstDelivery = new TreeMap<>();
  private long deliveries;
  private final List<WaitingPut> putters = new ArrayList<>();
  private final List<WaitingTake> takers = new ArrayList<>();
  private final List<Integer> joiners = new ArrayList<>();
  private final Map<Integer, Outcome> outcomes = new TreeMap<>();
  private boolean closed;
  private boolean finished;
  private int finishes;
  private long totalPut;
  private long totalTaken;
  private long redelivered;
  private long deadLettered;

  ReferenceChannel(String name, int capacity) {
    this(name, capacity, 0);
  }

  ReferenceChannel(String name, int capacity, int maxDeliveries) {
    this.name = name;
    this.capacity = capacity;
    this.maxDeliveries = maxDeliveries;
  }

  /**
   * A put: refused if closed; else to the oldest waiting taker; else into the buffer if there is
   * room; else it waits, or (when {@code ifBlocked} is given) fails with that outcome.
   */
  void put(int op, int item, Outcome ifBlocked) {
    if (closed) {
      outcomes.put(op, Outcome.CLOSED);
    } else if (!takers.isEmpty()) {
      totalPut++;
      handTo(takers.remove(0), item);
      outcomes.put(op, Outcome.OK);
    } else if (size() < capacity) {
      items.addLast(item);
      totalPut++;
      outcomes.put(op, Outcome.OK);
    } else if (ifBlocked != null) {
      outcomes.put(op, ifBlocked);
    } else {
      putters.add(new WaitingPut(op, item));
      outcomes.put(op, Outcome.PENDING);
    }
    settle();
  }

  /**
   * A take: the oldest item there is (a returned one, else the buffer's, else at capacity 0 the
   * oldest waiting putter's); else refused if finished; else it waits, or fails with {@code
   * ifBlocked}. An acknowledging take leaves the item in flight, under the take's op.
   */
  void take(int op, Outcome ifBlocked, boolean acknowledges) {
    Integer item = null;
    if (!returned.isEmpty()) {
      item = returned.pollFirstEntry().getValue();
    } else if (!items.isEmpty()) {
      item = items.removeFirst();
    } else if (!putters.isEmpty() && capacity == 0) {
      WaitingPut putter = putters.remove(0);
      outcomes.put(putter.op(), Outcome.OK);
      totalPut++;
      item = putter.item();
    }
    if (item != null) {
      handTo(new WaitingTake(op, acknowledges), item);
    } else if (finished) {
      outcomes.put(op, Outcome.CLOSED);
    } else if (ifBlocked != null) {
      outcomes.put(op, ifBlocked);
    } else {
      takers.add(new WaitingTake(op, acknowledges));
      outcomes.put(op, Outcome.PENDING);
    }
    settle();
  }

  void take(int op, Outcome ifBlocked) {
    take(op, ifBlocked, false);
  }

  /** Acknowledges what the take {@code op} was handed; returns whether it was in flight. */
  boolean acknowledge(int op) {
    if (inFlight.remove(op) == null) {
      return false;
    }
    totalTaken++;
    settle();
    return true;
  }

  /**
   * Gives back, as failed, what the take {@code op} was handed; returns whether it was in flight.
   * Handed out {@code maxDeliveries} times, it is dead-lettered instead.
   */
  boolean giveBack(int op) {
    Integer item = inFlight.remove(op);
    if (item == null) {
      return false;
    }
    if (maxDeliveries > 0 && handOuts.get(item) >= maxDeliveries) {
      deadLettered++;
      settle();
      return true;
    }
    returnItem(item);
    return true;
  }

  /** Gives back what the take {@code op} was handed and never handled: that hand-out does not count. */
  boolean release(int op) {
    Integer item = inFlight.remove(op);
    if (item == null) {
      return false;
    }
    if (handOuts.merge(item, -1, Integer::sum) > 0) {
      redelivered--;
    }
    returnItem(item);
    return true;
  }

  /** Dead-letters what the take {@code op} was handed. */
  boolean rejectDelivery(int op) {
    if (inFlight.remove(op) == null) {
      return false;
    }
    deadLettered++;
    settle();
    return true;
  }

  private void returnItem(int item) {
    if (!takers.isEmpty()) {
      handTo(takers.remove(0), item);
    } else {
      returned.put(firstDelivery.get(item), item);
    }
    settle();
  }

  private void handTo(WaitingTake taker, int item) {
    firstDelivery.putIfAbsent(item, deliveries++);
    if (handOuts.merge(item, 1, Integer::sum) > 1) {
      redelivered++;
    }
    if (taker.acknowledges()) {
      inFlight.put(taker.op(), item);
    } else {
      totalTaken++;
    }
    outcomes.put(taker.op(), Outcome.item(item));
  }

  private int size() {
    return items.size() + returned.size();
  }

  /** A close always succeeds; returns whether the channel was open. */
  boolean close(int op) {
    outcomes.put(op, Outcome.OK);
    if (closed) {
      return false;
    }
    closed = true;
    putters.forEach(putter -> outcomes.put(putter.op(), Outcome.CLOSED));
    putters.clear();
    settle(); // takers wait on while items are in flight
    return true;
  }

  void join(int op) {
    if (finished) {
      outcomes.put(op, Outcome.OK);
    } else {
      joiners.add(op);
      outcomes.put(op, Outcome.PENDING);
    }
  }

  /** The operation gives up waiting; returns whether it was still waiting. */
  boolean expire(int op) {
    boolean waiting = putters.removeIf(putter -> putter.op() == op)
        | takers.removeIf(taker -> taker.op() == op)
        | joiners.remove((Integer) op);
    if (waiting) {
      outcomes.put(op, Outcome.TIMEOUT);
    }
    return waiting;
  }

  /** An operation that completes at once and changes nothing here (an ack, a give-back). */
  void done(int op) {
    outcomes.put(op, Outcome.OK);
  }

  /** An operation refused before it reached the channel (a null item). */
  void reject(int op) {
    outcomes.put(op, Outcome.REJECTED);
  }

  boolean isWaiting(int op) {
    return outcomes.get(op) == Outcome.PENDING;
  }

  Map<Integer, Outcome> outcomes() {
    return new TreeMap<>(outcomes);
  }

  int finishes() {
    return finishes;
  }

  ChannelStatus status() {
    return new ChannelStatus(name, capacity, size(), closed, finished,
        putters.size(), takers.size(), totalPut, totalTaken, inFlight.size(), redelivered, deadLettered);
  }

  /**
   * Free slots go to the oldest waiting putters; a closed, empty channel with nothing in flight is
   * finished, once, failing the takes still waiting.
   */
  private void settle() {
    while (!putters.isEmpty() && size() < capacity) {
      WaitingPut putter = putters.remove(0);
      items.addLast(putter.item());
      totalPut++;
      outcomes.put(putter.op(), Outcome.OK);
    }
    if (closed && size() == 0 && inFlight.isEmpty() && !finished) {
      finished = true;
      finishes++;
      takers.forEach(taker -> outcomes.put(taker.op(), Outcome.CLOSED));
      takers.clear();
      joiners.forEach(joiner -> outcomes.put(joiner, Outcome.OK));
      joiners.clear();
    }
  }

  /** What an operation came to: a kind, and for a successful take the item. */
  record Outcome(String kind, Integer item) {

    static final Outcome PENDING = new Outcome("PENDING", null);
    static final Outcome OK = new Outcome("OK", null);
    static final Outcome FULL = new Outcome("FULL", null);
    static final Outcome EMPTY = new Outcome("EMPTY", null);
    static final Outcome CLOSED = new Outcome("CLOSED", null);
    static final Outcome TIMEOUT = new Outcome("TIMEOUT", null);
    static final Outcome REJECTED = new Outcome("REJECTED", null);

    static Outcome item(int item) {
      return new Outcome("OK", item);
    }

    /** The outcome a failure stands for; anything unexpected stays visible as such. */
    static Outcome of(Throwable failure) {
      if (failure instanceof ChannelFullException) {
        return FULL;
      } else if (failure instanceof ChannelEmptyException) {
        return EMPTY;
      } else if (failure instanceof ChannelClosedException) {
        return CLOSED;
      } else if (failure instanceof ChannelTimeoutException) {
        return TIMEOUT;
      } else if (failure instanceof NullPointerException) {
        return REJECTED;
      }
      return new Outcome("UNEXPECTED " + failure, null);
    }

    @Override
    public String toString() {
      return item == null ? kind : kind + "(" + item + ")";
    }
  }
}
