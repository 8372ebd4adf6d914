package dev.channels.impl.host;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.channels.impl.core.LinkedQueue;
import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * The deliveries of one channel whose answers are awaited, oldest first, and their ack deadline.
 * Every delivery gets the same {@code ackTimeoutMs}, so the oldest is always the first to expire:
 * one timer, armed for the oldest, serves them all, and an answer unlinks its delivery in O(1).
 *
 * <p>This deadline, not the event bus's reply timeout, is the ack deadline: the host listens for
 * answers {@link #ANSWER_GRACE_MS} longer, so that an answer arriving at the deadline, and the
 * request riding on it, are handled (as late) rather than dropped without a reply.
 *
 * <p>Confined to the host's context.
 */
final class AckDeadlines {

  /** How long after its ack deadline the host still listens for a delivery's answer. */
  static final long ANSWER_GRACE_MS = 30_000;

  private final Vertx vertx;
  private final long ackTimeoutNanos;
  /** Oldest first, so by deadline. */
  private final LinkedQueue<Awaited> awaited = new LinkedQueue<>();
  private long timerId = -1;
  /** Completed once nothing is awaited any more, while {@link #drained} waits for that. */
  private Promise<Void> drained;

  AckDeadlines(Vertx vertx, long ackTimeoutMs) {
    this.vertx = vertx;
    this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMs);
  }

  /** The event bus's reply timeout for a delivery: the ack deadline, plus the grace. */
  static long replyTimeoutMs(long ackTimeoutMs) {
    return ackTimeoutMs + ANSWER_GRACE_MS;
  }

  /** Awaits the answer to {@code delivery} from now until the ack deadline. */
  void await(Awaited delivery) {
    delivery.deadlineNanos = System.nanoTime() + ackTimeoutNanos;
    awaited.add(delivery);
    if (timerId < 0) {
      arm();
    }
  }

  /**
   * Its answer came: it is no longer awaited. Returns {@code false} if it was not awaited any more
   * (it expired, or was {@link #clear cleared}): the answer is late.
   */
  boolean answered(Awaited delivery) {
    if (!awaited.remove(delivery)) {
      return false;
    }
    drainedIfNoneLeft();
    return true;
  }

  int size() {
    return awaited.size();
  }

  /** Completes once no answer is awaited any more (at once if none is); expiries still apply. */
  Future<Void> drained() {
    if (awaited.isEmpty()) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }

  /**
   * Stops awaiting the answers {@code gone} accepts, without expiring them; returns them, oldest
   * first, for their owner to settle (their takers' node left the cluster).
   */
  List<Awaited> removeIf(Predicate<Awaited> gone) {
    List<Awaited> removed = awaited.removeIf(gone);
    drainedIfNoneLeft();
    return removed;
  }

  /**
   * Stops awaiting every answer, without expiring any; returns them, oldest first, for their owner
   * to settle (a stopping host gives their items back).
   */
  List<Awaited> clear() {
    List<Awaited> all = awaited.drain();
    drainedIfNoneLeft();
    cancelTimer();
    return all;
  }

  void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void arm() {
    long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(awaited.peek().deadlineNanos - System.nanoTime()) + 1);
    timerId = vertx.setTimer(waitMs, id -> {
      timerId = -1;
      expireDue();
    });
  }

  private void expireDue() {
    long now = System.nanoTime();
    while (!awaited.isEmpty() && awaited.peek().deadlineNanos - now <= 0) {
      awaited.poll().expire();
    }
    drainedIfNoneLeft();
    if (!awaited.isEmpty() && timerId < 0) {
      arm();
    }
  }

  private void drainedIfNoneLeft() {
    Promise<Void> waiting = drained;
    if (waiting != null && awaited.isEmpty()) {
      drained = null;
      waiting.complete();
    }
  }
}
