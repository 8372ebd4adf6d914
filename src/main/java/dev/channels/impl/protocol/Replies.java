package dev.channels.impl.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The answers that are neither items nor made of statuses (a status, a delete's and a list's are
 * {@link StatusJson}'s): both halves, the host writing them and the client reading them.
 *
 * <pre>{@code
 * cancel    {"returned": R}
 * put-all   {"enqueued": N}, or {"enqueued": N, "stopped": "closed" | "timeout" | "overloaded" | "unavailable"}
 * attach    {"lease": L, "leaseMs": N}
 * renew     {"lease": L, "leaseMs": N}
 * detach    {"detached": true | false}
 * }</pre>
 */
public final class Replies {

  /** Field of a cancel's answer: how many unacknowledged items went back at once. */
  public static final String RETURNED = "returned";

  /** Field of an attach's and a renew's answer: the producer's lease. */
  public static final String LEASE = "lease";
  /** Field of an attach's and a renew's answer: how long (ms) the lease lasts unless renewed. */
  public static final String LEASE_MS = "leaseMs";
  /** Field of a detach's answer: whether it detached a producer ({@code false}: none held that lease any more). */
  public static final String DETACHED = "detached";

  private Replies() {
  }

  /** An attach's or a renew's answer: the lease, valid for {@code leaseMs} from now unless renewed. */
  public static JsonObject lease(String lease, long leaseMs) {
    return new JsonObject().put(LEASE, lease).put(LEASE_MS, leaseMs);
  }

  /** The lease of an attach's answer. */
  public static String lease(JsonObject attached) {
    return attached.getString(LEASE);
  }

  /** How long (ms) a lease lasts unless renewed, from an attach's or renew's answer. */
  public static long leaseMs(JsonObject attached) {
    return attached.getLong(LEASE_MS);
  }

  /** A detach's answer. */
  public static JsonObject detached(boolean detached) {
    return new JsonObject().put(DETACHED, detached);
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
