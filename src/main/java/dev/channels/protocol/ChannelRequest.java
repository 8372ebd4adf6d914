package dev.channels.protocol;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;

/**
 * A decoded request to a channel's address.
 *
 * @param action a channel action
 * @param item the item of a put or offer; {@code null} otherwise
 * @param itemHeaders the headers that travel with a put's item (all but action and timeout)
 * @param timeoutMs the {@code timeout} header, or {@code -1} when absent
 */
public record ChannelRequest(Action action, Object item, MultiMap itemHeaders, long timeoutMs) {

  /** Decodes and validates every header and the body; a {@link RequestException} (400) otherwise. */
  public static ChannelRequest decode(String channel, Message<?> message) {
    String where = "channel '" + channel + "'";
    MultiMap headers = message.headers();
    Action action = Headers.action(headers, Action.Scope.CHANNEL, where);
    long timeoutMs = Headers.timeout(headers, where);
    Object body = message.body();
    if (action == Action.PUT || action == Action.OFFER) {
      if (body == null) {
        throw Headers.badRequest(where + ": " + action.wireName() + " needs an item, not a null body");
      }
      return new ChannelRequest(action, body, itemHeaders(headers), timeoutMs);
    }
    if (body != null) {
      throw Headers.badRequest(where + ": " + action.wireName() + " takes no body, got a "
          + body.getClass().getSimpleName());
    }
    return new ChannelRequest(action, null, null, timeoutMs);
  }

  private static MultiMap itemHeaders(MultiMap headers) {
    if (headers.size() <= 2 && (headers.size() == 1 || headers.contains(Protocol.TIMEOUT))) {
      return null; // only action (and timeout): the common case allocates nothing
    }
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    copy.remove(Protocol.ACTION);
    copy.remove(Protocol.TIMEOUT);
    return copy.isEmpty() ? null : copy;
  }
}
