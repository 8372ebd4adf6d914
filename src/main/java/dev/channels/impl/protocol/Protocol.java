package dev.channels.impl.protocol;

import dev.channels.impl.core.Outcome;
import java.util.regex.Pattern;

/** Names of protocol v1 that are not actions or failure codes: headers, addresses, names. */
public final class Protocol {

  /** Header naming the action of every request. */
  public static final String ACTION = "action";
  /** Header: how long (ms, a non-negative integer) a put, take or join may wait; 0 = not at all. */
  public static final String TIMEOUT = "timeout";
  /** Header of a take or poll: {@code true} for an acknowledged take. */
  public static final String ACK = "ack";
  /** Header of a take or poll: a batch take of up to this many items. */
  public static final String MAX = "max";
  /**
   * Header of a take, poll, consume or attach from a clustered Vert.x: the sender's cluster node id.
   * When that node leaves the cluster, the channel's owner gives back at once what it handed to it,
   * and detaches the producers attached from there.
   */
  public static final String NODE = "node";
  /**
   * Header of a put or put-all: its idempotency key, chosen by the producer. A put repeating a key
   * the channel remembers is answered as the first was, and enqueues nothing.
   */
  public static final String KEY = "key";
  /**
   * Header of a put or put-all from a remote client: its automatic idempotency key, {@code
   * <producer>:<n>}, the client's id and the put's number, counted up from 0. A replicated channel
   * remembers which numbers of each producer it enqueued, so a put sent again after a failover is
   * not enqueued twice; other channels ignore it.
   */
  public static final String SEQUENCE = "sequence";
  /** The longest idempotency key accepted. */
  public static final int MAX_KEY_LENGTH = dev.channels.impl.core.IdempotencyKeys.MAX_KEY_LENGTH;
  /** The value of a header that is true: {@code ack}, {@code redelivered}. */
  public static final String TRUE = "true";
  /** The value of a header that is false: {@code ack}. */
  public static final String FALSE = "false";
  /** Header of a delivery: how many times its item (each item of a batch) has been handed out. */
  public static final String DELIVERIES = "deliveries";
  /** Header of a delivery: {@code true} when an item of it has been handed out before. */
  public static final String REDELIVERED = "redelivered";
  /** Header of a message from the host to a consumer that is not a push: {@code end}, ... */
  public static final String EVENT = "event";
  /** Event: the channel finished; the consumer is forgotten. */
  public static final String EVENT_END = "end";
  /** Event: the consumer was removed (a push went unanswered); its items were returned. */
  public static final String EVENT_EXPIRED = "expired";
  /** Event: the channel was deleted. */
  public static final String EVENT_DELETED = "deleted";
  /** Event: the channel's host is stopping; consume again once it is served again. */
  public static final String EVENT_UNAVAILABLE = "unavailable";
  /** Header of a dead-lettered item: why it was dead-lettered ({@link #REASON_MAX_DELIVERIES}, ...). */
  public static final String REASON = "reason";
  /** Header of a dead-lettered item: the name of the channel it was dead-lettered from. */
  public static final String SOURCE = "source";
  /**
   * Header of a dead-lettered item: how many times it was delivered from its source channel (its
   * {@code deliveries} header counts its deliveries from the dead-letter channel).
   */
  public static final String SOURCE_DELIVERIES = "source-deliveries";
  /** Header of a dead-lettered item: what its consumer said when it rejected it. */
  public static final String ERROR = "error";
  /** Reason: delivered {@code maxDeliveries} times without being acknowledged. */
  public static final String REASON_MAX_DELIVERIES = "max-deliveries";
  /** Reason: a consumer rejected it. */
  public static final String REASON_REJECTED = "rejected";
  /** Reason: a consumer could not map it to the channel's item type. */
  public static final String REASON_UNMAPPABLE = "unmappable";
  /** The suffix of a channel's default dead-letter channel: {@code jobs} dead-letters into {@code jobs-dead}. */
  public static final String DEAD_LETTER_SUFFIX = "-dead";
  /** Field of a put-all's answer: how many of its items were enqueued. */
  public static final String ENQUEUED = "enqueued";
  /** Field of a put-all's answer: why it stopped early. */
  public static final String STOPPED = "stopped";
  /** A put-all stopped: the channel closed (or was deleted). */
  public static final String STOPPED_CLOSED = "closed";
  /** A put-all stopped: its deadline passed. */
  public static final String STOPPED_TIMEOUT = "timeout";
  /** A put-all stopped: the host holds {@code maxQueuedItems}. */
  public static final String STOPPED_OVERLOADED = "overloaded";
  /** A put-all stopped: the host stops serving the channel for now; send the rest again. */
  public static final String STOPPED_UNAVAILABLE = "unavailable";
  /** Why a put-all stopped early, as its answer says: {@code closed}, {@code timeout}, ... */
  public static String stopped(Outcome why) {
    return switch (why) {
      case CLOSED -> STOPPED_CLOSED;
      case TIMEOUT -> STOPPED_TIMEOUT;
      case OVERLOADED -> STOPPED_OVERLOADED;
      case UNAVAILABLE -> STOPPED_UNAVAILABLE;
      case DONE, WAITS, FULL, EMPTY -> throw new IllegalArgumentException("a put-all does not stop " + why);
    };
  }

  /** The most items of a {@code put-all} or a batch take. */
  public static final int MAX_BATCH = 10_000;
  /** The most items the host pushes to a consumer in one message. */
  public static final int MAX_PUSH = 1_000;
  /** The largest {@code timeout} accepted. */
  public static final long MAX_TIMEOUT_MS = Integer.MAX_VALUE;
  /** Suffix of the address on which a channel's end is published. */
  public static final String JOINED_SUFFIX = ".joined";
  private static final String LOST_SUFFIX = ":lost";
  private static final String MOVED_SUFFIX = ":moved";
  private static final String NODE_INFIX = ":node:";
  private static final String CLUSTER_PREFIX = "__vertx-channels.";
  /** A channel name, matched against the whole string. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  /** The largest bounded capacity; a larger one would be indistinguishable from unbounded. */
  public static final int MAX_CAPACITY = Integer.MAX_VALUE - 1;

  private Protocol() {
  }

  /**
   * The default dead-letter channel of {@code name}: {@code <name>-dead}, the name cut to 123
   * characters first if it is longer, so that the result is a valid name too. Never the channel
   * itself: when that would be its own name (a 128-character name ending in {@code -dead}), the
   * 123rd character is replaced by {@code _} ({@code x} if it is one).
   */
  public static String defaultDeadLetter(String name) {
    int keep = 128 - DEAD_LETTER_SUFFIX.length();
    if (name.length() <= keep) {
      return name + DEAD_LETTER_SUFFIX;
    }
    String cut = name.substring(0, keep) + DEAD_LETTER_SUFFIX;
    if (!cut.equals(name)) {
      return cut;
    }
    char last = name.charAt(keep - 1) == '_' ? 'x' : '_';
    return name.substring(0, keep - 1) + last + DEAD_LETTER_SUFFIX;
  }

  public static String channelAddress(String baseAddress, String name) {
    return baseAddress + "." + name;
  }

  public static String joinedAddress(String baseAddress, String name) {
    return channelAddress(baseAddress, name) + JOINED_SUFFIX;
  }

  /**
   * In a cluster, where the hosts at {@code baseAddress} publish that a channel was lost with its
   * owner's node: {@code <address>:lost} (no channel's address: a name has no {@code :}).
   */
  public static String lostAddress(String baseAddress) {
    return baseAddress + LOST_SUFFIX;
  }

  /**
   * In a cluster, where the host that took over a replicated channel whose owner's node left
   * publishes that it serves it now: {@code <address>:moved}. Clients send again what they had sent
   * to the old owner and got no answer to.
   */
  public static String movedAddress(String baseAddress) {
    return baseAddress + MOVED_SUFFIX;
  }

  /** In a cluster, the data-grid map holding the whole state of the replicated channel {@code name}. */
  public static String replicaMap(String baseAddress, String name) {
    return CLUSTER_PREFIX + "replica." + baseAddress + "." + name;
  }

  /** The name pattern of {@link #replicaMap}s, for the data grid's configuration. */
  public static final String REPLICA_MAPS = CLUSTER_PREFIX + "replica.*";

  /** In a cluster, the hosts' shared map of ownerships: {@code name -> {"owner", "epoch"}} ({@link Ownership}). */
  public static String ownersMap(String baseAddress) {
    return CLUSTER_PREFIX + baseAddress + ".owners";
  }

  /** In a cluster, the hosts' shared counter of claims, whose values are the epochs. */
  public static String epochsCounter(String baseAddress) {
    return CLUSTER_PREFIX + baseAddress + ".epochs";
  }

  /** In a cluster, the registry of one node's host: {@code <address>:node:<nodeId>}; only other hosts send to it. */
  public static String nodeAddress(String baseAddress, String nodeId) {
    return baseAddress + NODE_INFIX + nodeId;
  }

  /** Whether a decoded JSON value is an integer: no coercion of strings, fractions or booleans. */
  public static boolean isJsonInteger(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
  }

  public static boolean isValidName(Object name) {
    return name instanceof String text && NAME.matcher(text).matches();
  }
}
