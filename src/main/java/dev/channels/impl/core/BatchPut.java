package dev.channels.impl.core;

import java.util.List;

/**
 * A batch put, written once for the in-process channel and the host: offers its items in order;
 * when the channel is full, the next item waits like a put, and the rest follow once it is
 * admitted. Other putters may interleave between its items, never reorder them. It ends once:
 * {@link #completed} with every item in, or {@link #stopped} early, with how many went in and why
 * ({@link Outcome#CLOSED}, {@link Outcome#OVERLOADED}, {@link Outcome#TIMEOUT}, or what the owner
 * failed its waiting with). Its deadline counts from when it first has to wait; a waiting batch
 * counts as one waiter.
 *
 * @param <E> the item type
 */
public abstract class BatchPut<E> extends Waiter<Void> {

  private final ChannelOperations<E> operations;
  private final ChannelState<E> state;
  private final List<E> items;
  private final long timeoutMs;
  private int enqueued;
  private boolean waited;
  private long timerId = -1;

  /** @param timeoutMs how long it may wait, counted from when it first has to; {@link ChannelOperations#NO_DEADLINE}: for ever */
  protected BatchPut(ChannelOperations<E> operations, List<E> items, long timeoutMs) {
    this.operations = operations;
    this.state = operations.state();
    this.items = items;
    this.timeoutMs = timeoutMs;
  }

  /** Puts what it can now; the rest waits. A closed channel stops it at once (with none in). */
  public final void start() {
    if (state.isClosed()) {
      stopped(0, Outcome.CLOSED, state.details().closed());
      return;
    }
    putRest();
  }

  /** Every item is in. */
  protected abstract void completed(int enqueued);

  /** It stopped early: {@code enqueued} items are in (perhaps none), the rest stay the caller's. */
  protected abstract void stopped(int enqueued, Outcome why, String detail);

  /**
   * Runs {@code next} (what follows an admission or a failure of its waiting) as its owner tells a
   * served waiter: in a later turn, or after the answer of the request that served it.
   */
  protected abstract void later(Runnable next);

  /** It waits for room, with {@code enqueued} items in so far. Does nothing by default. */
  protected void waits(int enqueued) {
  }

  private void putRest() {
    ChannelOperations.Limits limits = operations.limits();
    while (enqueued < items.size()) {
      E item = items.get(enqueued);
      if (state.waitingTakers() == 0 && operations.refused(limits.noRoomForAnItem())) {
        stop(Outcome.OVERLOADED, operations.overloadedDetail());
        return;
      }
      switch (state.offer(item)) {
        case ACCEPTED -> enqueued++;
        case CLOSED -> {
          stop(Outcome.CLOSED, state.details().closed());
          return;
        }
        case FULL -> {
          await(item);
          return;
        }
      }
    }
    cancelTimer();
    completed(enqueued);
  }

  private void await(E item) {
    if (timeoutMs == 0) {
      stop(Outcome.TIMEOUT, state.details().timedOut("put-all", 0));
      return;
    }
    if (!waited) { // the first wait: it counts as one waiter from now on
      waited = true;
      if (operations.refused(operations.limits().noRoomForAWaiter())) {
        stop(Outcome.OVERLOADED, operations.overloadedDetail());
        return;
      }
      if (timeoutMs != ChannelOperations.NO_DEADLINE) {
        timerId = operations.timers().schedule(timeoutMs, () -> {
          timerId = -1;
          if (state.cancel(this)) {
            stop(Outcome.TIMEOUT, state.details().timedOut("put-all", timeoutMs));
          }
        });
      }
    }
    waits(enqueued);
    state.enqueuePut(item, this);
  }

  private void stop(Outcome why, String detail) {
    cancelTimer();
    stopped(enqueued, why, detail);
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      operations.timers().cancel(timerId);
      timerId = -1;
    }
  }

  @Override
  protected final void onSuccess(Void admitted) {
    later(() -> {
      enqueued++;
      putRest();
    });
  }

  @Override
  protected final void onFailure(Outcome outcome, String detail) {
    later(() -> stop(outcome, detail));
  }
}
