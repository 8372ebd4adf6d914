package dev.channels;

/**
 * Fails the processing of an item for good: a remote stream or {@code consume} whose client
 * acknowledges {@link AckMode#AFTER_PROCESSING} sends it to its channel's dead-letter channel at
 * once, with {@code reason: rejected} and this message as {@code error}, and never delivers it
 * again. Any other failure gives the item back to be delivered again (see {@link
 * RetryItemLaterException} for a delay). With {@link AckMode#ON_DELIVERY} the item is already
 * acknowledged, and this is a failure like any other.
 *
 * <pre>{@code
 * jobs.consume(job -> job.isValid() ? process(job) : Future.failedFuture(new RejectItemException("no such file: " + job.file())));
 * }</pre>
 */
public class RejectItemException extends RuntimeException {

  public RejectItemException(String reason) {
    super(reason);
  }

  public RejectItemException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
