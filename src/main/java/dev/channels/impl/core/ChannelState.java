package dev.channels.impl.core;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The state machine of one closable channel: a FIFO buffer, FIFO queues of waiting putters, takers
 * and joiners, and the closed/finished flags. Every semantic decision (ordering, hand-off, close,
 * finish) is made here, once, for both the in-process channel and the host.
 *
 * <p>Not thread-safe: its owner confines it to one thread at a time (a Vert.x context), except for
 * {@link #isClosed}, {@link #isFinished} and {@link #sizeFromAnyThread}. It knows nothing of time
 * either; an owner that gives up on a waiter withdraws it with {@link #cancel}.
 *
 * <p>Acknowledged takes (the host's): an item handed to a taker that {@link
 * Waiter#acknowledges() acknowledges} is <em>in flight</em> as a {@link Delivery} until its holder
 * settles it. It may {@link #acknowledge} it (taken), give it back ({@link #nack}: it failed, and
 * counts towards the delivery limit; {@link #release}: it was never handled, and does not count;
 * {@link #expire}: nobody answered in time), or {@link #reject} it (dead-letter it now). A
 * given-back item goes to the oldest waiting taker, else back into the buffer ahead of every
 * never-delivered item (among returned items, in the order they were first delivered), even beyond
 * the capacity. A nack may ask for a delay: the item then stays in flight until its owner {@link
 * #redeliver redelivers} it (this class knows nothing of time).
 *
 * <p>Dead letters: an item that fails its {@code maxDeliveries}-th delivery, or that is rejected,
 * leaves through the {@link DeadLetterSink}; it counts as in flight until the sink confirms with
 * {@link #deadLettered}, so a channel never finishes while an item is on its way to its dead-letter
 * channel.
 *
 * <p>Invariants, true between any two calls:
 * <ul>
 *   <li>the buffer is the returned items, then the fresh ones; {@code size} counts both, not the
 *       in-flight items;
 *   <li>waiting takers imply an empty buffer and no waiting putters;
 *   <li>waiting putters imply a full buffer ({@code size >= capacity}, so always, at capacity 0)
 *       and an open channel;
 *   <li>waiting takers on a closed channel imply items in flight (one may come back);
 *   <li>{@code inFlight} counts the deliveries in flight, delayed, or on their way to the
 *       dead-letter channel;
 *   <li>{@code finished} is {@code closed}, an empty buffer and nothing in flight; once set, it is
 *       never un-set, and the finish listener and joiners have been told exactly once.
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

  /** Where the items that must leave for the dead-letter channel go. */
  @FunctionalInterface
  public interface DeadLetterSink<E> {
    /**
     * Takes {@code delivery} (its item, {@link Delivery#deliveries()}, {@link
     * Delivery#deadLetterReason()} and {@link Delivery#error()}) towards the dead-letter channel,
     * and calls {@link ChannelState#deadLettered} once it is there, now or later. Called once the
     * state is consistent again.
     */
    void deadLetter(Delivery<E> delivery);
  }

  /** What became of a delivery that was given back. */
  public enum Returned {
    /** Back at the head of the buffer, or handed to the oldest waiting taker. */
    RETURNED,
    /** Held back: it stays in flight until {@link #redeliver}. */
    DELAYED,
    /** Its deliveries reached the limit: it went to the dead-letter sink. */
    DEAD_LETTERED,
    /** It was not in flight here; nothing changed. */
    NOT_IN_FLIGHT
  }

  /** {@code maxDeliveries} of a channel whose deliveries are not limited. */
  public static final int UNLIMITED_DELIVERIES = 0;

  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(ChannelState.class, "size", int.class);
    } catch (ReflectiveOperationException impossible) {
      throw new ExceptionInInitializerError(impossible);
    }
  }

  private final String name;
  private final Details details;
  private final int capacity;
  private final int maxDeliveries;
  /** Closes the channel when its last attached producer detaches (see {@link #producerDetached}). */
  private final boolean closeWhenDetached;
  private final ChannelObserver<E> observer;
  private final DeadLetterSink<E> deadLetters;
  /** Never-delivered items, oldest first. */
  private final ArrayDeque<E> buffer = new ArrayDeque<>();
  /** Given-back items, in the order of their first delivery; taken before {@code buffer}. */
  private final PriorityQueue<Delivery<E>> returned = new PriorityQueue<>(Comparator.comparingLong(Delivery::order));
  private final LinkedQueue<Waiter<Void>> waitingPutters = new LinkedQueue<>();
  private final LinkedQueue<Waiter<E>> waitingTakers = new LinkedQueue<>();
  private final LinkedQueue<Waiter<Void>> waitingJoiners = new LinkedQueue<>();
  // volatile: other threads may read the flags (Channel#isClosed); everything else is confined
  private volatile boolean closed;
  private volatile boolean finished;
  private boolean discarded;
  private long totalPut;
  private long totalTaken;
  private long totalRedelivered;
  private long totalDeadLettered;
  private int inFlight;
  /** Producers attached and not detached; never negative. */
  private int producers;
  /**
   * {@code buffer.size() + returned.size()}, counted wherever they change so that other threads can
   * read it ({@link #sizeFromAnyThread}), which they cannot do with the collections. Written
   * plainly. {@link #size()} asserts that the count is right (tests run with assertions on).
   */
  private int size;
  /** The putter admitted by the removal in progress; told once the removal is complete. */
  private Waiter<Void> admitted;
  /** The order of the next first delivery: first deliveries leave in put order. */
  private long nextDeliveryOrder;

  /**
   * A channel without a delivery limit and without dead letters (the in-process channel's).
   *
   * @param capacity a bound {@code >= 0} ({@code 0} = rendezvous) or {@link Channel#UNBOUNDED}
   * @param observer sees every change of its state (see {@link ChannelObserver}), its finish included
   */
  public ChannelState(String name, int capacity, ChannelObserver<E> observer) {
    this(name, capacity, false, observer);
  }

  /**
   * As {@link #ChannelState(String, int, ChannelObserver)}.
   *
   * @param closeWhenDetached whether the channel closes when its last attached producer detaches
   */
  public ChannelState(String name, int capacity, boolean closeWhenDetached, ChannelObserver<E> observer) {
    this(name, capacity, UNLIMITED_DELIVERIES, closeWhenDetached, observer, delivery -> {
      throw new IllegalStateException("channel '" + name + "' has no dead-letter channel");
    });
  }

  /** A channel that does not close by itself when its producers detach. */
  public ChannelState(String name, int capacity, int maxDeliveries, ChannelObserver<E> observer,
      DeadLetterSink<E> deadLetters) {
    this(name, capacity, maxDeliveries, false, observer, deadLetters);
  }

  /**
   * @param capacity a bound {@code >= 0} ({@code 0} = rendezvous) or {@link Channel#UNBOUNDED}
   * @param maxDeliveries how many deliveries an item may fail before it is dead-lettered; {@link
   *     #UNLIMITED_DELIVERIES} for no limit
   * @param closeWhenDetached whether the channel closes when its last attached producer detaches
   * @param observer sees every change of its state (see {@link ChannelObserver}), its finish included
   * @param deadLetters where rejected items and items past {@code maxDeliveries} go
   */
  public ChannelState(String name, int capacity, int maxDeliveries, boolean closeWhenDetached,
      ChannelObserver<E> observer, DeadLetterSink<E> deadLetters) {
    this.name = Objects.requireNonNull(name, "name");
    this.details = new Details(name);
    if (capacity < 0) {
      throw new IllegalArgumentException(
          "channel '" + name + "': capacity must be >= 0 (0 = rendezvous), or Channel.UNBOUNDED, not " + capacity);
    }
    if (maxDeliveries < 0) {
      throw new IllegalArgumentException(
          "channel '" + name + "': maxDeliveries must be >= 0 (0 = unlimited), not " + maxDeliveries);
    }
    this.capacity = capacity;
    this.maxDeliveries = maxDeliveries;
    this.closeWhenDetached = closeWhenDetached;
    this.observer = Objects.requireNonNull(observer, "observer");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
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
      observer.put(item);
      handTo(taker, item, null);
      return Offer.ACCEPTED;
    }
    if (size() < capacity) {
      buffer.addLast(item);
      size++;
      totalPut++;
      observer.put(item);
      return Offer.ACCEPTED;
    }
    return Offer.FULL;
  }

  /**
   * Puts without waiting and whatever the capacity: a dead letter, which must never be refused for
   * being full. Hands the item to the oldest waiting taker, else buffers it, even beyond the
   * capacity. {@link Offer#CLOSED} if the channel is closed (nothing changed).
   */
  public Offer admit(E item) {
    Objects.requireNonNull(item, "item");
    if (closed) {
      return Offer.CLOSED;
    }
    totalPut++;
    observer.put(item);
    Waiter<E> taker = waitingTakers.poll();
    if (taker != null) {
      handTo(taker, item, null);
    } else {
      buffer.addLast(item);
      size++;
    }
    return Offer.ACCEPTED;
  }

  /**
   * Makes a put wait for room, behind every putter already waiting. Call only after {@link #offer}
   * answered {@link Offer#FULL} in the same turn. The putter succeeds once its item is admitted
   * (rendezvous: once a taker received it), or fails {@link Outcome#CLOSED} on close, its
   * item not enqueued.
   */
  public void enqueuePut(E item, Waiter<Void> putter) {
    Objects.requireNonNull(item, "item");
    if (closed || !waitingTakers.isEmpty() || size() < capacity) {
      throw new IllegalStateException("channel '" + name + "': a put may wait only on a full open channel");
    }
    putter.item = item;
    waitingPutters.add(putter);
  }

  /**
   * Takes without waiting: the oldest buffered item (admitting the oldest waiting putter into the
   * freed slot), or at capacity 0 the oldest waiting putter's item. Returns {@code null} when there
   * is none: the channel is then open and empty, closed with items in flight, or {@link
   * #isFinished() finished}. A plain take: the item counts as taken at once.
   */
  public E poll() {
    if (!returned.isEmpty()) {
      return pollDelivery(false).item();
    }
    E item = removeFresh();
    if (item == null) {
      return null;
    }
    totalTaken++;
    observer.taken(item);
    tellAdmitted();
    finishIfDone();
    return item;
  }

  /**
   * As {@link #poll()}, but tells what was handed out: with {@code acknowledge}, the item stays in
   * flight until {@link #acknowledge}d or {@link #giveBack given back}; without, it is taken at
   * once (the delivery then only tells how many times it was handed out).
   */
  public Delivery<E> pollDelivery(boolean acknowledge) {
    Delivery<E> delivery = returned.poll();
    if (delivery == null) {
      E item = removeFresh();
      if (item == null) {
        return null;
      }
      delivery = new Delivery<>(this, item, nextDeliveryOrder++);
    } else {
      size--;
      admitWaitingPutter();
    }
    handOut(delivery, acknowledge);
    tellAdmitted();
    finishIfDone();
    return delivery;
  }

  /**
   * The item the next {@link #poll} would take, without taking it (at capacity 0, the oldest
   * waiting putter's); {@code null} if there is none.
   */
  public E peek() {
    Delivery<E> returnedItem = returned.peek();
    if (returnedItem != null) {
      return returnedItem.item();
    }
    E item = buffer.peekFirst();
    if (item == null && capacity == 0) {
      Waiter<Void> putter = waitingPutters.peek();
      @SuppressWarnings("unchecked")
      E offered = putter == null ? null : (E) putter.item;
      return offered;
    }
    return item;
  }

  /**
   * Makes a take wait for an item, behind every taker already waiting. Call only after
   * {@link #poll} answered {@code null} on an unfinished channel in the same turn. The taker fails
   * {@link Outcome#CLOSED} if the channel finishes before an item arrives for it.
   */
  public void enqueueTake(Waiter<E> taker) {
    if (finished || size() > 0 || !waitingPutters.isEmpty()) {
      throw new IllegalStateException("channel '" + name + "': a take may wait only on an empty unfinished channel");
    }
    waitingTakers.add(taker);
  }

  /**
   * Acknowledges an in-flight delivery: the item counts as taken, and the channel may finish.
   * Returns {@code false}, changing nothing, if it is not in flight here (already settled or given
   * back, or the channel was discarded).
   */
  public boolean acknowledge(Delivery<E> delivery) {
    if (!isInFlightHere(delivery)) {
      return false;
    }
    settle(delivery);
    totalTaken++;
    observer.acknowledged(delivery);
    finishIfDone();
    return true;
  }

  /**
   * Gives an in-flight delivery back at once, as failed: see {@link #nack(Delivery, long)}.
   * Returns whether it was in flight here.
   */
  public boolean giveBack(Delivery<E> delivery) {
    return nack(delivery, 0) != Returned.NOT_IN_FLIGHT;
  }

  /**
   * Gives an in-flight delivery back as failed (its holder could not process it). If it has been
   * delivered {@code maxDeliveries} times it is dead-lettered; otherwise, with {@code delayMs > 0}
   * it stays in flight, held back until its owner {@link #redeliver redelivers} it, and with no
   * delay it returns at once: to the oldest waiting taker, else to the head of the buffer (ahead of
   * never-delivered items, in order of first delivery among returned ones), even beyond the
   * capacity. Its next hand-out is a new delivery, which the holder of this one cannot settle.
   */
  public Returned nack(Delivery<E> delivery, long delayMs) {
    if (!isInFlightHere(delivery)) {
      return Returned.NOT_IN_FLIGHT;
    }
    if (limitReached(delivery)) {
      deadLetter(delivery, DeadLetter.MAX_DELIVERIES, null);
      return Returned.DEAD_LETTERED;
    }
    if (delayMs > 0) {
      delivery.stage = Delivery.Stage.DELAYED;
      observer.givenBack(delivery, Returned.DELAYED);
      return Returned.DELAYED;
    }
    returnItem(delivery);
    return Returned.RETURNED;
  }

  /**
   * Gives an in-flight delivery back whose holder never answered in time (its ack deadline passed,
   * or it went away): like a {@link #nack} without delay, so it counts towards {@code maxDeliveries}.
   */
  public Returned expire(Delivery<E> delivery) {
    return nack(delivery, 0);
  }

  /**
   * Gives an in-flight delivery back that its holder never handed to its application (a paused or
   * stopped stream): it returns at once, and this delivery does not count, neither towards {@code
   * maxDeliveries} nor as a redelivery. Returns whether it was in flight here.
   */
  public boolean release(Delivery<E> delivery) {
    if (!isInFlightHere(delivery)) {
      return false;
    }
    delivery.deliveries--;
    if (delivery.deliveries > 0) {
      totalRedelivered--; // its hand-out counted as a redelivery that never reached anybody
    }
    returnItem(delivery);
    return true;
  }

  /**
   * Gives back, without counting it as failed, a delivery whose owner can no longer wait for its
   * answer (the host stopping): it returns at once whatever its deliveries, its count kept, so its
   * next delivery says it was handed out before. Returns whether it was in flight or delayed here.
   */
  public boolean abandon(Delivery<E> delivery) {
    if (delivery.channel != this || discarded
        || delivery.stage != Delivery.Stage.IN_FLIGHT && delivery.stage != Delivery.Stage.DELAYED) {
      return false;
    }
    returnItem(delivery);
    return true;
  }

  /**
   * Sends an in-flight delivery to the dead-letter channel at once, never to be retried: its holder
   * rejected it ({@link DeadLetter#REJECTED}, {@link DeadLetter#UNMAPPABLE}). {@code error} is what
   * the holder said, or {@code null}. Returns whether it was in flight here.
   */
  public boolean reject(Delivery<E> delivery, DeadLetter reason, String error) {
    if (!isInFlightHere(delivery)) {
      return false;
    }
    deadLetter(delivery, Objects.requireNonNull(reason, "reason"), error);
    return true;
  }

  /**
   * Returns a delivery that a {@link #nack} held back, now that its delay has passed. Returns
   * {@code false}, changing nothing, if it is not held back here (the channel was discarded).
   */
  public boolean redeliver(Delivery<E> delivery) {
    if (delivery.channel != this || delivery.stage != Delivery.Stage.DELAYED || discarded) {
      return false;
    }
    returnItem(delivery);
    return true;
  }

  /**
   * Confirms that a delivery handed to the {@link DeadLetterSink} is in the dead-letter channel:
   * it counts as dead-lettered, and the channel may finish. Returns {@code false}, changing
   * nothing, if it was not on its way there from here (the channel was discarded meanwhile).
   */
  public boolean deadLettered(Delivery<E> delivery) {
    if (delivery.channel != this || delivery.stage != Delivery.Stage.DEAD_LETTERING || discarded) {
      return false;
    }
    settle(delivery);
    totalDeadLettered++;
    observer.deadLettered(delivery);
    finishIfDone();
    return true;
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
   * Withdraws every waiting taker {@code gone} accepts (they are on a cluster node that left), as
   * {@link #cancel} does: without trace, not called back. Returns how many.
   */
  public int withdrawTakers(Predicate<? super Waiter<E>> gone) {
    return waitingTakers.removeIf(gone).size();
  }

  /**
   * Closes the channel; idempotent and permanent. Waiting putters fail {@link
   * ChannelClosedException} and their items are not enqueued; waiting takers fail too (they exist
   * only when the buffer is empty) unless items are in flight. Buffered items stay takeable.
   *
   * @return whether this call closed it
   */
  public boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    observer.closed();
    List<Waiter<Void>> putters = waitingPutters.drain();
    // takers wait on while items are in flight: one may come back
    finished = size() == 0 && inFlight == 0;
    List<Waiter<E>> takers = finished ? waitingTakers.drain() : List.of();
    String closed = details.closed();
    putters.forEach(putter -> putter.onFailure(Outcome.CLOSED, closed));
    takers.forEach(taker -> taker.onFailure(Outcome.CLOSED, closed));
    if (finished) {
      notifyFinished();
    }
    return true;
  }

  /**
   * Ends the channel without finishing it (the host's delete): every waiting put, take and join
   * fails {@link Outcome#CLOSED} with {@code detail}, buffered items are dropped, in-flight items
   * are forgotten (later acknowledgements and give-backs change nothing), and neither the joiners
   * nor the finish listener are told of an end.
   *
   * @return how many buffered items were dropped
   */
  public int discard(String detail) {
    closed = true;
    discarded = true;
    int dropped = size();
    buffer.clear();
    returned.clear();
    size = 0;
    inFlight = 0;
    observer.discarded(dropped);
    failWaiters(Outcome.CLOSED, detail);
    return dropped;
  }

  /**
   * Fails every waiting put, take and join with {@code outcome} and {@code detail}, and keeps
   * everything else: the items, in flight ones included, the flags and the counts (a host that stops
   * serving the channel for now, {@link Outcome#UNAVAILABLE}). Putters keep their items.
   */
  public void failWaiters(Outcome outcome, String detail) {
    List<Waiter<Void>> putters = waitingPutters.drain();
    List<Waiter<E>> takers = waitingTakers.drain();
    List<Waiter<Void>> joiners = waitingJoiners.drain();
    putters.forEach(putter -> putter.onFailure(outcome, detail));
    takers.forEach(taker -> taker.onFailure(outcome, detail));
    joiners.forEach(joiner -> joiner.onFailure(outcome, detail));
  }

  /**
   * Restores an item of a replicated channel taken over after its owner's death: never delivered
   * ({@code deliveries == 0}) it is buffered behind the fresh items restored so far; delivered
   * before (in flight, delayed or given back at the failover) it returns ahead of every fresh item,
   * its count kept, so its next hand-out says it was delivered before. Call only on a new state,
   * before anybody waits on it, in the order the items were put; the observer is not told (the
   * replica has these items already). {@code order} is its first delivery's order, ignored when
   * {@code deliveries == 0}.
   */
  public void restore(E item, int deliveries, long order) {
    Objects.requireNonNull(item, "item");
    if (deliveries == 0) {
      buffer.addLast(item);
    } else {
      Delivery<E> again = new Delivery<>(this, item, order);
      again.deliveries = deliveries;
      returned.add(again);
      nextDeliveryOrder = Math.max(nextDeliveryOrder, order + 1);
    }
    size++;
  }

  /**
   * Restores an item of a replicated channel that was on its way to the dead-letter channel when
   * its owner died: it is sent there again (through the {@link DeadLetterSink}, once this state is
   * restored and served), counted in flight until {@link #deadLettered}. Same rules as {@link
   * #restore(Object, int, long)}; {@code reason} and {@code error} as when it was first sent.
   */
  public Delivery<E> restoreDeadLetter(E item, int deliveries, long order, DeadLetter reason, String error) {
    Delivery<E> delivery = new Delivery<>(this, item, order);
    delivery.deliveries = deliveries;
    delivery.stage = Delivery.Stage.DEAD_LETTERING;
    delivery.reason = Objects.requireNonNull(reason, "reason");
    delivery.error = error;
    nextDeliveryOrder = Math.max(nextDeliveryOrder, order + 1);
    inFlight++;
    return delivery;
  }

  /** Sends a {@link #restoreDeadLetter restored} dead letter on, now that the channel is served. */
  public void resendDeadLetter(Delivery<E> delivery) {
    if (delivery.channel == this && delivery.stage == Delivery.Stage.DEAD_LETTERING && !discarded) {
      deadLetters.deadLetter(delivery);
    }
  }

  /**
   * Restores the flag and the counts of a replicated channel taken over after its owner's death,
   * once its items are {@link #restore restored}; a closed channel with no item is finished (its
   * joiners, if it had any, were at the old owner). The observer is not told.
   */
  public void restore(boolean closed, long totalPut, long totalTaken, long totalRedelivered, long totalDeadLettered) {
    this.totalPut = totalPut;
    this.totalTaken = totalTaken;
    this.totalRedelivered = totalRedelivered;
    this.totalDeadLettered = totalDeadLettered;
    this.closed = closed;
    this.finished = closed && size() == 0 && inFlight == 0;
  }

  /**
   * A producer attached. The owner refuses an attach to a closed channel ({@link
   * ChannelOperations#attach}); a producer attached before the close stays attached until it
   * detaches.
   */
  public void producerAttached() {
    producers++;
    observer.producersChanged(producers);
  }

  /**
   * An attached producer detached (or its owner gave up on it: its lease expired, its node left).
   * The last one to detach closes a channel made to close when detached, exactly as {@link #close}
   * does; a channel nobody ever attached to never closes by itself.
   *
   * @throws IllegalStateException if no producer is attached (the owner detached one twice)
   */
  public void producerDetached() {
    if (producers == 0) {
      throw new IllegalStateException("channel '" + name + "': no producer is attached");
    }
    producers--;
    observer.producersChanged(producers);
    if (producers == 0 && closeWhenDetached) {
      close();
    }
  }

  /** Producers attached and not yet detached. */
  public int producers() {
    return producers;
  }

  /** Whether the channel closes when its last attached producer detaches. */
  public boolean closesWhenDetached() {
    return closeWhenDetached;
  }

  public String name() {
    return name;
  }

  public int capacity() {
    return capacity;
  }

  /** Buffered items, returned ones included; in-flight ones excluded. */
  public int size() {
    assert size == buffer.size() + returned.size()
        : "channel '" + name + "': size counted " + size + ", buffered " + (buffer.size() + returned.size());
    return size;
  }

  /**
   * {@link #size()} for any thread: exact on the owner's; elsewhere a value the size had recently,
   * never torn (an opaque read of an int), and read afresh on each call. Once {@link #isFinished()}
   * reads {@code true}, this reads 0: the size reached 0 before the volatile flag was set.
   */
  public int sizeFromAnyThread() {
    return (int) SIZE.getOpaque(this);
  }

  public int inFlight() {
    return inFlight;
  }

  public int maxDeliveries() {
    return maxDeliveries;
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

  public int waitingJoiners() {
    return waitingJoiners.size();
  }

  public ChannelStatus status() {
    return new ChannelStatus(name, capacity, size(), closed, finished, waitingPutters.size(), waitingTakers.size(),
        totalPut, totalTaken, inFlight, totalRedelivered, totalDeadLettered, null, 0, producers);
  }

  /** What this channel's failures say. */
  public Details details() {
    return details;
  }

  /**
   * Removes the oldest never-delivered item, admitting the oldest waiting putter into the freed
   * slot (at capacity 0: taking the putter's item itself); {@code null} if there is none.
   */
  private E removeFresh() {
    E item = buffer.pollFirst();
    if (item == null) {
      Waiter<Void> putter = size() < capacity ? null : waitingPutters.poll(); // rendezvous
      if (putter == null) {
        return null;
      }
      totalPut++;
      admitted = putter;
      E handed = admittedItem(putter);
      observer.put(handed);
      return handed;
    }
    size--;
    admitWaitingPutter();
    return item;
  }

  /** Admits the oldest waiting putter's item if a slot is free. */
  private void admitWaitingPutter() {
    if (size() < capacity) {
      Waiter<Void> putter = waitingPutters.poll();
      if (putter != null) {
        E item = admittedItem(putter);
        buffer.addLast(item);
        size++;
        totalPut++;
        observer.put(item);
        admitted = putter;
      }
    }
  }

  /** Hands an item to a taker that was waiting: in flight if it acknowledges, else taken. */
  private void handTo(Waiter<E> taker, E item, Delivery<E> returnedDelivery) {
    account(taker, item, returnedDelivery);
    taker.onSuccess(item);
  }

  private void account(Waiter<E> taker, E item, Delivery<E> returnedDelivery) {
    if (taker.acknowledges() || returnedDelivery != null) {
      Delivery<E> delivery = returnedDelivery != null ? returnedDelivery
          : new Delivery<>(this, item, nextDeliveryOrder++);
      handOut(delivery, taker.acknowledges());
      taker.delivery = delivery;
    } else {
      totalTaken++;
      observer.taken(item);
    }
  }

  private void handOut(Delivery<E> delivery, boolean acknowledge) {
    if (++delivery.deliveries > 1) {
      totalRedelivered++;
    }
    if (acknowledge) {
      delivery.stage = Delivery.Stage.IN_FLIGHT;
      inFlight++;
    } else {
      totalTaken++;
    }
    observer.handedOut(delivery);
  }

  private boolean isInFlightHere(Delivery<E> delivery) {
    return delivery.channel == this && delivery.stage == Delivery.Stage.IN_FLIGHT && !discarded;
  }

  private boolean limitReached(Delivery<E> delivery) {
    return maxDeliveries != UNLIMITED_DELIVERIES && delivery.deliveries >= maxDeliveries;
  }

  /** A delivery leaves the in-flight count: settled for good, or given back as a new delivery. */
  private void settle(Delivery<E> delivery) {
    delivery.stage = Delivery.Stage.SETTLED;
    inFlight--;
  }

  /**
   * Gives a delivery's item back as a new delivery of it: to the oldest waiting taker, else to the
   * head of the buffer. If a plain take takes it and it was the last item of a closed channel, the
   * channel finishes.
   */
  private void returnItem(Delivery<E> delivery) {
    settle(delivery);
    observer.givenBack(delivery, Returned.RETURNED);
    // a new delivery: whoever holds the old one can no longer settle the item
    Delivery<E> again = new Delivery<>(this, delivery.item(), delivery.order());
    again.deliveries = delivery.deliveries;
    Waiter<E> taker = waitingTakers.poll();
    if (taker != null) {
      account(taker, again.item(), again);
    } else {
      returned.add(again);
      size++;
    }
    List<Waiter<E>> failed = finishing(); // a plain taker may have taken the last item
    if (taker != null) {
      taker.onSuccess(again.item());
    }
    tellFinished(failed);
  }

  /** Hands a delivery to the dead-letter sink; it stays counted in flight until {@link #deadLettered}. */
  private void deadLetter(Delivery<E> delivery, DeadLetter reason, String error) {
    delivery.stage = Delivery.Stage.DEAD_LETTERING;
    delivery.reason = reason;
    delivery.error = error;
    observer.deadLettering(delivery);
    deadLetters.deadLetter(delivery);
  }

  /**
   * Finishes the channel if it is closed, empty and has nothing in flight: fails the waiting
   * takers, then tells the joiners and the finish listener.
   */
  private void finishIfDone() {
    tellFinished(finishing());
  }

  /**
   * Marks the channel finished if it is closed, empty and has nothing in flight, and answers the
   * takers still waiting, to fail; {@code null} if it does not finish now.
   */
  private List<Waiter<E>> finishing() {
    if (!closed || finished || size() > 0 || inFlight > 0) {
      return null;
    }
    finished = true;
    return waitingTakers.drain();
  }

  /** Tells of a finish that {@link #finishing} marked: the failed takers, then the joiners. */
  private void tellFinished(List<Waiter<E>> failedTakers) {
    if (failedTakers == null) {
      return;
    }
    if (!failedTakers.isEmpty()) {
      String closed = details.closed();
      failedTakers.forEach(taker -> taker.onFailure(Outcome.CLOSED, closed));
    }
    notifyFinished();
  }

  /** Tells the putter admitted by the last removal, once the state is consistent again. */
  private void tellAdmitted() {
    Waiter<Void> putter = admitted;
    if (putter != null) {
      admitted = null;
      putter.onSuccess(null);
    }
  }

  @SuppressWarnings("unchecked")
  private E admittedItem(Waiter<Void> putter) {
    E item = (E) putter.item;
    putter.item = null;
    return item;
  }

  private void notifyFinished() {
    waitingJoiners.drain().forEach(joiner -> joiner.onSuccess(null));
    observer.finished();
  }
}
