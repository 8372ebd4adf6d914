package dev.channels.impl.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxTestContext;

/**
 * Helpers shared by the channel tests. A channel created on a context answers calls made on that
 * same context at once: an operation that can complete now returns a completed future, and every
 * change it makes to the channel (including handing an item or a slot to a waiter, or failing the
 * waiters on close) is visible in the channel's status before it returns.
 *
 * <p>A waiter that another operation serves (a take fed by a put, a put admitted by a take, waiters
 * failed by close) is the exception: its future completes in a later turn of the channel's
 * context, in the order the waiters were served. Right after the serving call it is still pending;
 * tests check its outcome in a step run by {@link #afterServedWaitersComplete}.
 */
final class ChannelTesting {

  private ChannelTesting() {}

  /** A test body that runs on a context. */
  @FunctionalInterface
  interface OnContext {
    void run(Context context) throws Throwable;
  }

  /** The next step of a test body, run in a later turn of the same context. */
  @FunctionalInterface
  interface Step {
    void run() throws Throwable;
  }

  /** A fresh event-loop context, distinct from every other one. */
  static Context newContext(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /** Runs {@code body} on a fresh context; a failed assertion fails the test; completes it after. */
  static void runOnNewContext(Vertx vertx, VertxTestContext test, OnContext body) {
    Context context = newContext(vertx);
    context.runOnContext(v -> test.verify(() -> {
      body.run(context);
      test.completeNow();
    }));
  }

  /** As {@link #runOnNewContext}, but the body completes the test itself (it goes asynchronous). */
  static void startOnNewContext(Vertx vertx, VertxTestContext test, OnContext body) {
    Context context = newContext(vertx);
    context.runOnContext(v -> test.verify(() -> body.run(context)));
  }

  /**
   * Runs {@code next} on {@code context} once the futures of the waiters served so far have
   * completed; a failed assertion fails the test. The channel queues those completions on its
   * context as it serves the waiters, oldest first, and {@code next} is queued behind them: when
   * it runs, every one of them has completed.
   */
  static void afterServedWaitersComplete(Context context, VertxTestContext test, Step next) {
    context.runOnContext(v -> test.verify(next::run));
  }

  /** The future has not completed yet: an operation still waiting, or served but not yet told. */
  static void assertPending(Future<?> future) {
    assertThat(future.isComplete()).as("future completed with %s", future).isFalse();
  }

  /** The future has succeeded, now, with {@code expected}. */
  static <T> void assertSucceededWith(Future<T> future, T expected) {
    assertThat(future.succeeded()).as("future succeeded: %s", future).isTrue();
    assertThat(future.result()).isEqualTo(expected);
  }

  /** The future has succeeded, now. */
  static void assertSucceeded(Future<?> future) {
    assertThat(future.succeeded()).as("future succeeded: %s", future).isTrue();
  }

  /** The future has failed, now, with a {@code type}. */
  static void assertFailedWith(Future<?> future, Class<? extends Throwable> type) {
    assertThat(future.failed()).as("future failed: %s", future).isTrue();
    assertThat(future.cause()).isInstanceOf(type);
  }
}
