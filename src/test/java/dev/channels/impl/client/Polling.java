package dev.channels.impl.client;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Bounded polling for the client tests: waits for a condition by asking again every 10 ms, and
 * fails with an {@link AssertionError} naming what was expected once {@code withinMs} has passed.
 */
final class Polling {

  private static final long EVERY_MS = 10;

  private Polling() {
  }

  /** The channel's status once {@code condition} holds; fails, showing the last status, if it does not within {@code withinMs}. */
  static Future<ChannelStatus> statusWhen(Vertx vertx, Channel<?> channel, String expected, long withinMs,
      Predicate<ChannelStatus> condition) {
    return statusWhen(vertx, channel, expected, condition, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs),
        withinMs);
  }

  /** Completes once {@code condition} holds (checked on the caller's context); fails if it does not within {@code withinMs}. */
  static Future<Void> when(Vertx vertx, String expected, long withinMs, BooleanSupplier condition) {
    return when(vertx, expected, condition, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs), withinMs);
  }

  private static Future<ChannelStatus> statusWhen(Vertx vertx, Channel<?> channel, String expected,
      Predicate<ChannelStatus> condition, long deadline, long withinMs) {
    return channel.status().compose(status -> {
      if (condition.test(status)) {
        return Future.succeededFuture(status);
      }
      if (System.nanoTime() - deadline > 0) {
        return Future.failedFuture(new AssertionError("expected " + expected + " within " + withinMs
            + " ms; the last status: " + status));
      }
      return vertx.timer(EVERY_MS).compose(v -> statusWhen(vertx, channel, expected, condition, deadline, withinMs));
    });
  }

  private static Future<Void> when(Vertx vertx, String expected, BooleanSupplier condition, long deadline, long withinMs) {
    if (condition.getAsBoolean()) {
      return Future.succeededFuture();
    }
    if (System.nanoTime() - deadline > 0) {
      return Future.failedFuture(new AssertionError("expected " + expected + " within " + withinMs + " ms"));
    }
    return vertx.timer(EVERY_MS).compose(v -> when(vertx, expected, condition, deadline, withinMs));
  }
}
