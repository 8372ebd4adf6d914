package dev.channels.app.bench;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Predicate;

/**
 * Phases 2 to 4: how producers put and consumers take. Each producer and each consumer runs one
 * operation at a time on its own event loop, against the remote channel (the client); producers
 * run until asked to stop, consumers until the channel ends.
 */
enum ChannelPhase {
  /** {@code put} one item at a time; {@code take} one at a time, acknowledged. */
  PER_ITEM("per-item", "put / acked take, 1 at a time"),
  /** {@code putAll} of a batch; {@code take(batch)}, acknowledged as a unit. */
  BATCHED("batched", "put-all %d / take(%d)"),
  /** {@code putAll} of a batch; the client's {@code stream()} (a streaming consumer with credit). */
  STREAMING("streaming", "put-all %d / stream()");

  private static final Predicate<Throwable> NEVER = failure -> false;
  /** A consumer's end: the channel is closed and drained. */
  static final Predicate<Throwable> CLOSED = ChannelClosedException.class::isInstance;
  /** A take that found nothing before the host's deadline simply asks again. */
  static final Predicate<Throwable> TIMED_OUT = ChannelTimeoutException.class::isInstance;

  private final String key;
  private final String what;

  ChannelPhase(String key, String what) {
    this.key = key;
    this.what = what;
  }

  /** A short name, also the suffix of the phase's channel. */
  String key() {
    return key;
  }

  /** What moves the items, e.g. {@code put-all 100 / take(100)}. */
  String describe(int batch) {
    return String.format(what, batch, batch);
  }

  /** Puts ids until {@code tally} is asked to stop; completes once the last operation completed. */
  Future<Void> produce(Channel<Number> channel, ProducerTally tally, int batch) {
    if (this == PER_ITEM) {
      return AsyncLoop.repeat(tally::stopRequested,
          () -> channel.put(tally.nextId()).onSuccess(put -> tally.put(1)), NEVER, NEVER);
    }
    return AsyncLoop.repeat(tally::stopRequested, () -> channel.putAll(tally.nextBatch(batch)).map(enqueued -> {
      if (enqueued != batch) { // only a close could cut a batch short, and the bench closes after the producers stop
        throw new IllegalStateException("put-all enqueued " + enqueued + " of " + batch + " items");
      }
      tally.put(enqueued);
      return enqueued;
    }), NEVER, NEVER);
  }

  /** Takes until the channel is closed and drained; completes then. */
  Future<Void> consume(Channel<Number> channel, ConsumerTally tally, int batch) {
    return switch (this) {
      case PER_ITEM -> AsyncLoop.repeat(() -> false, () -> channel.take().onSuccess(tally::took), CLOSED, TIMED_OUT);
      case BATCHED -> AsyncLoop.repeat(() -> false, () -> channel.take(batch).onSuccess(tally::tookAll), CLOSED, TIMED_OUT);
      case STREAMING -> {
        Promise<Void> ended = Promise.promise();
        channel.stream()
            .exceptionHandler(ended::tryFail)
            .endHandler(ended::tryComplete)
            .handler(tally::took);
        yield ended.future();
      }
    };
  }
}
