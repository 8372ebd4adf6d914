package dev.channels;

/**
 * A {@code create} named an existing channel with a different capacity. The existing channel is
 * unchanged; use its capacity, or delete it first.
 */
public final class ChannelConflictException extends ChannelException {

  public ChannelConflictException(String message) {
    super(message);
  }
}
