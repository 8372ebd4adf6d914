package dev.channels.it;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits, bounded, for a condition checked on a Vert.x timer (no sleeping thread). */
final class Eventually {

  private Eventually() {
  }

  static void await(Vertx vertx, Duration within, String what, BooleanSupplier condition) throws Exception {
    Promise<Void> met = Promise.promise();
    long timer = vertx.setPeriodic(0, 100, tick -> {
      if (condition.getAsBoolean()) {
        met.tryComplete();
      }
    });
    try {
      met.future().toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      throw new AssertionError("not within " + within.toSeconds() + " s: " + what, late);
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
