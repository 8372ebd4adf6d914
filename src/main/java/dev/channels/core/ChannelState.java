package dev.channels.core;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelStatus;
import dev.channels.ChannelTimeoutException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The state machine of one closable channel: a FIFO buffer, FIFO queues of waiting putters, takers
 * and joiners, and the closed/finished flags. Every semantic decision (ordering, hand-off, close,
 * finish) is made here, once, for both the in-process channel and the host.
 *
 * <p>Not thread-safe: its owner confines it to one thread at a time (a Vert.x context). It knows
 * nothing of time either; an owner that gives up on a waiter withdraws it with {@link #cancel}.
 *
 * <p>Invariants, true between any two calls:
 * <ul>
 *   <li>waiting takers imply an empty buffer and no waiting putters;
 *   <li>waiting putters imply a full buffer ({@code size == capacity}, so always, at capacity 0)
 *       and an open channel;
 *   <li>{@code finished} is {@code closed} and an empty buffer; once set, it is never un-set, and
 *       the finish listener and joiners have been told exactly once.
 * </ul>
 *
 * <p>No barging: an item or slot freed while others wait goes to the oldest waiter within the same
 * call, so a later call can never take what was promised to a waiter. Callbacks run only after the
 * state is consistent again, so a callback may call back into the channel.
 *
 * @param <E> the item type; {@code null} items are not allowed
 */
public final class ChannelState<E> {

  /** What {@link #offer} did with an item. */
  public enum Offer {
    /** Buffered, or handed straight to the oldest waiting taker. */
    ACCEPTED,
    /** No room (capacity 0: no waiting taker); nothing changed. */
    FULL,
    /** The channel is closed; nothing changed. */
    CLOSED
  }

  private final String name;
  private final int capacity;
  private final Runnable finishListener;
  private final ArrayDeque<E> buffer = new ArrayDeque<>();
  private final WaitQueue<Waiter<Void>> waitingPutters = new WaitQueue<>();
  private final WaitQueue<Waiter<E>> waitingTakers = new WaitQueue<>();
  private final WaitQueue<Waiter<Void>> waitingJoiners = new WaitQueue<>();
  // volatile: other threads may read the flags (Channel#isClosed); everything else is confined
  private volatile boolean closed;
  private volatile boolean finished;
  private long totalPut;
  private long totalTaken;

  /**
   * @param capacity a bound {@code >= 0} ({@code 0} = rendezvous) or {@link Channel#UNBOUNDED}
   * @param finishListener run once, on the transition to finished, after the joiners are told
   */
  public ChannelState(String name, int capacity, Runnable finishListener) {
    this.name = Objects.requireNonNull(name, "name");
    if (capacity < 0) {
      throw new IllegalArgumentException(
          "channel '" + name + "': capacity must be >= 0 (0 = rendezvous), or Channel.UNBOUNDED, not " + capacity);
    }
    this.capacity = capacity;
    this.finishListener = Objects.requireNonNull(finishListener, "finishListener");
  }

  /**
   * Puts without waiting: hands the item to the oldest waiting taker, else buffers it if there is
   * room. Closed takes precedence over full.
   */
  public Offer offer(E item) {
    Objects.requireNonNull(item, "item");
    if (closed) {
      return Offer.CLOSED;
    }
    Waiter<E> taker = waitingTakers.poll();
    if (taker != null) {
      totalPut++;
      totalTaken++;
      taker.onSuccess(item);
      return Offer.ACCEPTED;
    }
    if (buffer.size() < capacity) {
      buffer.addLast(item);
      totalPut++;
      return Offer.ACCEPTED;
    }
    return Offer.FULL;
  }

  /**
   * Makes a put wait for room, behind every putter already waiting. Call only after {@link #offer}
   * answered {@link Offer#FULL} in the same turn. The putter succeeds once its item is admitted
   * (rendezvous: once a taker received it), or fails {@link ChannelClosedException} on close, its
   * item not enqueued.
   */
  public void enqueuePut(E item, Waiter<Void> putter) {
    Objects.requireNonNull(item, "item");
    if (closed || !waitingTakers.isEmpty() || buffer.size() < capacity) {
      throw new IllegalStateException("channel '" + name + "': a put may wait only on a full open channel");
    }
    putter.item = item;
    waitingPutters.add(putter);
  }

  /**
   * Takes without waiting: the oldest buffered item (admitting the oldest waiting putter into the
   * freed slot), or at capacity 0 the oldest waiting putter's item. Returns {@code null} when there
   * is none: the channel is then either open and empty, or {@link #isFinished() finished}.
   */
  public E poll() {
    E item = buffer.pollFirst();
    Waiter<Void> admitted = waitingPutters.poll();
    if (item == null) {
      if (admitted == null) {
        return null;
      }
      item = admittedItem(admitted); // rendezvous: straight from the putter
    } else if (admitted != null) {
      buffer.addLast(admittedItem(admitted));
    }
    if (admitted != null) {
      totalPut++;
    }
    totalTaken++;
    boolean justFinished = closed && buffer.isEmpty() && markFinished();
    if (admitted != null) {
      admitted.onSuccess(null);
    }
    if (justFinished) {
      notifyFinished();
    }
    return item;
  }

  /**
   * Makes a take wait for an item, behind every taker already waiting. Call only after
   * {@link #poll} answered {@code null} on an open channel in the same turn. The taker fails
   * {@link ChannelClosedException} if the channel closes before an item arrives for it.
   */
  public void enqueueTake(Waiter<E> taker) {
    if (closed || !buffer.isEmpty() || !waitingPutters.isEmpty()) {
      throw new IllegalStateException("channel '" + name + "': a take may wait only on an open empty channel");
    }
    waitingTakers.add(taker);
  }

  /** Makes a join wait for the end; succeeds at once if the channel has already finished. */
  public void awaitFinished(Waiter<Void> joiner) {
    if (finished) {
      joiner.onSuccess(null);
    } else {
      waitingJoiners.add(joiner);
    }
  }

  /**
   * Withdraws a waiter (its owner gave up, e.g. on a deadline). Returns {@code false} if it was
   * already completed; otherwise it leaves without trace (a put's item is not enqueued) and is not
   * called back.
   */
  public boolean cancel(Waiter<?> waiter) {
    return waitingPutters.remove(waiter) || waitingTakers.remove(waiter) || waitingJoiners.remove(waiter);
  }

  /**
   * Closes the channel; idempotent and permanent. Waiting putters fail {@link
   * ChannelClosedException} and their items are not enqueued; waiting takers fail too (they exist
   * only when the buffer is empty). Buffered items stay takeable.
   *
   * @return whether this call closed it
   */
  public boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    List<Waiter<Void>> putters = waitingPutters.drain();
    List<Waiter<E>> takers = waitingTakers.drain();
    boolean justFinished = buffer.isEmpty() && markFinished();
    ChannelClosedException cause = closedException();
    putters.forEach(putter -> putter.onFailure(cause));
    takers.forEach(taker -> taker.onFailure(cause));
    if (justFinished) {
      notifyFinished();
    }
    return true;
  }

  /**
   * Ends the channel without finishing it (the host's delete): every waiting put, take and join
   * fails with {@code cause}, buffered items are dropped, and neither the joiners nor the finish
   * listener are told of an end.
   *
   * @return how many buffered items were dropped
   */
  public int discard(ChannelException cause) {
    closed = true;
    int discarded = buffer.size();
    buffer.clear();
    List<Waiter<Void>> putters = waitingPutters.drain();
    List<Waiter<E>> takers = waitingTakers.drain();
    List<Waiter<Void>> joiners = waitingJoiners.drain();
    putters.forEach(putter -> putter.onFailure(cause));
    takers.forEach(taker -> taker.onFailure(cause));
    joiners.forEach(joiner -> joiner.onFailure(cause));
    return discarded;
  }

  public String name() {
    return name;
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return buffer.size();
  }

  public boolean isClosed() {
    return closed;
  }

  public boolean isFinished() {
    return finished;
  }

  public int waitingPutters() {
    return waitingPutters.size();
  }

  public int waitingTakers() {
    return waitingTakers.size();
  }

  public ChannelStatus status() {
    return new ChannelStatus(name, capacity, buffer.size(), closed, finished,
        waitingPutters.size(), waitingTakers.size(), totalPut, totalTaken);
  }

  public ChannelClosedException closedException() {
    return new ChannelClosedException("channel '" + name + "' is closed");
  }

  public ChannelFullException fullException() {
    return new ChannelFullException("channel '" + name + "' is full");
  }

  public ChannelEmptyException emptyException() {
    return new ChannelEmptyException("channel '" + name + "' is empty");
  }

  public ChannelTimeoutException timeoutException(String operation, long timeoutMs) {
    return new ChannelTimeoutException(
        "channel '" + name + "': " + operation + " not possible within " + timeoutMs + " ms");
  }

  @SuppressWarnings("unchecked")
  private E admittedItem(Waiter<Void> putter) {
    E item = (E) putter.item;
    putter.item = null;
    return item;
  }

  private boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  private void notifyFinished() {
    waitingJoiners.drain().forEach(joiner -> joiner.onSuccess(null));
    finishListener.run();
  }
}
