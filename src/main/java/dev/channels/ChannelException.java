package dev.channels;

/**
 * Base of every failure a {@link Channel} operation reports. Each subclass is one outcome of the
 * channel's state machine; over the event bus each maps to one failure code (see docs/protocol.md).
 *
 * <p>These exceptions describe expected outcomes (a full channel, a deadline), not bugs, so they
 * carry no stack trace, like Vert.x's own {@code ReplyException}.
 */
public class ChannelException extends RuntimeException {

  public ChannelException(String message) {
    super(message, null, false, false);
  }
}
