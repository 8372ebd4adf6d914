package dev.channels;

import java.time.Duration;
import java.util.Objects;

/**
 * Fails the processing of an item for now: a remote stream or {@code consume} whose client
 * acknowledges {@link AckMode#AFTER_PROCESSING} gives it back to be delivered again no sooner than
 * {@link #delay()} (or the host's back-off, if that is longer). Meanwhile the item stays in flight,
 * so the channel does not finish. It counts as a failed delivery towards the channel's {@code
 * maxDeliveries}. With {@link AckMode#ON_DELIVERY} the item is already acknowledged, and this is a
 * failure like any other.
 *
 * <pre>{@code
 * jobs.consume(job -> fetch(job.url()).recover(busy -> Future.failedFuture(new RetryItemLaterException(Duration.ofSeconds(5), busy))));
 * }</pre>
 */
public class RetryItemLaterException extends RuntimeException {

  private final Duration delay;

  public RetryItemLaterException(Duration delay) {
    this(delay, null);
  }

  public RetryItemLaterException(Duration delay, Throwable cause) {
    super("retry the item in " + Objects.requireNonNull(delay, "delay").toMillis() + " ms", cause);
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, not " + delay);
    }
    this.delay = delay;
  }

  public Duration delay() {
    return delay;
  }
}
