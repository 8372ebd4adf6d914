package dev.channels.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxTestContext;

/**
 * Helpers shared by the channel tests. A channel created on a context answers calls made on that
 * same context at once: an operation that can complete now returns a completed future, and a
 * waiter that an operation serves is completed before that operation returns. Tests that run their
 * body on the channel's context can therefore check every future synchronously.
 */
final class ChannelTesting {

  private ChannelTesting() {}

  /** A test body that runs on a context. */
  @FunctionalInterface
  interface OnContext {
    void run(Context context) throws Throwable;
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

  static void assertPending(Future<?> future) {
    assertThat(future.isComplete()).as("future completed with %s", future).isFalse();
  }

  static <T> void assertSucceededWith(Future<T> future, T expected) {
    assertThat(future.succeeded()).as("future succeeded: %s", future).isTrue();
    assertThat(future.result()).isEqualTo(expected);
  }

  static void assertSucceeded(Future<?> future) {
    assertThat(future.succeeded()).as("future succeeded: %s", future).isTrue();
  }

  static void assertFailedWith(Future<?> future, Class<? extends Throwable> type) {
    assertThat(future.failed()).as("future failed: %s", future).isTrue();
    assertThat(future.cause()).isInstanceOf(type);
  }
}
