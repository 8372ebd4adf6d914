package dev.channels.impl.protocol;

import io.vertx.core.MultiMap;
import java.util.function.BiConsumer;

/**
 * A request's protocol headers ({@code action}, {@code timeout}, {@code ack}, {@code max}), read
 * strictly in one pass over the message's headers: each at most once and well formed, or a 400.
 * Every request to the host is read here, so reading allocates only this object (no lists of
 * values, no sets of names).
 */
final class Headers implements BiConsumer<String, String> {

  private final String where;
  private String action;
  private String timeout;
  private String ack;
  private String max;
  private String node;
  private int nodes;
  private String key;
  private int keys;
  private String sequence;
  private int sequences;
  private int actions;
  private int timeouts;
  private int acks;
  private int maxes;
  /** Headers other than {@code action}, {@code timeout} and {@code key}: a put's item headers. */
  private int others;

  private Headers(String where) {
    this.where = where;
  }

  /** Reads {@code headers}; {@code where} names the recipient in error messages. */
  static Headers read(MultiMap headers, String where) {
    Headers read = new Headers(where);
    headers.forEach(read);
    read.once(Protocol.ACTION, read.actions, read.action);
    read.once(Protocol.TIMEOUT, read.timeouts, read.timeout);
    return read;
  }

  @Override
  public void accept(String name, String value) {
    if (Protocol.ACTION.equalsIgnoreCase(name)) {
      action = value;
      actions++;
    } else if (Protocol.TIMEOUT.equalsIgnoreCase(name)) {
      timeout = value;
      timeouts++;
    } else if (Protocol.SEQUENCE.equalsIgnoreCase(name)) {
      sequence = value;
      sequences++;
    } else if (Protocol.KEY.equalsIgnoreCase(name)) {
      key = value;
      keys++;
    } else if (Protocol.NODE.equalsIgnoreCase(name)) {
      node = value;
      nodes++;
      others++; // on a put, a header like any other: it travels with the item
    } else {
      others++;
      if (Protocol.ACK.equalsIgnoreCase(name)) {
        ack = value;
        acks++;
      } else if (Protocol.MAX.equalsIgnoreCase(name)) {
        max = value;
        maxes++;
      }
    }
  }

  /** The value of a header that may come once; {@code ack} and {@code max} are checked only by takes. */
  private String once(String header, int count, String value) {
    if (count > 1) {
      throw badRequest(where + ": header '" + header + "' must have one value, not " + count);
    }
    return value;
  }

  /** Whether headers other than {@code action} and {@code timeout} came: the item's own. */
  boolean hasOthers() {
    return others > 0;
  }

  Action action(Action.Scope scope) {
    String name = action;
    if (name == null) {
      throw badRequest(where + ": missing header '" + Protocol.ACTION + "' (one of " + Action.namesIn(scope) + ")");
    }
    Action known = Action.of(scope, name);
    if (known == null) {
      throw badRequest(where + ": unknown action '" + name + "' (one of " + Action.namesIn(scope) + ")");
    }
    return known;
  }

  /** The {@code timeout} header in ms, or {@code -1} when absent. */
  long timeout() {
    String text = timeout;
    if (text == null) {
      return -1;
    }
    long value = digits(text, 10);
    if (value < 0 || value > Protocol.MAX_TIMEOUT_MS) {
      throw badRequest(where + ": header '" + Protocol.TIMEOUT + "' must be an integer from 0 to "
          + Protocol.MAX_TIMEOUT_MS + " (ms), not '" + text + "'");
    }
    return value;
  }

  /** The {@code node} header of a take, poll, consume or attach: the sender's cluster node, or {@code null}. */
  String node() {
    String text = once(Protocol.NODE, nodes, node);
    if (text != null && text.isEmpty()) {
      throw badRequest(where + ": header '" + Protocol.NODE + "' must name a cluster node, not be empty");
    }
    return text;
  }

  /** The {@code key} header of a put or put-all: its idempotency key, or {@code null}. */
  String key() {
    String text = once(Protocol.KEY, keys, key);
    if (text != null && (text.isEmpty() || text.length() > Protocol.MAX_KEY_LENGTH)) {
      throw badRequest(where + ": header '" + Protocol.KEY + "' must be an idempotency key of 1 to "
          + Protocol.MAX_KEY_LENGTH + " characters, not " + (text.isEmpty() ? "empty" : text.length() + " characters"));
    }
    return text;
  }

  /** The {@code sequence} header of a put or put-all: its automatic idempotency key, or {@code null}. */
  Sequence sequence() {
    String text = once(Protocol.SEQUENCE, sequences, sequence);
    if (text == null) {
      return null;
    }
    Sequence parsed = Sequence.parse(text);
    if (parsed == null) {
      throw badRequest(where + ": header '" + Protocol.SEQUENCE + "' must be <producer>:<n> (a producer id without ':',"
          + " then a number from 0), not '" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'");
    }
    return parsed;
  }

  /** The {@code ack} header: {@code true}, {@code false}, or absent ({@code false}). */
  boolean ack() {
    String text = once(Protocol.ACK, acks, ack);
    if (text == null || text.equals(Protocol.FALSE)) {
      return false;
    }
    if (text.equals(Protocol.TRUE)) {
      return true;
    }
    throw badRequest(where + ": header '" + Protocol.ACK + "' must be true or false, not '" + text + "'");
  }

  /** The {@code max} header, or {@code 0} when absent (a single take). */
  int max() {
    String text = once(Protocol.MAX, maxes, max);
    if (text == null) {
      return 0;
    }
    long value = digits(text, 5);
    if (value < 1 || value > Protocol.MAX_BATCH) {
      throw badRequest(where + ": header '" + Protocol.MAX + "' must be an integer from 1 to "
          + Protocol.MAX_BATCH + ", not '" + text + "'");
    }
    return (int) value;
  }

  /** The value of {@code text} if it is 1 to {@code maxDigits} ASCII digits (no sign, no space), else -1. */
  private static long digits(String text, int maxDigits) {
    if (text.isEmpty() || text.length() > maxDigits) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  static RequestException badRequest(String detail) {
    return new RequestException(Failure.BAD_REQUEST, detail);
  }
}
