package dev.channels.impl.protocol;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A decoded request to a channel's address.
 *
 * <p>The host decodes a request ({@link #decode}); the client writes its body with the {@code
 * ...Body} methods here, its headers with {@link RequestHeaders}. A put or offer's body is the item
 * itself, and the other actions have none.
 *
 * @param action a channel action
 * @param item the item of a put or offer, the items of a put-all (a {@code List}, each as it was
 *     put); {@code null} otherwise
 * @param itemHeaders the headers that travel with a put's items (all but action and timeout)
 * @param timeoutMs the {@code timeout} header, or {@code -1} when absent
 * @param acknowledge a take or poll with {@code ack: true}
 * @param max a batch take's {@code max} header; {@code 0} for a single take
 * @param consumer the consumer address of consume, credit and cancel; {@code null} otherwise
 * @param credit the credit of consume and credit; {@code 0} otherwise
 * @param node the {@code node} header of a take, poll, consume or attach: the cluster node of the
 *     sender, whose items go back (and whose producers are detached) if that node leaves the
 *     cluster; {@code null} when absent
 * @param lease the lease of a renew or detach; {@code null} otherwise
 * @param key the {@code key} header of a put, offer or put-all: its idempotency key; {@code null}
 *     when absent
 * @param sequence the {@code sequence} header of a put, offer or put-all: its automatic idempotency
 *     key; {@code null} when absent
 */
public record ChannelRequest(Action action, Object item, MultiMap itemHeaders, long timeoutMs,
                             boolean acknowledge, int max, String consumer, int credit, String node, String lease,
                             String key, Sequence sequence) {

  /** Field of a consume, credit or cancel body: the consumer's own address. */
  public static final String ADDRESS = "address";
  /** Field of a consume or credit body: how many more items the host may push to the consumer. */
  public static final String CREDIT = "credit";

  private static final Set<String> CONSUMER_FIELDS = Set.of(ADDRESS, CREDIT);
  private static final Set<String> CANCEL_FIELDS = Set.of(ADDRESS);

  /** Field of a renew or detach body: the producer's lease, as its attach answered. */
  public static final String LEASE = Replies.LEASE;
  private static final Set<String> LEASE_FIELDS = Set.of(LEASE);

  /** A request without a lease or idempotency keys (every action but renew, detach and the puts). */
  public ChannelRequest(Action action, Object item, MultiMap itemHeaders, long timeoutMs, boolean acknowledge, int max,
      String consumer, int credit, String node) {
    this(action, item, itemHeaders, timeoutMs, acknowledge, max, consumer, credit, node, null, null, null);
  }

  /** The body of a {@code renew} or {@code detach}: {@code {"lease": L}}. */
  public static JsonObject leaseBody(String lease) {
    return new JsonObject().put(LEASE, lease);
  }

  /** The body of a {@code put-all}: the items, in order, as a JSON array (a copy of the list). */
  public static JsonArray putAllBody(List<?> items) {
    return new JsonArray(new ArrayList<>(items));
  }

  /** The body of a {@code consume}: {@code {"address": A, "credit": C}}. */
  public static JsonObject consumeBody(String consumer, long credit) {
    return new JsonObject().put(ADDRESS, consumer).put(CREDIT, credit);
  }

  /** The body of a {@code credit}: {@code {"address": A, "credit": C}}. */
  public static JsonObject creditBody(String consumer, long credit) {
    return new JsonObject().put(ADDRESS, consumer).put(CREDIT, credit);
  }

  /** The body of a {@code cancel}: {@code {"address": A}}. */
  public static JsonObject cancelBody(String consumer) {
    return new JsonObject().put(ADDRESS, consumer);
  }

  /**
   * Decodes and validates every header and the body; a {@link RequestException} (400) otherwise.
   *
   * @param where the channel as error messages name it: {@code channel 'jobs'}
   */
  public static ChannelRequest decode(String where, Message<?> message) {
    MultiMap headers = message.headers();
    Headers read = Headers.read(headers, where);
    Action action = read.action(Action.Scope.CHANNEL);
    long timeoutMs = read.timeout();
    Object body = message.body();
    switch (action) {
      case PUT, OFFER -> {
        if (body == null) {
          throw Headers.badRequest(where + ": " + action.wireName() + " needs an item, not a null body");
        }
        if (!Items.isItem(body)) {
          throw Headers.badRequest(where + ": " + action.wireName() + " needs an item that travels alone and in batches ("
              + Items.DESCRIBED + "), not a " + body.getClass().getName());
        }
        return new ChannelRequest(action, body, itemHeaders(read, headers), timeoutMs, false, 0, null, 0, null, null,
            read.key(), read.sequence());
      }
      case PUT_ALL -> {
        return new ChannelRequest(action, items(where, body), itemHeaders(read, headers), timeoutMs, false, 0, null, 0, null,
            null, read.key(), read.sequence());
      }
      case CONSUME, CREDIT, CANCEL -> {
        return consumerRequest(where, action, body, timeoutMs, action == Action.CONSUME ? read.node() : null);
      }
      case ATTACH -> {
        noBody(where, action, body);
        return new ChannelRequest(action, null, null, timeoutMs, false, 0, null, 0, read.node());
      }
      case RENEW, DETACH -> {
        return new ChannelRequest(action, null, null, timeoutMs, false, 0, null, 0, null, lease(where, action, body),
            null, null);
      }
      default -> {
        noBody(where, action, body);
        boolean takes = action == Action.TAKE || action == Action.POLL;
        boolean acknowledge = takes && read.ack();
        int max = takes ? read.max() : 0;
        if (takes && message.replyAddress() == null) {
          // its item would be handed to nobody (with ack: never acknowledged); refused before anything is handed out
          throw Headers.badRequest(where + ": a " + action.wireName() + " needs a reply address"
              + " (send it as a request)");
        }
        return new ChannelRequest(action, null, null, timeoutMs, acknowledge, max, null, 0, takes ? read.node() : null);
      }
    }
  }

  /** A put-all's items, each as it was put ({@link Items#element}), checked. */
  private static List<Object> items(String where, Object body) {
    if (!(body instanceof JsonArray items)) {
      throw Headers.badRequest(where + ": put-all needs a JSON array of items, not "
          + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
    }
    if (items.size() > Protocol.MAX_BATCH) {
      throw Headers.badRequest(where + ": put-all takes at most " + Protocol.MAX_BATCH + " items, not " + items.size());
    }
    List<Object> elements = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object item = Items.element(items, i);
      if (item == null) {
        throw Headers.badRequest(where + ": put-all item " + i + " is null");
      }
      if (!Items.isItem(item)) {
        throw Headers.badRequest(where + ": put-all item " + i + " is a " + item.getClass().getName()
            + "; items must be " + Items.DESCRIBED);
      }
      elements.add(item);
    }
    return elements;
  }

  private static ChannelRequest consumerRequest(String where, Action action, Object body, long timeoutMs, String node) {
    String what = where + ": " + action.wireName();
    Set<String> fields = action == Action.CANCEL ? CANCEL_FIELDS : CONSUMER_FIELDS;
    if (!(body instanceof JsonObject json)) {
      throw Headers.badRequest(what + " needs a JSON object body with " + fields + ", not "
          + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
    }
    for (String field : json.fieldNames()) {
      if (!fields.contains(field)) {
        throw Headers.badRequest(what + " has unknown field '" + field + "' (known: " + fields + ")");
      }
    }
    if (!(json.getValue(ADDRESS) instanceof String address) || address.isEmpty()) {
      throw Headers.badRequest(what + ": '" + ADDRESS + "' must be a non-empty string, not " + json.getValue(ADDRESS));
    }
    int credit = 0;
    if (action != Action.CANCEL) {
      Object value = json.getValue(CREDIT);
      long min = action == Action.CONSUME ? 0 : 1;
      if (!Protocol.isJsonInteger(value) || ((Number) value).longValue() < min
          || ((Number) value).longValue() > Integer.MAX_VALUE) {
        throw Headers.badRequest(what + ": '" + CREDIT + "' must be an integer from " + min + " to "
            + Integer.MAX_VALUE + ", not " + value);
      }
      credit = ((Number) value).intValue();
    }
    return new ChannelRequest(action, null, null, timeoutMs, false, 0, address, credit, node);
  }

  /** The lease of a renew or detach body, {@code {"lease": L}}: a non-empty string. */
  private static String lease(String where, Action action, Object body) {
    String what = where + ": " + action.wireName();
    if (!(body instanceof JsonObject json)) {
      throw Headers.badRequest(what + " needs a JSON object body with " + LEASE_FIELDS + ", not "
          + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
    }
    for (String field : json.fieldNames()) {
      if (!LEASE_FIELDS.contains(field)) {
        throw Headers.badRequest(what + " has unknown field '" + field + "' (known: " + LEASE_FIELDS + ")");
      }
    }
    if (!(json.getValue(LEASE) instanceof String lease) || lease.isEmpty()) {
      throw Headers.badRequest(what + ": '" + LEASE + "' must be a non-empty string (the lease its attach answered), not "
          + json.getValue(LEASE));
    }
    return lease;
  }

  private static void noBody(String where, Action action, Object body) {
    if (body != null) {
      throw Headers.badRequest(where + ": " + action.wireName() + " takes no body, got a "
          + body.getClass().getSimpleName());
    }
  }

  private static MultiMap itemHeaders(Headers read, MultiMap headers) {
    if (!read.hasOthers()) {
      return null; // only action (and timeout): the common case allocates nothing
    }
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    copy.remove(Protocol.ACTION);
    copy.remove(Protocol.TIMEOUT);
    copy.remove(Protocol.KEY);
    copy.remove(Protocol.SEQUENCE);
    return copy.isEmpty() ? null : copy;
  }
}
