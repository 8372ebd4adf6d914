package dev.channels.impl.client;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelTimeoutException;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.protocol.Failure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Turns the event bus's failure of a request into the exception a {@link dev.channels.Channel}
 * reports: the host's codes into the in-process exceptions, with the host's message; the event
 * bus's own {@code NO_HANDLERS} and {@code TIMEOUT} into "not found" and "the host did not
 * answer". Anything else (the host's {@code 500}, a codec error) is returned unchanged.
 */
final class RemoteFailures {

  private RemoteFailures() {
  }

  /**
   * @param where what was addressed, for messages: {@code "channel 'jobs'"}
   * @param address the address the request went to
   * @param operation the operation, for messages: {@code "take"}
   * @param sendTimeoutMs how long the client waited for the answer
   */
  static Throwable of(Throwable failure, String where, String address, String operation, long sendTimeoutMs) {
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    return switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> ofCode(reply);
      case NO_HANDLERS -> new ChannelNotFoundException(Failure.NOT_FOUND.message(
          where + " does not exist (nobody serves the address '" + address + "')"));
      case TIMEOUT -> new ChannelTimeoutException(Failure.TIMEOUT.message(where + ": the host did not answer the "
          + operation + " within " + sendTimeoutMs + " ms (address '" + address + "'); it may or may not have happened"));
      default -> failure;
    };
  }

  /** Whether the host refused with {@code 408}: the operation was not possible before its deadline. */
  static boolean isDeadline(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Failure.TIMEOUT.code();
  }

  /** Whether the host refused a request riding on an acknowledgement that came too late. */
  static boolean isAckExpired(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Failure.ACK_EXPIRED.code();
  }

  /** Whether the host refused with {@code 409}: a conflict (a consumer it knows already). */
  static boolean isConflict(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Failure.CONFLICT.code();
  }

  /** Whether the host said that the channel is not served for now. */
  static boolean isUnavailable(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Failure.UNAVAILABLE.code();
  }

  /** Whether the host answered (with a failure code), as opposed to the event bus failing the request. */
  static boolean isAnswer(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }

  /** A channel that stayed unavailable for longer than the operation could wait. */
  static ChannelUnavailableException unavailable(Throwable failure, String where, String address) {
    if (isUnavailable(failure)) {
      return new ChannelUnavailableException(failure.getMessage());
    }
    return new ChannelUnavailableException(Failure.UNAVAILABLE.message(where + " is not served for now (nobody at '"
        + address + "' since its host said it was stopping)"));
  }

  /** Whether no answer came within the send timeout (the event bus's own {@code TIMEOUT}). */
  static boolean isNoAnswer(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  /** Whether nobody listened at the request's address. */
  static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static Throwable ofCode(ReplyException reply) {
    Failure failure = Failure.ofCode(reply.failureCode());
    // a code outside the protocol, or the host's own fault: the event bus's failure, unchanged
    return failure == null || failure == Failure.INTERNAL ? reply : failure.exception(reply.getMessage());
  }
}
