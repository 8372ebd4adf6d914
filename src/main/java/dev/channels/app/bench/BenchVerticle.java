package dev.channels.app.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;

/**
 * A producer or consumer slot of the bench: a verticle that does nothing by itself but owns an
 * event loop, on which the phases run their loops one after the other. It records the thread it
 * runs on, to show (and check) that no slot shares the host's event loop.
 */
final class BenchVerticle extends VerticleBase {

  private volatile Thread thread;

  /** The event-loop thread of this verticle; set once started. */
  Thread thread() {
    return thread;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    return Future.succeededFuture();
  }

  /** Runs {@code task} on this verticle's context; the outcome completes on that context. */
  <R> Future<R> call(Supplier<Future<R>> task) {
    Promise<R> outcome = Promise.promise();
    context.runOnContext(v -> {
      try {
        task.get().onComplete(outcome);
      } catch (RuntimeException failure) {
        outcome.fail(failure);
      }
    });
    return outcome.future();
  }
}
