package dev.channels.app.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Repeats an asynchronous step, one at a time, on the caller's context: the shape of every
 * producer and consumer of the bench. Steps that complete at once are repeated in a loop, not by
 * recursion, so the stack stays flat whatever the channel answers.
 */
final class AsyncLoop implements Handler<AsyncResult<Object>> {

  private final BooleanSupplier stopRequested;
  private final Supplier<Future<?>> step;
  private final Predicate<Throwable> ends;
  private final Predicate<Throwable> retries;
  private final Promise<Void> done = Promise.promise();

  private AsyncLoop(BooleanSupplier stopRequested, Supplier<Future<?>> step, Predicate<Throwable> ends,
      Predicate<Throwable> retries) {
    this.stopRequested = stopRequested;
    this.step = step;
    this.ends = ends;
    this.retries = retries;
  }

  /**
   * Runs {@code step} until {@code stopRequested} (checked before each step) or until a step fails
   * with a failure that {@code ends} accepts: then completes. A failure that {@code retries}
   * accepts runs the step again; any other fails the loop.
   */
  static Future<Void> repeat(BooleanSupplier stopRequested, Supplier<Future<?>> step, Predicate<Throwable> ends,
      Predicate<Throwable> retries) {
    AsyncLoop loop = new AsyncLoop(stopRequested, step, ends, retries);
    loop.run();
    return loop.done.future();
  }

  private void run() {
    while (true) {
      if (stopRequested.getAsBoolean()) {
        done.complete();
        return;
      }
      Future<?> outcome;
      try {
        outcome = step.get();
      } catch (RuntimeException failure) {
        done.fail(failure);
        return;
      }
      if (!outcome.isComplete()) {
        @SuppressWarnings("unchecked")
        Future<Object> pending = (Future<Object>) outcome;
        pending.onComplete(this);
        return;
      }
      if (!goesOn(outcome)) {
        return;
      }
    }
  }

  @Override
  public void handle(AsyncResult<Object> outcome) {
    if (goesOn(outcome)) {
      run();
    }
  }

  private boolean goesOn(AsyncResult<?> outcome) {
    if (outcome.succeeded()) {
      return true;
    }
    Throwable failure = outcome.cause();
    if (ends.test(failure)) {
      done.complete();
      return false;
    }
    if (retries.test(failure)) {
      return true;
    }
    done.fail(failure);
    return false;
  }
}
