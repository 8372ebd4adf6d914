package dev.channels.impl.protocol;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelTimeoutException;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.core.Outcome;
import io.vertx.core.eventbus.Message;

/**
 * The failure codes of the protocol. A failed request gets {@code message.fail(code, "NAME:
 * detail")}, the detail naming the channel and the cause.
 *
 * <p>{@link #EMPTY} is 204 although HTTP's 204 means success: here it is a failure code, sent with
 * {@code fail}, never a reply.
 */
public enum Failure {
  BAD_REQUEST(400),
  NOT_FOUND(404),
  TIMEOUT(408),
  CONFLICT(409),
  CLOSED(410),
  FULL(429),
  EMPTY(204),
  /**
   * The acknowledgement this request rode on came after the ack deadline: the items it acknowledged
   * had gone back to the channel, and the request was not handled. Send it again on its own.
   */
  ACK_EXPIRED(412),
  /**
   * The channel is not served here now, but may be again: its host is stopping or restarting.
   * Nothing changed; try again (HTTP's 421 Misdirected Request: this recipient cannot answer it).
   */
  UNAVAILABLE(421),
  OVERLOADED(503),
  /** The host itself failed (an event-bus registration failing): a fault to report, not an outcome. */
  INTERNAL(500);

  private final int code;

  Failure(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The failure message as sent: {@code "CLOSED: channel 'jobs' is closed"}. */
  public String message(String detail) {
    return name() + ": " + detail;
  }

  /** Fails the request with this code and {@code "NAME: detail"}. */
  public void fail(Message<?> request, String detail) {
    request.fail(code, message(detail));
  }

  /** The code of an operation's failure. */
  public static Failure of(Outcome outcome) {
    return switch (outcome) {
      case CLOSED -> CLOSED;
      case FULL -> FULL;
      case EMPTY -> EMPTY;
      case TIMEOUT -> TIMEOUT;
      case OVERLOADED -> OVERLOADED;
      case UNAVAILABLE -> UNAVAILABLE;
      case DONE, WAITS -> throw new IllegalArgumentException(outcome + " is not a failure");
    };
  }

  /**
   * The exception this failure is, to the user of a channel, with {@code message} (in process, the
   * failure's detail; remotely, the host's {@code "NAME: detail"}). {@link #ACK_EXPIRED} is never
   * reported (the client sends the request again); it reads as a timeout.
   */
  public RuntimeException exception(String message) {
    return switch (this) {
      case BAD_REQUEST -> new IllegalArgumentException(message);
      case NOT_FOUND -> new ChannelNotFoundException(message);
      case TIMEOUT, ACK_EXPIRED -> new ChannelTimeoutException(message);
      case CONFLICT -> new ChannelConflictException(message);
      case CLOSED -> new ChannelClosedException(message);
      case FULL -> new ChannelFullException(message);
      case EMPTY -> new ChannelEmptyException(message);
      case UNAVAILABLE -> new ChannelUnavailableException(message);
      case OVERLOADED -> new ChannelOverloadedException(message);
      case INTERNAL -> new IllegalStateException(message);
    };
  }

  /** The failure with that code, or {@code null}. */
  public static Failure ofCode(int code) {
    for (Failure failure : values()) {
      if (failure.code == code) {
        return failure;
      }
    }
    return null;
  }
}
