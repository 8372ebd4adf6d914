package dev.channels.impl.core;

/**
 * One operation waiting on a {@link ChannelState}: a put waiting for room, a take waiting for an
 * item, or a join waiting for the end. The state machine completes it exactly once, with
 * {@link #onSuccess} or {@link #onFailure}, unless its owner withdraws it first with
 * {@link ChannelState#cancel}.
 *
 * <p>Waiters are nodes of a {@link LinkedQueue}, so that a timed-out waiter leaves in O(1).
 *
 * @param <R> what a successful completion carries (the item for a take, nothing otherwise)
 */
public abstract class Waiter<R> extends LinkedQueue.Node {
  /** The item a waiting put holds until it is admitted; {@code null} for other waiters. */
  Object item;

  /**
   * For a take: what it was handed when the item was a returned one, or when the take {@link
   * #acknowledges()}; {@code null} otherwise. Set before {@link #onSuccess}.
   */
  Delivery<?> delivery;

  /** Whether this waiter is still queued (neither completed nor withdrawn). */
  public final boolean isWaiting() {
    return isQueued();
  }

  /**
   * For a take: whether the item it is handed stays in flight until acknowledged (the host's
   * acknowledged takes). A plain take (the default) takes the item at once.
   */
  protected boolean acknowledges() {
    return false;
  }

  /** The delivery of the item this take was handed, if any; see {@link #acknowledges()}. */
  @SuppressWarnings("unchecked")
  protected final <E> Delivery<E> delivery() {
    return (Delivery<E>) delivery;
  }

  /** Called once, on the owning thread, after the channel's state is consistent again. */
  protected abstract void onSuccess(R result);

  /**
   * Called once, on the owning thread, after the channel's state is consistent again, with why it
   * failed ({@link Outcome#CLOSED}, or what its owner failed it with) and what to tell.
   */
  protected abstract void onFailure(Outcome outcome, String detail);
}
