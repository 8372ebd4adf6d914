package dev.channels;

import java.util.Objects;

/**
 * Options of a {@link ChannelClient}. Every setter validates its value and throws {@link
 * IllegalArgumentException} naming the option.
 *
 * <p>Deadlines: a put, take, join or putAll without a timeout of its own is sent with the server
 * deadline {@link #getWaitTimeoutMs() waitTimeoutMs} (the protocol's {@code timeout} header) and
 * re-sent each time the host answers {@code 408}, so it waits indefinitely, like the in-process
 * channel. Every request's event-bus send timeout is its server deadline plus {@link
 * #getReplyMarginMs() replyMarginMs}: the host always answers (with the outcome or its own {@code
 * 408}) before the client gives up, and a client-side timeout means the host did not answer.
 */
public class ChannelClientOptions {

  /** The host's registry address: {@code channels}; channel {@code n} is served at {@code channels.n}. */
  public static final String DEFAULT_ADDRESS = "channels";
  /** Server deadline of a request without a timeout of its own: 20000 ms. */
  public static final long DEFAULT_WAIT_TIMEOUT_MS = 20_000;
  /** Added to every server deadline to get the client's send timeout: 5000 ms. */
  public static final long DEFAULT_REPLY_MARGIN_MS = 5_000;
  /** When streams acknowledge: {@link AckMode#ON_DELIVERY}. */
  public static final AckMode DEFAULT_ACK_MODE = AckMode.ON_DELIVERY;
  /** Credit window of a stream (items it may be handed ahead of its handler): 256. */
  public static final int DEFAULT_PREFETCH = 256;
  /** How long an operation rides through an unavailable host before it fails: 30000 ms. */
  public static final long DEFAULT_UNAVAILABLE_TIMEOUT_MS = 30_000;

  /** The largest deadline the protocol's {@code timeout} header accepts. */
  private static final long MAX_MS = Integer.MAX_VALUE;

  private String address = DEFAULT_ADDRESS;
  private long waitTimeoutMs = DEFAULT_WAIT_TIMEOUT_MS;
  private long replyMarginMs = DEFAULT_REPLY_MARGIN_MS;
  private AckMode ackMode = DEFAULT_ACK_MODE;
  private int prefetch = DEFAULT_PREFETCH;
  private long unavailableTimeoutMs = DEFAULT_UNAVAILABLE_TIMEOUT_MS;

  public ChannelClientOptions() {
  }

  public ChannelClientOptions(ChannelClientOptions other) {
    this.address = other.address;
    this.waitTimeoutMs = other.waitTimeoutMs;
    this.replyMarginMs = other.replyMarginMs;
    this.ackMode = other.ackMode;
    this.prefetch = other.prefetch;
    this.unavailableTimeoutMs = other.unavailableTimeoutMs;
  }

  public String getAddress() {
    return address;
  }

  /** The host's registry address ({@code address} in the host's config). Not empty. */
  public ChannelClientOptions setAddress(String address) {
    if (address == null || address.isEmpty()) {
      throw invalid("address", "a non-empty string", address == null ? null : "\"\"");
    }
    this.address = address;
    return this;
  }

  public long getWaitTimeoutMs() {
    return waitTimeoutMs;
  }

  /**
   * The server deadline sent with a put, take, join or putAll that has no timeout of its own; on
   * {@code 408} the request is re-sent. Bounds how long such a request waits on one host answer,
   * not how long the operation waits (indefinitely). From 1 to 2147483647 ms.
   */
  public ChannelClientOptions setWaitTimeoutMs(long waitTimeoutMs) {
    if (waitTimeoutMs < 1 || waitTimeoutMs > MAX_MS) {
      throw invalid("waitTimeoutMs", "an integer from 1 to " + MAX_MS + " (ms)", waitTimeoutMs);
    }
    this.waitTimeoutMs = waitTimeoutMs;
    return this;
  }

  public long getReplyMarginMs() {
    return replyMarginMs;
  }

  /**
   * Added to each request's server deadline to get its event-bus send timeout (a request that
   * does not wait, such as offer, poll or status, gets just the margin). From 1 to 2147483647 ms.
   */
  public ChannelClientOptions setReplyMarginMs(long replyMarginMs) {
    if (replyMarginMs < 1 || replyMarginMs > MAX_MS) {
      throw invalid("replyMarginMs", "an integer from 1 to " + MAX_MS + " (ms)", replyMarginMs);
    }
    this.replyMarginMs = replyMarginMs;
    return this;
  }

  public AckMode getAckMode() {
    return ackMode;
  }

  /** When a stream acknowledges its items. Single takes always acknowledge on delivery. */
  public ChannelClientOptions setAckMode(AckMode ackMode) {
    if (ackMode == null) {
      throw invalid("ackMode", "one of ON_DELIVERY, AFTER_PROCESSING", null);
    }
    this.ackMode = ackMode;
    return this;
  }

  public int getPrefetch() {
    return prefetch;
  }

  /** How many items a stream may be handed ahead of its handler (its credit). At least 1. */
  public ChannelClientOptions setPrefetch(int prefetch) {
    if (prefetch < 1) {
      throw invalid("prefetch", "an integer from 1 to " + Integer.MAX_VALUE, prefetch);
    }
    this.prefetch = prefetch;
    return this;
  }

  public long getUnavailableTimeoutMs() {
    return unavailableTimeoutMs;
  }

  /**
   * How long a waiting operation ({@code put}, {@code take}, {@code join}, {@code putAll}) and a
   * stream ride through a channel that is not served for now (its host restarting: {@code
   * UNAVAILABLE}, then nobody at its address) before failing {@link ChannelUnavailableException};
   * an operation with a shorter timeout of its own fails at that. Retries back off from 50 ms to 1
   * s. From 0 (never retry) to 2147483647 ms.
   */
  public ChannelClientOptions setUnavailableTimeoutMs(long unavailableTimeoutMs) {
    if (unavailableTimeoutMs < 0 || unavailableTimeoutMs > MAX_MS) {
      throw invalid("unavailableTimeoutMs", "an integer from 0 to " + MAX_MS + " (ms)", unavailableTimeoutMs);
    }
    this.unavailableTimeoutMs = unavailableTimeoutMs;
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChannelClientOptions that
        && address.equals(that.address)
        && waitTimeoutMs == that.waitTimeoutMs
        && replyMarginMs == that.replyMarginMs
        && ackMode == that.ackMode
        && prefetch == that.prefetch
        && unavailableTimeoutMs == that.unavailableTimeoutMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, waitTimeoutMs, replyMarginMs, ackMode, prefetch, unavailableTimeoutMs);
  }

  @Override
  public String toString() {
    return "ChannelClientOptions{address=" + address + ", waitTimeoutMs=" + waitTimeoutMs
        + ", replyMarginMs=" + replyMarginMs + ", ackMode=" + ackMode + ", prefetch=" + prefetch
        + ", unavailableTimeoutMs=" + unavailableTimeoutMs + "}";
  }

  private static IllegalArgumentException invalid(String option, String expected, Object value) {
    return new IllegalArgumentException(
        "invalid ChannelClientOptions: '" + option + "' must be " + expected + ", not " + value);
  }
}
