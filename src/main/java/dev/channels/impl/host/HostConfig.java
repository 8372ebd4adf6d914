package dev.channels.impl.host;

import dev.channels.Channel;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RegistryRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host verticle's configuration, read from {@code config()}: every key optional, defaults
 * here, every value validated at start with an error naming the key.
 *
 * <pre>{@code
 * { "address": "channels", "defaultTimeoutMs": 20000, "ackTimeoutMs": 30000,
 *   "maxDeliveries": 20, "nackBackoffMs": 100, "maxNackBackoffMs": 10000, "drainTimeoutMs": 5000,
 *   "leaseMs": 10000,
 *   "channels": [{"name": "jobs", "capacity": 100, "maxDeliveries": 5, "deadLetter": "jobs-failed",
 *                 "closeWhenDetached": false}],
 *   "limits": {"maxChannels": 10000, "maxWaiters": 10000, "maxJoins": 10000, "maxProducers": 10000,
 *   "maxQueuedItems": 10000000} }
 * }</pre>
 *
 * @param address the registry address; channel {@code n} is served at {@code <address>.n}
 * @param defaultTimeoutMs the deadline of a put, take or join without a {@code timeout} header;
 *     below the event bus's 30 s default send timeout, so a plain requester gets a clean 408
 * @param ackTimeoutMs how long an acknowledged delivery (a take with {@code ack: true}, a push to a
 *     consumer) may stay unanswered before its items return to the channel
 * @param maxDeliveries the default {@code maxDeliveries} of a channel: how many deliveries an item
 *     may fail (nacked, or never answered) before it is dead-lettered; 0 = unlimited
 * @param nackBackoffMs the first back-off of a nacked item (its second nack): see {@link #nackDelayMs}
 * @param maxNackBackoffMs the longest back-off of a nacked item
 * @param drainTimeoutMs how long a stopping host waits for the answers to its deliveries in flight
 *     before it gives their items back
 * @param leaseMs how long an attached producer's lease lasts unless renewed (the Java client renews
 *     it every third of that); a producer whose lease ends is detached
 * @param channels channels created at start, by name, in the order configured
 * @param maxChannels channels per host, configured ones included
 * @param maxWaiters waiting puts and takes per channel
 * @param maxJoins waiting joins per channel
 * @param maxProducers attached producers per channel
 * @param maxQueuedItems buffered items of all channels of the host
 */
public record HostConfig(
    String address,
    long defaultTimeoutMs,
    long ackTimeoutMs,
    int maxDeliveries,
    long nackBackoffMs,
    long maxNackBackoffMs,
    long drainTimeoutMs,
    long leaseMs,
    Map<String, ChannelSettings> channels,
    int maxChannels,
    int maxWaiters,
    int maxJoins,
    int maxProducers,
    long maxQueuedItems) {

  public static final String DEFAULT_ADDRESS = "channels";

  /** The same configuration with no channel created at start (a cluster's directory creates them itself). */
  public HostConfig withoutChannels() {
    return new HostConfig(address, defaultTimeoutMs, ackTimeoutMs, maxDeliveries, nackBackoffMs, maxNackBackoffMs,
        drainTimeoutMs, leaseMs, Map.of(), maxChannels, maxWaiters, maxJoins, maxProducers, maxQueuedItems);
  }
  public static final long DEFAULT_TIMEOUT_MS = 20_000;
  public static final long DEFAULT_ACK_TIMEOUT_MS = 30_000;
  /** RabbitMQ's quorum queues' default delivery limit since 4.0. */
  public static final int DEFAULT_MAX_DELIVERIES = 20;
  public static final long DEFAULT_NACK_BACKOFF_MS = 100;
  public static final long DEFAULT_MAX_NACK_BACKOFF_MS = 10_000;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_LEASE_MS = 10_000;
  public static final int DEFAULT_MAX_JOINS = 10_000;
  public static final int DEFAULT_MAX_PRODUCERS = 10_000;
  /** The event bus's default send timeout: the default deadline must stay below it. */
  public static final long EVENT_BUS_SEND_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_CHANNELS = 10_000;
  public static final int DEFAULT_MAX_WAITERS = 10_000;
  public static final long DEFAULT_MAX_QUEUED_ITEMS = 10_000_000;

  private static final Set<String> KEYS = Set.of("address", "defaultTimeoutMs", "ackTimeoutMs", "maxDeliveries",
      "nackBackoffMs", "maxNackBackoffMs", "drainTimeoutMs", "leaseMs", "channels", "limits");
  private static final Set<String> LIMIT_KEYS = Set.of("maxChannels", "maxWaiters", "maxJoins", "maxProducers",
      "maxQueuedItems");
  private static final Set<String> CHANNEL_KEYS = Set.of(RegistryRequest.NAME, RegistryRequest.CAPACITY,
      RegistryRequest.MAX_DELIVERIES, RegistryRequest.DEAD_LETTER, RegistryRequest.REPLICATED,
      RegistryRequest.CLOSE_WHEN_DETACHED);

  /**
   * Reads and validates a configuration.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static HostConfig from(JsonObject json) {
    knownKeys(json, KEYS, "");
    Object address = json.getValue("address") == null ? DEFAULT_ADDRESS : json.getValue("address");
    if (!(address instanceof String text) || text.isBlank()) {
      throw invalid("address", "a non-empty string", address);
    }
    long timeout = integer(json, "defaultTimeoutMs", "", DEFAULT_TIMEOUT_MS, 1, EVENT_BUS_SEND_TIMEOUT_MS - 1);
    long ackTimeout = integer(json, "ackTimeoutMs", "", DEFAULT_ACK_TIMEOUT_MS, 1, Integer.MAX_VALUE);
    int maxDeliveries = (int) integer(json, "maxDeliveries", "", DEFAULT_MAX_DELIVERIES, 0, Integer.MAX_VALUE);
    long nackBackoff = integer(json, "nackBackoffMs", "", DEFAULT_NACK_BACKOFF_MS, 0, Integer.MAX_VALUE);
    long maxNackBackoff = integer(json, "maxNackBackoffMs", "", Math.max(nackBackoff, DEFAULT_MAX_NACK_BACKOFF_MS),
        nackBackoff, Integer.MAX_VALUE);
    long drainTimeout = integer(json, "drainTimeoutMs", "", DEFAULT_DRAIN_TIMEOUT_MS, 0, Integer.MAX_VALUE);
    long leaseMs = integer(json, "leaseMs", "", DEFAULT_LEASE_MS, 1, Integer.MAX_VALUE);
    JsonObject limits = object(json, "limits");
    knownKeys(limits, LIMIT_KEYS, "limits.");
    int maxChannels = (int) integer(limits, "maxChannels", "limits.", DEFAULT_MAX_CHANNELS, 0, Integer.MAX_VALUE);
    int maxWaiters = (int) integer(limits, "maxWaiters", "limits.", DEFAULT_MAX_WAITERS, 0, Integer.MAX_VALUE);
    int maxJoins = (int) integer(limits, "maxJoins", "limits.", DEFAULT_MAX_JOINS, 0, Integer.MAX_VALUE);
    int maxProducers = (int) integer(limits, "maxProducers", "limits.", DEFAULT_MAX_PRODUCERS, 0, Integer.MAX_VALUE);
    long maxQueued = integer(limits, "maxQueuedItems", "limits.", DEFAULT_MAX_QUEUED_ITEMS, 0, Long.MAX_VALUE);
    Map<String, ChannelSettings> channels = channels(json, maxDeliveries);
    if (channels.size() > maxChannels) {
      throw new IllegalArgumentException("invalid config: 'channels' lists " + channels.size()
          + " channels but 'limits.maxChannels' is " + maxChannels);
    }
    return new HostConfig(text, timeout, ackTimeout, maxDeliveries, nackBackoff, maxNackBackoff, drainTimeout, leaseMs,
        channels,
        maxChannels, maxWaiters, maxJoins, maxProducers, maxQueued);
  }

  /**
   * How long a nacked item is held back before it is delivered again, given how many times it has
   * been delivered (this delivery included): not at all after its first delivery, then {@code
   * nackBackoffMs}, doubling with each further delivery, up to {@code maxNackBackoffMs}; never less
   * than {@code askedMs}, the delay its consumer asked for.
   */
  long nackDelayMs(int deliveries, long askedMs) {
    long backoff = 0;
    if (deliveries > 1) {
      int doublings = Math.min(deliveries - 2, 62);
      backoff = nackBackoffMs > maxNackBackoffMs >> doublings ? maxNackBackoffMs : nackBackoffMs << doublings;
    }
    return Math.max(backoff, askedMs);
  }

  private static Map<String, ChannelSettings> channels(JsonObject json, int maxDeliveries) {
    Object value = json.getValue("channels");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("channels", "an array of {\"name\", \"capacity\"} objects", value);
    }
    Map<String, ChannelSettings> channels = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "channels[" + i + "]";
      Object entry = array.getValue(i);
      if (!(entry instanceof JsonObject channel)) {
        throw invalid(key, "an object {\"name\", \"capacity\"}", entry);
      }
      knownKeys(channel, CHANNEL_KEYS, key + ".");
      Object name = channel.getValue("name");
      if (!Protocol.isValidName(name)) {
        throw invalid(key + ".name", "a string matching " + Protocol.NAME.pattern(), name);
      }
      int capacity = channel.getValue("capacity") == null ? Channel.UNBOUNDED
          : (int) integer(channel, "capacity", key + ".", 0, 0, Protocol.MAX_CAPACITY);
      int deliveries = (int) integer(channel, "maxDeliveries", key + ".", maxDeliveries, 0, Integer.MAX_VALUE);
      Object deadLetter = channel.getValue("deadLetter");
      if (deadLetter != null && (!Protocol.isValidName(deadLetter) || deadLetter.equals(name))) {
        throw invalid(key + ".deadLetter", "the name of another channel (" + Protocol.NAME.pattern() + ")", deadLetter);
      }
      Object replicated = channel.getValue(RegistryRequest.REPLICATED);
      if (replicated != null && !(replicated instanceof Boolean)) {
        throw invalid(key + "." + RegistryRequest.REPLICATED, "true or false", replicated);
      }
      Object closeWhenDetached = channel.getValue(RegistryRequest.CLOSE_WHEN_DETACHED);
      if (closeWhenDetached != null && !(closeWhenDetached instanceof Boolean)) {
        throw invalid(key + "." + RegistryRequest.CLOSE_WHEN_DETACHED, "true or false", closeWhenDetached);
      }
      ChannelSettings settings = new ChannelSettings(capacity, deliveries,
          deadLetter != null ? (String) deadLetter : Protocol.defaultDeadLetter((String) name),
          Boolean.TRUE.equals(replicated), Boolean.TRUE.equals(closeWhenDetached));
      ChannelSettings earlier = channels.putIfAbsent((String) name, settings);
      if (earlier != null && !earlier.equals(settings)) {
        throw new IllegalArgumentException("invalid config: '" + key + "' repeats channel '" + name
            + "' with other settings");
      }
    }
    return Collections.unmodifiableMap(channels); // in the order configured
  }

  private static long integer(JsonObject json, String key, String prefix, long fallback, long min, long max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!Protocol.isJsonInteger(value) || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      throw invalid(prefix + key, "an integer from " + min + " to " + max, value);
    }
    return ((Number) value).longValue();
  }

  private static JsonObject object(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw invalid(key, "an object", value);
    }
    return object;
  }

  private static void knownKeys(JsonObject json, Set<String> known, String prefix) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("invalid config: unknown key '" + prefix + key
            + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static IllegalArgumentException invalid(String key, String expected, Object actual) {
    String shown = actual instanceof String ? "\"" + actual + "\"" : String.valueOf(actual);
    return new IllegalArgumentException("invalid config: '" + key + "' must be " + expected + ", not " + shown);
  }
}
