package dev.channels;

/** A put, take or join could not complete before its deadline. Nothing was enqueued or removed. */
public final class ChannelTimeoutException extends ChannelException {

  public ChannelTimeoutException(String message) {
    super(message);
  }
}
