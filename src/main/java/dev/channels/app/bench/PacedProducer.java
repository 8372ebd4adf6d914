package dev.channels.app.bench;

import dev.channels.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Phase 5's producer: puts at a fixed rate, one put at a time, each item its own send time
 * ({@code System.nanoTime()} at the put). A 1 ms periodic timer wakes it; it then puts, one after
 * the other, as many items as the rate says are due by now. A put that takes long delays the
 * items after it (they are sent late, and their latency is counted from when they are sent).
 */
final class PacedProducer {

  private final Vertx vertx;
  private final Channel<Number> channel;
  private final ProducerTally tally;
  private final double itemsPerNano;
  private final Promise<Void> stopped = Promise.promise();
  private long startedAt;
  private long timer;
  private boolean putting;

  /** Call on the producer's event loop. */
  PacedProducer(Vertx vertx, Channel<Number> channel, ProducerTally tally, double itemsPerSecond) {
    this.vertx = vertx;
    this.channel = channel;
    this.tally = tally;
    this.itemsPerNano = itemsPerSecond / 1e9;
  }

  /** Starts putting; completes once asked to stop (through the tally) and the last put completed. */
  Future<Void> start() {
    startedAt = System.nanoTime();
    timer = vertx.setPeriodic(1, tick -> putWhatIsDue());
    putWhatIsDue();
    return stopped.future();
  }

  /** Puts the items due by now, one at a time; a put that completes at once does not recurse. */
  private void putWhatIsDue() {
    while (!putting) {
      if (tally.stopRequested()) {
        vertx.cancelTimer(timer);
        stopped.tryComplete();
        return;
      }
      long due = (long) ((System.nanoTime() - startedAt) * itemsPerNano);
      if (tally.items() >= due) {
        return; // ahead of the rate: wait for a later tick
      }
      tally.nextId(); // keeps the tally's issued count equal to the items put
      Future<Void> put = channel.put(System.nanoTime());
      if (!put.isComplete()) {
        putting = true;
        put.onComplete(done -> {
          putting = false;
          if (putCompleted(done.cause())) {
            putWhatIsDue();
          }
        });
      } else if (!putCompleted(put.cause())) {
        return;
      }
    }
  }

  private boolean putCompleted(Throwable failure) {
    if (failure != null) {
      vertx.cancelTimer(timer);
      stopped.tryFail(failure);
      return false;
    }
    tally.put(1);
    return true;
  }
}
