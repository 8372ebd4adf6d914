package dev.channels;

/** A host limit would be exceeded (channels, waiters, or buffered items). Fails at once and changes nothing; retry later or raise the limit. */
public final class ChannelOverloadedException extends ChannelException {

  public ChannelOverloadedException(String message) {
    super(message);
  }
}
