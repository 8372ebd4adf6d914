package dev.channels.impl.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Who serves a channel in a cluster: the owner's node id, and the epoch of its claim. Epochs come
 * from one cluster-wide counter, so a later claim of a name always has a greater epoch: a node that
 * sees a greater epoch than its own for a channel it serves knows it lost the channel (a fencing
 * token). Both halves: the hosts' ownership map holds this JSON, statuses carry its fields, and the
 * {@code lost} event names the ownership that ended.
 *
 * <pre>{@code
 * {"owner": "<nodeId>", "epoch": 7}
 * }</pre>
 */
public record Ownership(String owner, long epoch) {

  /** Field of an ownership, a status and a lost event: the owner's node id. */
  public static final String OWNER = "owner";
  /** Field of an ownership, a status and a lost event: the epoch of the owner's claim. */
  public static final String EPOCH = "epoch";

  public JsonObject toJson() {
    return new JsonObject().put(OWNER, owner).put(EPOCH, epoch);
  }

  public static Ownership fromJson(JsonObject json) {
    return new Ownership(json.getString(OWNER), json.getLong(EPOCH));
  }

  /** A status with this ownership's fields added. */
  public JsonObject addTo(JsonObject status) {
    return status.put(OWNER, owner).put(EPOCH, epoch);
  }

  /** The owner a status names, or {@code null} (not clustered). */
  public static String ownerIn(JsonObject status) {
    return status.getString(OWNER);
  }

  /** The event published when a channel's owner left the cluster: {@code {"name", "owner", "epoch"}}. */
  public JsonObject lost(String name) {
    return addTo(new JsonObject().put(StatusJson.NAME, name));
  }

  /** The name of the channel a lost event is about. */
  public static String lostName(JsonObject event) {
    return event.getString(StatusJson.NAME);
  }
}
