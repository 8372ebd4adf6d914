package dev.channels.protocol;

import io.vertx.core.MultiMap;
import java.util.List;

/** Reading the protocol's headers strictly: one value each, well formed, or a 400. */
final class Headers {

  private Headers() {
  }

  /** The single value of a header, or {@code null} when absent. */
  static String single(MultiMap headers, String header, String where) {
    List<String> values = headers.getAll(header);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw badRequest(where + ": header '" + header + "' must have one value, not " + values.size());
    }
    return values.get(0);
  }

  static Action action(MultiMap headers, Action.Scope scope, String where) {
    String name = single(headers, Protocol.ACTION, where);
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
  static long timeout(MultiMap headers, String where) {
    String text = single(headers, Protocol.TIMEOUT, where);
    if (text == null) {
      return -1;
    }
    boolean digits = !text.isEmpty() && text.length() <= 10 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || Long.parseLong(text) > Protocol.MAX_TIMEOUT_MS) {
      throw badRequest(where + ": header '" + Protocol.TIMEOUT + "' must be an integer from 0 to "
          + Protocol.MAX_TIMEOUT_MS + " (ms), not '" + text + "'");
    }
    return Long.parseLong(text);
  }

  /** The {@code ack} header: {@code true}, {@code false}, or absent ({@code false}). */
  static boolean ack(MultiMap headers, String where) {
    String text = single(headers, Protocol.ACK, where);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw badRequest(where + ": header '" + Protocol.ACK + "' must be true or false, not '" + text + "'");
  }

  /** The {@code max} header, or {@code 0} when absent (a single take). */
  static int max(MultiMap headers, String where) {
    String text = single(headers, Protocol.MAX, where);
    if (text == null) {
      return 0;
    }
    boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || Integer.parseInt(text) < 1 || Integer.parseInt(text) > Protocol.MAX_BATCH) {
      throw badRequest(where + ": header '" + Protocol.MAX + "' must be an integer from 1 to "
          + Protocol.MAX_BATCH + ", not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  static RequestException badRequest(String detail) {
    return new RequestException(Failure.BAD_REQUEST, detail);
  }
}
