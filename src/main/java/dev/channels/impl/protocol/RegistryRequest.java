package dev.channels.impl.protocol;

import dev.channels.Channel;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A decoded request to the registry address.
 *
 * <p>The host decodes a request ({@link #decode}); the client writes its body with the {@code
 * ...Body} methods here, its headers with {@link RequestHeaders}.
 *
 * @param action a registry action
 * @param name the channel name (create, delete; a list of one channel); {@code null} for a list of all
 * @param capacity the capacity of a create: {@link Channel#UNBOUNDED} when absent or null
 * @param maxDeliveries the {@code maxDeliveries} of a create; {@code null} when absent (the
 *     host's default for a new channel; any, for an existing one)
 * @param deadLetter the {@code deadLetter} channel of a create; {@code null} when absent (the
 *     default, {@code <name>-dead}, for a new channel; any, for an existing one)
 * @param node the {@code node} header of a create from a clustered Vert.x: the creator's node,
 *     where the channel is placed if that node serves channels; {@code null} when absent
 * @param replicated the {@code replicated} of a create: its whole state kept in the cluster's data
 *     grid, so that it survives its owner's death; {@code null} when absent (not replicated, for a
 *     new channel; any, for an existing one)
 * @param closeWhenDetached the {@code closeWhenDetached} of a create; {@code null} when absent
 *     ({@code false} for a new channel; any, for an existing one)
 */
public record RegistryRequest(Action action, String name, int capacity, Integer maxDeliveries, String deadLetter,
                              String node, Boolean replicated, Boolean closeWhenDetached) {

  /** The fields of a {@code create} body. */
  public static final String NAME = "name";
  public static final String CAPACITY = "capacity";
  public static final String MAX_DELIVERIES = "maxDeliveries";
  public static final String DEAD_LETTER = "deadLetter";
  public static final String REPLICATED = "replicated";
  public static final String CLOSE_WHEN_DETACHED = "closeWhenDetached";

  private static final String WHERE = "registry";

  /** A request without {@code replicated} and {@code closeWhenDetached}. */
  public RegistryRequest(Action action, String name, int capacity, Integer maxDeliveries, String deadLetter, String node) {
    this(action, name, capacity, maxDeliveries, deadLetter, node, null, null);
  }

  /**
   * The body of a {@code create}: {@code {"name": N, "capacity": C}}, capacity {@code null} when
   * {@link Channel#UNBOUNDED}, with {@code maxDeliveries} and {@code deadLetter} unless {@code null}
   * (the host's defaults for a new channel; not compared for an existing one).
   */
  public static JsonObject createBody(String name, int capacity, Integer maxDeliveries, String deadLetter) {
    return createBody(name, capacity, maxDeliveries, deadLetter, null, null);
  }

  /**
   * As {@link #createBody(String, int, Integer, String)}, with {@code replicated} and {@code
   * closeWhenDetached} unless {@code null} (not asked: {@code false} for a new channel; not
   * compared for an existing one).
   */
  public static JsonObject createBody(String name, int capacity, Integer maxDeliveries, String deadLetter,
      Boolean replicated, Boolean closeWhenDetached) {
    JsonObject body = new JsonObject().put(NAME, name).put(CAPACITY, capacity == Channel.UNBOUNDED ? null : capacity);
    if (maxDeliveries != null) {
      body.put(MAX_DELIVERIES, maxDeliveries);
    }
    if (deadLetter != null) {
      body.put(DEAD_LETTER, deadLetter);
    }
    if (replicated != null) {
      body.put(REPLICATED, replicated);
    }
    if (closeWhenDetached != null) {
      body.put(CLOSE_WHEN_DETACHED, closeWhenDetached);
    }
    return body;
  }

  /** The body of a {@code delete}: {@code {"name": N}}. */
  public static JsonObject deleteBody(String name) {
    return new JsonObject().put(NAME, name);
  }

  /** The body of a {@code list} of every channel: none. */
  public static JsonObject listBody() {
    return null;
  }

  /**
   * The body of a {@code list} of one channel: {@code {"name": N}}. Its answer lists that channel,
   * or none if it does not exist; in a cluster it is refused {@code 421} while the channel's owner
   * node serves no host (one restarting).
   */
  public static JsonObject listBody(String name) {
    return new JsonObject().put(NAME, name);
  }

  /** Decodes and validates every header and the body; a {@link RequestException} (400) otherwise. */
  public static RegistryRequest decode(Message<?> message) {
    Headers headers = Headers.read(message.headers(), WHERE);
    Action action = headers.action(Action.Scope.REGISTRY);
    headers.timeout(); // not used here, but never accepted malformed
    Object body = message.body();
    switch (action) {
      case CREATE -> {
        JsonObject json = object(action, body,
            Set.of(NAME, CAPACITY, MAX_DELIVERIES, DEAD_LETTER, REPLICATED, CLOSE_WHEN_DETACHED));
        String name = name(json);
        return new RegistryRequest(action, name, capacity(json), maxDeliveries(json), deadLetter(json, name), headers.node(),
            flag(json, name, REPLICATED), flag(json, name, CLOSE_WHEN_DETACHED));
      }
      case DELETE -> {
        JsonObject json = object(action, body, Set.of(NAME));
        return new RegistryRequest(action, name(json), Channel.UNBOUNDED, null, null, null);
      }
      default -> {
        if (body == null || body instanceof JsonObject json && json.isEmpty()) {
          return new RegistryRequest(action, null, Channel.UNBOUNDED, null, null, null);
        }
        if (!(body instanceof JsonObject)) {
          throw Headers.badRequest(WHERE + ": list takes no body (or an empty JSON object), or {\"name\": N} for one"
              + " channel, not a " + body.getClass().getSimpleName());
        }
        JsonObject json = object(action, body, Set.of(NAME));
        return new RegistryRequest(action, name(json), Channel.UNBOUNDED, null, null, null);
      }
    }
  }

  private static JsonObject object(Action action, Object body, Set<String> fields) {
    if (!(body instanceof JsonObject json)) {
      throw Headers.badRequest(WHERE + ": " + action.wireName() + " needs a JSON object body with "
          + fields + ", not " + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
    }
    for (String field : json.fieldNames()) {
      if (!fields.contains(field)) {
        throw Headers.badRequest(WHERE + ": " + action.wireName() + " has unknown field '" + field
            + "' (known: " + fields + ")");
      }
    }
    return json;
  }

  private static String name(JsonObject json) {
    Object name = json.getValue(NAME);
    if (!Protocol.isValidName(name)) {
      throw Headers.badRequest(WHERE + ": '" + NAME + "' must be a string matching " + Protocol.NAME.pattern()
          + ", not " + describe(name));
    }
    return (String) name;
  }

  private static int capacity(JsonObject json) {
    Object capacity = json.getValue(CAPACITY);
    if (capacity == null) {
      return Channel.UNBOUNDED;
    }
    if (!Protocol.isJsonInteger(capacity) || ((Number) capacity).longValue() < 0
        || ((Number) capacity).longValue() > Protocol.MAX_CAPACITY) {
      throw Headers.badRequest(WHERE + ": channel '" + json.getValue(NAME) + "': '" + CAPACITY + "' must be an integer from 0 "
          + "(rendezvous) to " + Protocol.MAX_CAPACITY + ", or absent/null for unbounded, not " + describe(capacity));
    }
    return ((Number) capacity).intValue();
  }

  private static Integer maxDeliveries(JsonObject json) {
    Object value = json.getValue(MAX_DELIVERIES);
    if (value == null) {
      return null;
    }
    if (!Protocol.isJsonInteger(value) || ((Number) value).longValue() < 0 || ((Number) value).longValue() > Integer.MAX_VALUE) {
      throw Headers.badRequest(WHERE + ": channel '" + json.getValue(NAME) + "': '" + MAX_DELIVERIES
          + "' must be an integer from 0 (unlimited) to " + Integer.MAX_VALUE + ", not " + describe(value));
    }
    return ((Number) value).intValue();
  }

  /** A create's {@code true}/{@code false} option, or {@code null} when absent. */
  private static Boolean flag(JsonObject json, String name, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw Headers.badRequest(WHERE + ": channel '" + name + "': '" + field + "' must be true or false, not "
          + describe(value));
    }
    return (Boolean) value;
  }

  private static String deadLetter(JsonObject json, String name) {
    Object value = json.getValue(DEAD_LETTER);
    if (value == null) {
      return null;
    }
    if (!Protocol.isValidName(value) || value.equals(name)) {
      throw Headers.badRequest(WHERE + ": channel '" + name + "': '" + DEAD_LETTER + "' must name another channel ("
          + Protocol.NAME.pattern() + "), not " + describe(value));
    }
    return (String) value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    return text.length() > 60 ? text.substring(0, 60) + "..." : text + " (" + value.getClass().getSimpleName() + ")";
  }
}
