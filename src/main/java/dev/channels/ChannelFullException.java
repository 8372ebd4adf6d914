package dev.channels;

/** {@code offer} found no room (rendezvous: no waiting taker). Nothing was enqueued. */
public final class ChannelFullException extends ChannelException {

  public ChannelFullException(String message) {
    super(message);
  }
}
