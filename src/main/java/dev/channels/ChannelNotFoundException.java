package dev.channels;

/**
 * The channel does not exist (or was deleted): a {@code delete} of an unknown name, or a request to
 * a channel address nobody serves. Create the channel first; nothing was changed.
 */
public final class ChannelNotFoundException extends ChannelException {

  public ChannelNotFoundException(String message) {
    super(message);
  }
}
