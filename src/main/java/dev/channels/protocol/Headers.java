package dev.channels.protocol;

import io.vertx.core.MultiMap;
import java.util.function.BiConsumer;

/**
 * A request's protocol headers ({@code action}, {@code timeout}, {@code ack}, {@code max}), read
 * strictly in one pass over the message's headers: each at most once and well formed, or a 400.
 * Every request to the host is read here, so reading allocates only this object (no lists of
 * values, no sets of names).
 */
final class Headers implements BiConsumer<String, String> {

  private static final String[] NAMES = {Protocol.ACTION, Protocol.TIMEOUT, Protocol.ACK, Protocol.MAX};
  private static final int ACTION = 0;
  private static final int TIMEOUT = 1;
  private static final int ACK = 2;
  private static final int MAX = 3;

  private final String where;
  private final String[] values = new String[NAMES.length];
  private final int[] counts = new int[NAMES.length];
  /** Headers other than {@code action} and {@code timeout}: a put's item headers. */
  private int others;

  private Headers(String where) {
    this.where = where;
  }

  /** Reads {@code headers}; {@code where} names the recipient in error messages. */
  static Headers read(MultiMap headers, String where) {
    Headers read = new Headers(where);
    headers.forEach(read);
    read.once(ACTION);
    read.once(TIMEOUT);
    return read;
  }

  /** The value of a header that may come once; {@code ack} and {@code max} are checked only by takes. */
  private String once(int header) {
    if (counts[header] > 1) {
      throw badRequest(where + ": header '" + NAMES[header] + "' must have one value, not " + counts[header]);
    }
    return values[header];
  }

  @Override
  public void accept(String name, String value) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equalsIgnoreCase(name)) {
        values[i] = value;
        counts[i]++;
        others += i == ACTION || i == TIMEOUT ? 0 : 1;
        return;
      }
    }
    others++;
  }

  /** Whether headers other than {@code action} and {@code timeout} came: the item's own. */
  boolean hasOthers() {
    return others > 0;
  }

  Action action(Action.Scope scope) {
    String name = values[ACTION];
    if (name == null) {
      throw badRequest(where + ": missing header '" + Protocol.ACTION + "' (one of " + Action.namesIn(scope) + ")");
    }
    Action action = Action.of(scope, name);
    if (action == null) {
      throw badRequest(where + ": unknown action '" + name + "' (one of " + Action.namesIn(scope) + ")");
    }
    return action;
  }

  /** The {@code timeout} header in ms, or {@code -1} when absent. */
  long timeout() {
    String text = values[TIMEOUT];
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

  /** The {@code ack} header: {@code true}, {@code false}, or absent ({@code false}). */
  boolean ack() {
    String text = once(ACK);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw badRequest(where + ": header '" + Protocol.ACK + "' must be true or false, not '" + text + "'");
  }

  /** The {@code max} header, or {@code 0} when absent (a single take). */
  int max() {
    String text = once(MAX);
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
