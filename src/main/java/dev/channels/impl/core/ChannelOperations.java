package dev.channels.impl.core;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The operations of one channel, written once over its state machine: what a put, offer, take,
 * poll and join do now, how they wait under a deadline, and the limits they meet. The in-process
 * channel and the host both make their operations here; they differ only in how they tell an
 * outcome (a future; a reply) and in the limits they hold. Batch puts are {@link BatchPut}.
 *
 * <p>An operation answers with an {@link Outcome}: {@code DONE}, a failure (its text from {@link
 * #detail}), or {@code WAITS}: then the waiter it was given is queued and armed, and will be told.
 * Waiters are made only when an operation must wait, so the common case allocates nothing.
 *
 * <p>Confined to the channel's owner, like the state machine.
 *
 * @param <E> the item type
 */
public final class ChannelOperations<E> {

  /** A timeout meaning "wait as long as it takes". */
  public static final long NO_DEADLINE = -1;

  /**
   * The limits an owner holds (the host's): each answers {@code null} when there is room, or why
   * not (the detail of an {@link Outcome#OVERLOADED}).
   */
  public interface Limits {

    /** No limits (the in-process channel). */
    Limits NONE = new Limits() {
      @Override
      public String noRoomForAnItem() {
        return null;
      }

      @Override
      public String noRoomForAWaiter() {
        return null;
      }

      @Override
      public String noRoomForAJoin() {
        return null;
      }
    };

    /** Whether one more item may be buffered. */
    String noRoomForAnItem();

    /** Whether one more put or take may wait. */
    String noRoomForAWaiter();

    /** Whether one more join may wait. */
    String noRoomForAJoin();
  }

  private final ChannelState<E> state;
  private final Timers timers;
  private final Limits limits;
  /** Why the last operation was refused {@link Outcome#OVERLOADED}; read at once by its caller. */
  private String overloaded;

  public ChannelOperations(ChannelState<E> state, Timers timers, Limits limits) {
    this.state = state;
    this.timers = timers;
    this.limits = limits;
  }

  /**
   * A duration as a timeout in ms: rounded up to 1 ms when positive, saturated when huge; {@code -1}
   * when it is not a timeout (null or negative). The one conversion of the in-process channel and
   * the client.
   */
  public static long toMillis(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      return -1;
    }
    if (timeout.isZero()) {
      return 0;
    }
    try {
      return Math.max(1, timeout.toMillis());
    } catch (ArithmeticException huge) {
      return Long.MAX_VALUE;
    }
  }

  public ChannelState<E> state() {
    return state;
  }

  Timers timers() {
    return timers;
  }

  Limits limits() {
    return limits;
  }

  /**
   * A put: {@code DONE} once buffered (or handed to a waiting taker); refused {@code CLOSED}
   * (closed beats full), {@code OVERLOADED} (no room for an item that would be buffered, or for a
   * waiter); when full, {@code FULL} if it may not wait (an offer), {@code TIMEOUT} if its timeout
   * is 0, else {@code WAITS}: the putter {@code waiting} makes waits for room, at most {@code
   * timeoutMs} ({@link #NO_DEADLINE}: for ever).
   */
  public Outcome put(E item, boolean mayWait, long timeoutMs, Supplier<? extends DeadlineWaiter<Void>> waiting) {
    // small, so that it inlines into every put: the limits (none in process), then the offer
    Outcome refused = limits == Limits.NONE ? null : refusedByLimits();
    if (refused != null) {
      return refused;
    }
    ChannelState.Offer offer = state.offer(item);
    return offer == ChannelState.Offer.ACCEPTED ? Outcome.DONE : notAccepted(offer, item, mayWait, timeoutMs, waiting);
  }

  /** Closed beats overloaded: {@code CLOSED}, or {@code OVERLOADED} if the item would be buffered (or wait) past a limit. */
  private Outcome refusedByLimits() {
    if (state.isClosed()) {
      return Outcome.CLOSED;
    }
    if (state.waitingTakers() == 0 && refused(limits.noRoomForAnItem())) {
      return Outcome.OVERLOADED;
    }
    return null;
  }

  /** A put the channel did not take at once: closed, or full (then it fails or waits, as {@link #put} says). */
  private Outcome notAccepted(ChannelState.Offer offer, E item, boolean mayWait, long timeoutMs,
      Supplier<? extends DeadlineWaiter<Void>> waiting) {
    if (offer == ChannelState.Offer.CLOSED) {
      return Outcome.CLOSED;
    }
    if (!mayWait) {
      return Outcome.FULL;
    }
    if (timeoutMs == 0) {
      return Outcome.TIMEOUT;
    }
    if (refused(limits.noRoomForAWaiter())) {
      return Outcome.OVERLOADED;
    }
    DeadlineWaiter<Void> putter = waiting.get();
    state.enqueuePut(item, putter);
    arm(putter, "put", timeoutMs);
    return Outcome.WAITS;
  }

  /**
   * A take that found no item now (its owner polls first: a take hands out an item its own way):
   * {@code CLOSED} if the channel has finished, {@code EMPTY} if it may not wait (a poll), {@code
   * TIMEOUT} if its timeout is 0, {@code OVERLOADED} if no more takes may wait, else {@code WAITS}:
   * the taker {@code waiting} makes waits for an item, at most {@code timeoutMs}.
   */
  public Outcome awaitItem(boolean mayWait, long timeoutMs, Supplier<? extends DeadlineWaiter<E>> waiting) {
    if (state.isFinished()) {
      return Outcome.CLOSED;
    }
    if (!mayWait) {
      return Outcome.EMPTY;
    }
    if (timeoutMs == 0) {
      return Outcome.TIMEOUT;
    }
    if (refused(limits.noRoomForAWaiter())) {
      return Outcome.OVERLOADED;
    }
    DeadlineWaiter<E> taker = waiting.get();
    state.enqueueTake(taker);
    arm(taker, "take", timeoutMs);
    return Outcome.WAITS;
  }

  /**
   * A join: {@code DONE} if the channel has finished; {@code TIMEOUT} if its timeout is 0, {@code
   * OVERLOADED} if no more joins may wait, else {@code WAITS}: the joiner {@code waiting} makes waits
   * for the end, at most {@code timeoutMs}.
   */
  public Outcome join(long timeoutMs, Supplier<? extends DeadlineWaiter<Void>> waiting) {
    if (state.isFinished()) {
      return Outcome.DONE;
    }
    if (timeoutMs == 0) {
      return Outcome.TIMEOUT;
    }
    if (refused(limits.noRoomForAJoin())) {
      return Outcome.OVERLOADED;
    }
    DeadlineWaiter<Void> joiner = waiting.get();
    state.awaitFinished(joiner);
    arm(joiner, "join", timeoutMs);
    return Outcome.WAITS;
  }

  /**
   * Attaches a producer: {@link Outcome#DONE}, or {@link Outcome#CLOSED} (nothing changed) if the
   * channel is closed. Never waits.
   */
  public Outcome attach() {
    if (state.isClosed()) {
      return Outcome.CLOSED;
    }
    state.producerAttached();
    return Outcome.DONE;
  }

  /** What the failure {@code outcome} of {@code operation} (made with {@code timeoutMs}) says. */
  public String detail(Outcome outcome, String operation, long timeoutMs) {
    Details details = state.details();
    return switch (outcome) {
      case CLOSED -> operation.equals("take") || operation.equals("poll") ? details.closedAndDrained() : details.closed();
      case FULL -> details.full(state.capacity());
      case EMPTY -> state.isClosed() ? details.emptyWithItemsInFlight(state.inFlight()) : details.empty();
      case TIMEOUT -> details.timedOut(operation, timeoutMs);
      case OVERLOADED -> overloaded;
      case UNAVAILABLE, DONE, WAITS -> throw new IllegalArgumentException(outcome + " is not a failure of an operation");
    };
  }

  void arm(DeadlineWaiter<?> waiter, String operation, long timeoutMs) {
    if (timeoutMs != NO_DEADLINE) {
      waiter.expireAfter(timers, state, operation, timeoutMs);
    }
  }

  /** Whether a limit refused ({@code why} not {@code null}), keeping why for {@link #detail}. */
  boolean refused(String why) {
    if (why == null) {
      return false;
    }
    overloaded = why;
    return true;
  }

  String overloadedDetail() {
    return overloaded;
  }
}
