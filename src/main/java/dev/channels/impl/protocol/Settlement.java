package dev.channels.impl.protocol;

import dev.channels.impl.core.DeadLetter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * A consumer's answer to a delivery of {@code size} items (an acknowledged take's reply, or a push),
 * saying how each item is settled (docs/protocol.md, "Settling a delivery"). An item that no list
 * names is acknowledged. As a JSON object:
 *
 * <pre>{@code
 * {"nack": [i, ...],                                          failed: give it back now
 *  "delay": [{"index": i, "ms": N}, ...],                     failed: give it back no sooner than N ms
 *  "release": [i, ...],                                       never handled: give it back, not counted
 *  "reject": [{"index": i, "reason": R, "error": E}, ...],    dead-letter it now (R: rejected, unmappable)
 *  "credit": C}                                               pushes only: C more credit
 * }</pre>
 *
 * The host decodes it ({@link #decode}); the client builds it ({@link Builder}).
 */
public final class Settlement {

  public static final String CREDIT = "credit";
  public static final String NACK = "nack";
  public static final String DELAY = "delay";
  public static final String RELEASE = "release";
  public static final String REJECT = "reject";
  public static final String INDEX = "index";
  public static final String MS = "ms";

  /** How one item is settled. */
  public enum Kind { ACK, NACK, DELAY, RELEASE, REJECT }

  /** An answer that acknowledges every item and grants no credit. */
  private static final Settlement ACK_ALL = new Settlement(null, null, null, null, -1);

  /** Per item; {@code null} when every item is acknowledged. */
  private final Kind[] kinds;
  private final long[] delays;
  private final DeadLetter[] reasons;
  private final String[] errors;
  private final long credit;

  private Settlement(Kind[] kinds, long[] delays, DeadLetter[] reasons, String[] errors, long credit) {
    this.kinds = kinds;
    this.delays = delays;
    this.reasons = reasons;
    this.errors = errors;
    this.credit = credit;
  }

  /**
   * Reads the answer to a take's delivery of {@code size} items: a JSON object with one of the
   * settlement lists settles them as it says (a {@code credit} in it means nothing here); any other
   * body acknowledges them all.
   *
   * @throws IllegalArgumentException as {@link #decode}
   */
  public static Settlement ofTakeAnswer(Object body, int size) {
    return isSettlement(body) ? decode(body, size) : ACK_ALL;
  }

  /** Whether {@code body} is a settlement of a take's delivery rather than a plain acknowledgement. */
  public static boolean isSettlement(Object body) {
    return body instanceof JsonObject json
        && (json.containsKey(NACK) || json.containsKey(DELAY) || json.containsKey(RELEASE) || json.containsKey(REJECT));
  }

  /**
   * Reads an answer to a delivery of {@code size} items: a JSON object as above; any other body
   * acknowledges every item.
   *
   * @throws IllegalArgumentException if it is a JSON object that does not make sense for this
   *     delivery (an index out of range or named twice, a bad delay, reason or credit)
   */
  public static Settlement decode(Object body, int size) {
    if (!(body instanceof JsonObject json)) {
      return ACK_ALL;
    }
    long credit = -1;
    Object more = json.getValue(CREDIT);
    if (more != null) {
      if (!Protocol.isJsonInteger(more) || ((Number) more).longValue() < 0 || ((Number) more).longValue() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("'credit' must be an integer from 0 to " + Integer.MAX_VALUE + ", not " + more);
      }
      credit = ((Number) more).longValue();
    }
    if (!isSettlement(json)) {
      return credit < 0 ? ACK_ALL : new Settlement(null, null, null, null, credit);
    }
    Kind[] kinds = new Kind[size];
    Arrays.fill(kinds, Kind.ACK);
    long[] delays = null;
    DeadLetter[] reasons = null;
    String[] errors = null;
    for (Object index : array(json, NACK)) {
      set(kinds, index(index, size, NACK), Kind.NACK);
    }
    for (Object index : array(json, RELEASE)) {
      set(kinds, index(index, size, RELEASE), Kind.RELEASE);
    }
    for (Object entry : array(json, DELAY)) {
      JsonObject delay = object(entry, DELAY);
      int i = index(delay.getValue(INDEX), size, DELAY);
      Object ms = delay.getValue(MS);
      if (!Protocol.isJsonInteger(ms) || ((Number) ms).longValue() < 0 || ((Number) ms).longValue() > Protocol.MAX_TIMEOUT_MS) {
        throw new IllegalArgumentException("'delay' ms must be an integer from 0 to " + Protocol.MAX_TIMEOUT_MS + ", not " + ms);
      }
      set(kinds, i, Kind.DELAY);
      delays = delays == null ? new long[size] : delays;
      delays[i] = ((Number) ms).longValue();
    }
    for (Object entry : array(json, REJECT)) {
      JsonObject reject = object(entry, REJECT);
      int i = index(reject.getValue(INDEX), size, REJECT);
      set(kinds, i, Kind.REJECT);
      reasons = reasons == null ? new DeadLetter[size] : reasons;
      errors = errors == null ? new String[size] : errors;
      reasons[i] = reason(reject.getValue(Protocol.REASON));
      Object error = reject.getValue(Protocol.ERROR);
      if (error != null && !(error instanceof String)) {
        throw new IllegalArgumentException("'reject' error must be a string, not " + error);
      }
      errors[i] = (String) error;
    }
    return new Settlement(kinds, delays, reasons, errors, credit);
  }

  /** The credit an answer to a push grants; {@code -1} when it names none. */
  public long credit() {
    return credit;
  }

  public Kind kind(int index) {
    return kinds == null ? Kind.ACK : kinds[index];
  }

  /** The delay of a {@link Kind#DELAY} item, in ms. */
  public long delayMs(int index) {
    return delays[index];
  }

  /** Why a {@link Kind#REJECT} item is dead-lettered. */
  public DeadLetter reason(int index) {
    return reasons[index];
  }

  /** What the consumer said of a {@link Kind#REJECT} item; {@code null} if nothing. */
  public String error(int index) {
    return errors[index];
  }

  /** The wire name of a dead-letter reason: the {@code reason} header of a dead-lettered item. */
  public static String reasonName(DeadLetter reason) {
    return switch (reason) {
      case MAX_DELIVERIES -> Protocol.REASON_MAX_DELIVERIES;
      case REJECTED -> Protocol.REASON_REJECTED;
      case UNMAPPABLE -> Protocol.REASON_UNMAPPABLE;
    };
  }

  private static DeadLetter reason(Object name) {
    if (name == null || Protocol.REASON_REJECTED.equals(name)) {
      return DeadLetter.REJECTED;
    }
    if (Protocol.REASON_UNMAPPABLE.equals(name)) {
      return DeadLetter.UNMAPPABLE;
    }
    throw new IllegalArgumentException("'reject' reason must be '" + Protocol.REASON_REJECTED + "' or '"
        + Protocol.REASON_UNMAPPABLE + "', not " + name);
  }

  private static void set(Kind[] kinds, int index, Kind kind) {
    if (kinds[index] != Kind.ACK) {
      throw new IllegalArgumentException("item " + index + " is settled twice (" + kinds[index].name().toLowerCase()
          + " and " + kind.name().toLowerCase() + ")");
    }
    kinds[index] = kind;
  }

  private static JsonArray array(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("'" + field + "' must be an array, not " + value);
    }
    return array;
  }

  private static JsonObject object(Object entry, String field) {
    if (!(entry instanceof JsonObject json)) {
      throw new IllegalArgumentException("'" + field + "' must hold objects, not " + entry);
    }
    return json;
  }

  private static int index(Object index, int size, String field) {
    if (!Protocol.isJsonInteger(index) || ((Number) index).longValue() < 0 || ((Number) index).longValue() >= size) {
      throw new IllegalArgumentException("'" + field + "' names " + index + ", not an index of the " + size
          + " items delivered");
    }
    return ((Number) index).intValue();
  }

  /** Builds an answer, item by item; items never named are acknowledged. */
  public static final class Builder {

    private JsonObject answer;

    public Builder nack(int index) {
      return add(NACK, index);
    }

    public Builder release(int index) {
      return add(RELEASE, index);
    }

    public Builder delay(int index, long ms) {
      return add(DELAY, new JsonObject().put(INDEX, index).put(MS, ms));
    }

    public Builder reject(int index, DeadLetter reason, String error) {
      JsonObject reject = new JsonObject().put(INDEX, index).put(Protocol.REASON, reasonName(reason));
      if (error != null) {
        reject.put(Protocol.ERROR, error);
      }
      return add(REJECT, reject);
    }

    /** Whether any item is settled otherwise than acknowledged. */
    public boolean settlesAny() {
      return answer != null;
    }

    /** The answer, with {@code credit} unless it is negative; {@code null} for a plain acknowledgement. */
    public JsonObject build(long credit) {
      if (credit < 0) {
        return answer;
      }
      return (answer == null ? new JsonObject() : answer).put(CREDIT, credit);
    }

    private Builder add(String field, Object value) {
      if (answer == null) {
        answer = new JsonObject();
      }
      JsonArray list = answer.getJsonArray(field);
      if (list == null) {
        list = new JsonArray();
        answer.put(field, list);
      }
      list.add(value);
      return this;
    }
  }
}
