package dev.channels.impl.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an item may be: a body the event bus carries with its own codecs. The host hands an item
 * out alone (a take) or inside a JSON array (a batch take, a push), so it accepts only what both
 * can carry, and refuses anything else with 400 when it is put: an item with a codec of its own,
 * or a {@code BigDecimal} in a put-all, would otherwise fail only when handed out, and be lost.
 */
public final class Items {

  /** The item types, {@link Buffer} aside (an interface: its implementations are items). */
  private static final Set<Class<?>> TYPES = Set.of(String.class, JsonObject.class, JsonArray.class, byte[].class,
      Integer.class, Long.class, Short.class, Byte.class, Float.class, Double.class, Boolean.class, Character.class);

  /** The item types, for messages. */
  public static final String DESCRIBED = "a String, JsonObject, JsonArray, Buffer, byte[], Integer, Long, Short,"
      + " Byte, Float, Double, Boolean or Character";

  private Items() {
  }

  /** Whether items of {@code type} travel as they are. */
  public static boolean isItemType(Class<?> type) {
    return type == Buffer.class || TYPES.contains(type);
  }

  /** Whether {@code value} may be an item. */
  public static boolean isItem(Object value) {
    if (value == null) {
      return false;
    }
    Class<?> type = value.getClass();
    // checked for every item of every put-all: the common types first, without hashing
    return type == Long.class || type == Integer.class || type == String.class || type == JsonObject.class
        || value instanceof Buffer || TYPES.contains(type);
  }

  /**
   * The item at {@code index} of a batch, as it was put. {@link JsonArray#getValue} would turn a
   * {@code Buffer} or a {@code byte[]} into base64 text; this only wraps what a JSON decoder
   * leaves as a map or a list.
   */
  @SuppressWarnings("unchecked")
  public static Object element(JsonArray items, int index) {
    Object value = items.getList().get(index);
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list);
    }
    return value;
  }
}
