package dev.channels;

/** {@code poll} found no item (rendezvous: no waiting putter) on an open channel. Nothing was removed. */
public final class ChannelEmptyException extends ChannelException {

  public ChannelEmptyException(String message) {
    super(message);
  }
}
