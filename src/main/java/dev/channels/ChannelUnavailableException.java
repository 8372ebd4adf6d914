package dev.channels;

/**
 * The channel is not served now, but may be again: its host is stopping or restarting. Nothing
 * changed. A remote channel's waiting operations ({@code put}, {@code take}, {@code join}, {@code
 * putAll}) ride through such a pause on their own, retrying for up to the client's {@code
 * unavailableTimeoutMs} (and never past their own timeout); they fail with this exception only once
 * that has passed. Operations that never wait ({@code offer}, {@code poll}, {@code close}, {@code
 * status}) fail with it at once: try again later.
 */
public final class ChannelUnavailableException extends ChannelException {

  public ChannelUnavailableException(String message) {
    super(message);
  }
}
