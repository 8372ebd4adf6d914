package dev.channels;

/** The channel is closed: no item can be put, and (once drained) none can be taken. Permanent; the producer still holds any item whose put failed with it. */
public final class ChannelClosedException extends ChannelException {

  public ChannelClosedException(String message) {
    super(message);
  }
}
