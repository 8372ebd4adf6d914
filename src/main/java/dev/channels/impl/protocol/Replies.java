package dev.channels.impl.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The answers that are neither items nor made of statuses (a status, a delete's and a list's are
 * {@link StatusJson}'s): both halves, the host writing them and the client reading them.
 *
 * <pre>{@code
 * cancel    {"returned": R}
 * put-all   {"enqueued": N}, or {"enqueued": N, "stopped": "closed" | "timeout" | "overloaded" | "unavailable"}
 * }</pre>
 */
public final class Replies {

  /** Field of a cancel's answer: how many unacknowledged items went back at once. */
  public static final String RETURNED = "returned";

  private Replies() {
  }

  /** A cancel's answer. */
  public static JsonObject cancelled(int returned) {
    return new JsonObject().put(RETURNED, returned);
  }

  /** How many items a cancel gave back, from its answer. */
  public static int returned(JsonObject cancelled) {
    return cancelled.getInteger(RETURNED);
  }

  /** A put-all's answer when every item was enqueued. */
  public static JsonObject putAll(int enqueued) {
    return new JsonObject().put(Protocol.ENQUEUED, enqueued);
  }

  /** A put-all's answer when it stopped early: {@code stopped} is one of {@link Protocol#STOPPED_CLOSED}, ... */
  public static JsonObject putAll(int enqueued, String stopped) {
    return putAll(enqueued).put(Protocol.STOPPED, stopped);
  }

  /** How many items a put-all enqueued, from its answer. */
  public static int enqueued(JsonObject putAll) {
    return putAll.getInteger(Protocol.ENQUEUED);
  }

  /** Why a put-all stopped early, from its answer ({@link Protocol#STOPPED_CLOSED}, ...); {@code null} if it did not. */
  public static String stopped(JsonObject putAll) {
    return putAll.getString(Protocol.STOPPED);
  }
}
