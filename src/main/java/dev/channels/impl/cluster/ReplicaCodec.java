package dev.channels.impl.cluster;

import dev.channels.impl.core.DeadLetter;
import dev.channels.impl.host.HostedItem;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a replicated channel's state is written in its data-grid map: one entry, keyed by the
 * channel's name, whose value maps each part of the state to its bytes ({@link ApplyChanges} changes
 * the parts a write changed):
 * <ul>
 *   <li>{@code m}: the settings, the flags and the counts (JSON);
 *   <li>{@code i<n>}: the {@code n}-th item put (while it is in the channel): its body and headers;
 *   <li>{@code d<n>}: how the {@code n}-th item was delivered, once it was: in flight or given back,
 *       its delivery count and the order of its first delivery, or on its way to the dead-letter
 *       channel and why;
 *   <li>{@code k<n>}: the {@code n}-th idempotency key the channel remembered, with how many items
 *       its put enqueued;
 *   <li>{@code p<n>}: the numbers of the puts enqueued from the producer in slot {@code n} (its id,
 *       then ranges);
 *   <li>{@code l0}: the attached producers' leases, each with the node it was granted to (JSON);
 *   <li>{@code n}: which channel of that name it is, written by {@link ApplyChanges}.
 * </ul>
 */
final class ReplicaCodec {

  static final String META = "m";
  /** The part recording which channel of its name the state is ({@link ApplyChanges}): a long. */
  static final String INCARNATION = "n";
  static final char ITEM = 'i';
  static final char DELIVERY = 'd';
  static final char KEY = 'k';
  static final char PRODUCER = 'p';
  static final char LEASES = 'l';

  /** Stages of a delivery entry. */
  static final byte DELIVERED = 1;
  static final byte DEAD_LETTERING = 2;

  private static final DeadLetter[] REASONS = DeadLetter.values();

  /** A delivery entry, decoded. */
  record Delivered(byte stage, int deliveries, long order, DeadLetter reason, String error) {
  }

  /** A producer entry, decoded. */
  record Producer(String producer, long[] ranges, long[] partial) {
  }

  /** A key entry, decoded. */
  record Remembered(String key, int enqueued) {
  }

  private ReplicaCodec() {
  }

  static String key(char kind, long n) {
    return kind + Long.toString(n);
  }

  /** The kind of an entry's key, and its number ({@code -1} for the meta entry). */
  static char kindOf(String key) {
    return key.charAt(0);
  }

  static long numberOf(String key) {
    return Long.parseLong(key, 1, key.length(), 10);
  }

  static byte[] item(HostedItem item) {
    Buffer buffer = Buffer.buffer(64);
    MultiMap headers = item.headers();
    buffer.appendInt(headers == null ? 0 : headers.size());
    if (headers != null) {
      headers.forEach((name, value) -> {
        string(buffer, name);
        string(buffer, value);
      });
    }
    body(buffer, item.body());
    return buffer.getBytes();
  }

  static HostedItem item(byte[] bytes) {
    Buffer buffer = Buffer.buffer(bytes);
    int[] at = {0};
    int headerCount = buffer.getInt(0);
    at[0] = 4;
    MultiMap headers = headerCount == 0 ? null : MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerCount; i++) {
      headers.add(string(buffer, at), string(buffer, at));
    }
    return new HostedItem(body(buffer, at), headers);
  }

  static byte[] delivery(byte stage, int deliveries, long order, DeadLetter reason, String error) {
    Buffer buffer = Buffer.buffer(32).appendByte(stage).appendInt(deliveries).appendLong(order)
        .appendByte((byte) (reason == null ? -1 : reason.ordinal()));
    if (error != null) {
      string(buffer, error);
    }
    return buffer.getBytes();
  }

  static Delivered delivery(byte[] bytes) {
    Buffer buffer = Buffer.buffer(bytes);
    byte reason = buffer.getByte(13);
    String error = null;
    if (bytes.length > 14) {
      error = string(buffer, new int[] {14});
    }
    return new Delivered(buffer.getByte(0), buffer.getInt(1), buffer.getLong(5), reason < 0 ? null : REASONS[reason], error);
  }

  static byte[] remembered(String key, int enqueued) {
    Buffer buffer = Buffer.buffer(key.length() + 8).appendInt(enqueued);
    string(buffer, key);
    return buffer.getBytes();
  }

  static Remembered remembered(byte[] bytes) {
    Buffer buffer = Buffer.buffer(bytes);
    return new Remembered(string(buffer, new int[] {4}), buffer.getInt(0));
  }

  static byte[] producer(String producer, long[] ranges, long[] partial) {
    Buffer buffer = Buffer.buffer(producer.length() + 12 + (ranges.length + partial.length) * 8);
    string(buffer, producer);
    longs(buffer, ranges);
    longs(buffer, partial);
    return buffer.getBytes();
  }

  static Producer producer(byte[] bytes) {
    Buffer buffer = Buffer.buffer(bytes);
    int[] at = {0};
    String producer = string(buffer, at);
    long[] ranges = longs(buffer, at);
    return new Producer(producer, ranges, longs(buffer, at));
  }

  private static void longs(Buffer buffer, long[] values) {
    buffer.appendInt(values.length);
    for (long value : values) {
      buffer.appendLong(value);
    }
  }

  private static long[] longs(Buffer buffer, int[] at) {
    long[] values = new long[buffer.getInt(at[0])];
    for (int i = 0; i < values.length; i++) {
      values[i] = buffer.getLong(at[0] + 4 + i * 8);
    }
    at[0] += 4 + values.length * 8;
    return values;
  }

  static byte[] leases(Map<String, String> nodesByLease) {
    return new JsonObject(new LinkedHashMap<>(nodesByLease)).toBuffer().getBytes();
  }

  static Map<String, String> leases(byte[] bytes) {
    Map<String, String> leases = new LinkedHashMap<>();
    new JsonObject(Buffer.buffer(bytes)).forEach(entry -> leases.put(entry.getKey(), (String) entry.getValue()));
    return leases;
  }

  static byte[] meta(JsonObject meta) {
    return meta.toBuffer().getBytes();
  }

  static JsonObject meta(byte[] bytes) {
    return new JsonObject(Buffer.buffer(bytes));
  }

  private static void string(Buffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String string(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    String text = buffer.getString(at[0] + 4, at[0] + 4 + length, "UTF-8");
    at[0] += 4 + length;
    return text;
  }

  /** An item's body: a type tag, then its bytes (every item type of {@link dev.channels.impl.protocol.Items}). */
  private static void body(Buffer buffer, Object body) {
    if (body instanceof String text) {
      buffer.appendByte((byte) 'S');
      string(buffer, text);
    } else if (body instanceof JsonObject json) {
      buffer.appendByte((byte) 'J');
      string(buffer, json.encode());
    } else if (body instanceof JsonArray json) {
      buffer.appendByte((byte) 'A');
      string(buffer, json.encode());
    } else if (body instanceof Buffer bytes) {
      buffer.appendByte((byte) 'B').appendInt(bytes.length()).appendBuffer(bytes);
    } else if (body instanceof byte[] bytes) {
      buffer.appendByte((byte) 'b').appendInt(bytes.length).appendBytes(bytes);
    } else if (body instanceof Integer value) {
      buffer.appendByte((byte) 'I').appendInt(value);
    } else if (body instanceof Long value) {
      buffer.appendByte((byte) 'L').appendLong(value);
    } else if (body instanceof Short value) {
      buffer.appendByte((byte) 's').appendShort(value);
    } else if (body instanceof Byte value) {
      buffer.appendByte((byte) 'y').appendByte(value);
    } else if (body instanceof Float value) {
      buffer.appendByte((byte) 'F').appendFloat(value);
    } else if (body instanceof Double value) {
      buffer.appendByte((byte) 'D').appendDouble(value);
    } else if (body instanceof Boolean value) {
      buffer.appendByte((byte) 'Z').appendByte((byte) (value ? 1 : 0));
    } else if (body instanceof Character value) {
      buffer.appendByte((byte) 'C').appendShort((short) value.charValue());
    } else {
      throw new IllegalArgumentException("not an item type: " + body.getClass().getName());
    }
  }

  private static Object body(Buffer buffer, int[] at) {
    int i = at[0];
    byte tag = buffer.getByte(i);
    return switch (tag) {
      case 'S' -> string(buffer, new int[] {i + 1});
      case 'J' -> new JsonObject(string(buffer, new int[] {i + 1}));
      case 'A' -> new JsonArray(string(buffer, new int[] {i + 1}));
      case 'B' -> buffer.getBuffer(i + 5, i + 5 + buffer.getInt(i + 1));
      case 'b' -> buffer.getBytes(i + 5, i + 5 + buffer.getInt(i + 1));
      case 'I' -> buffer.getInt(i + 1);
      case 'L' -> buffer.getLong(i + 1);
      case 's' -> buffer.getShort(i + 1);
      case 'y' -> buffer.getByte(i + 1);
      case 'F' -> buffer.getFloat(i + 1);
      case 'D' -> buffer.getDouble(i + 1);
      case 'Z' -> buffer.getByte(i + 1) != 0;
      case 'C' -> (char) buffer.getShort(i + 1);
      default -> throw new IllegalStateException("a replicated item of unknown type tag " + tag);
    };
  }
}
