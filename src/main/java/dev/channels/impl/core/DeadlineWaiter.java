package dev.channels.impl.core;

/**
 * A waiter that may give up at a deadline: the one kind of waiting put, take and join of both the
 * in-process channel and the host. Served or failed by the state machine, or withdrawn when its
 * deadline passes ({@link Outcome#TIMEOUT}, leaving no trace), it is told exactly once.
 *
 * @param <R> what a successful completion carries (the item for a take, nothing otherwise)
 */
public abstract class DeadlineWaiter<R> extends Waiter<R> {

  private Timers timers;
  private long timerId = -1;

  /**
   * Withdraws it from {@code state} once {@code timeoutMs} have passed, if it still waits then, and
   * fails it {@link Outcome#TIMEOUT}. Call once, after it was queued.
   */
  final void expireAfter(Timers timers, ChannelState<?> state, String operation, long timeoutMs) {
    this.timers = timers;
    timerId = timers.schedule(timeoutMs, () -> {
      timerId = -1;
      if (state.cancel(this)) {
        failed(Outcome.TIMEOUT, state.details().timedOut(operation, timeoutMs));
      }
    });
  }

  /** Called once, when it is served; its deadline no longer applies. */
  protected abstract void succeeded(R result);

  /** Called once, when it fails (its deadline included). */
  protected abstract void failed(Outcome outcome, String detail);

  @Override
  protected final void onSuccess(R result) {
    disarm();
    succeeded(result);
  }

  @Override
  protected final void onFailure(Outcome outcome, String detail) {
    disarm();
    failed(outcome, detail);
  }

  private void disarm() {
    if (timerId >= 0) {
      timers.cancel(timerId);
      timerId = -1;
    }
  }
}
