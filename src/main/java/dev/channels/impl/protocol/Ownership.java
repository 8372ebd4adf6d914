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
 * {"owner": "<nodeId>", "epoch": 7, "replicated": true}
 * }</pre>
 *
 * A replicated channel's ownership says so: when its owner leaves, another node takes it over
 * (with a new epoch) instead of declaring it lost.
 */
public record Ownership(String owner, long epoch, boolean replicated) {

  /** Field of an ownership, a status and a lost event: the owner's node id. */
  public static final String OWNER = "owner";
  /** Field of an ownership, a status and a lost event: the epoch of the owner's claim. */
  public static final String EPOCH = "epoch";
  /** Field of an ownership: the channel is replicated. */
  public static final String REPLICATED = "replicated";
  /** Field of a moved event: the node that owned the channel before. */
  public static final String WAS = "was";

  public Ownership(String owner, long epoch) {
    this(owner, epoch, false);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(OWNER, owner).put(EPOCH, epoch);
    return replicated ? json.put(REPLICATED, true) : json;
  }

  public static Ownership fromJson(JsonObject json) {
    return new Ownership(json.getString(OWNER), json.getLong(EPOCH), json.getBoolean(REPLICATED, false));
  }

  /**
   * The event published when a replicated channel was taken over after its owner {@code was} left:
   * {@code {"name", "owner", "epoch", "was"}}, naming the new owner.
   */
  public JsonObject moved(String name, String was) {
    return addTo(new JsonObject().put(StatusJson.NAME, name)).put(WAS, was);
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
