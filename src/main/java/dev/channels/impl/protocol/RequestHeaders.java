package dev.channels.impl.protocol;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Writes a request's protocol headers as the host reads them ({@link ChannelRequest#decode}, {@link
 * RegistryRequest#decode}): {@code action}, {@code timeout}, and an acknowledged take's {@code ack}
 * and {@code max}. The client's half of the headers; the bodies are written beside their decoding
 * ({@link ChannelRequest#consumeBody}, {@link RegistryRequest#createBody}, ...).
 *
 * <p>One per client, used from any thread: it keeps the text of the last timeout it wrote, because
 * most requests send the same one (the client's wait timeout), so writing a request's headers
 * allocates nothing beyond the options.
 */
public final class RequestHeaders {

  /** The timeout of a request that never waits: it is sent without a {@code timeout} header. */
  public static final long NO_TIMEOUT = -1;

  /** A timeout and its header text. */
  private record Timeout(long ms, String text) {
  }

  /** The last timeout written, from any thread: a record of final fields replaced whole, so always a consistent pair. */
  private Timeout lastTimeout = new Timeout(NO_TIMEOUT, null);

  /** New options with the headers of a request: {@code action}, and {@code timeout} unless {@link #NO_TIMEOUT}. */
  public DeliveryOptions options(Action action, long timeoutMs) {
    DeliveryOptions options = options(action);
    if (timeoutMs != NO_TIMEOUT) {
      options.addHeader(Protocol.TIMEOUT, timeoutText(timeoutMs));
    }
    return options;
  }

  /** New options with the header of a request sent without a timeout: {@code action} alone. */
  public static DeliveryOptions options(Action action) {
    return new DeliveryOptions().addHeader(Protocol.ACTION, action.wireName());
  }

  /**
   * Adds the headers of an acknowledged take or poll: {@code ack: true}, and {@code max} for a
   * batch take.
   *
   * @param max a batch take's most items, from 1 to {@link Protocol#MAX_BATCH}; {@code 0} for a
   *     single item
   */
  public static DeliveryOptions acknowledgedTake(DeliveryOptions options, int max) {
    options.addHeader(Protocol.ACK, Protocol.TRUE);
    if (max > 0) {
      options.addHeader(Protocol.MAX, Integer.toString(max));
    }
    return options;
  }

  /**
   * Adds the {@code node} header of a take, poll, consume or attach: the sender's cluster node id,
   * so that the channel's owner gives back what it handed to that node, and detaches the producers
   * attached from there, once the node leaves the cluster.
   * Nothing when {@code node} is {@code null} (not clustered).
   */
  /**
   * Adds a put's idempotency keys: the one its producer chose ({@code key}, unless {@code null}) and
   * the client's automatic one ({@code sequence}).
   */
  public static DeliveryOptions idempotent(DeliveryOptions options, String key, Sequence sequence) {
    if (key != null) {
      options.addHeader(Protocol.KEY, key);
    }
    return options.addHeader(Protocol.SEQUENCE, sequence.header());
  }

  public static DeliveryOptions fromNode(DeliveryOptions options, String node) {
    if (node != null) {
      options.addHeader(Protocol.NODE, node);
    }
    return options;
  }

  private String timeoutText(long timeoutMs) {
    Timeout last = lastTimeout;
    if (last.ms() != timeoutMs) {
      last = new Timeout(timeoutMs, Long.toString(timeoutMs));
      lastTimeout = last;
    }
    return last.text();
  }
}
