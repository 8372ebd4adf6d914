package dev.channels.impl.protocol;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The status object of protocol v1 (docs/protocol.md, "Status"), and the answers made of statuses
 * (a delete's, a list's): both halves, the host writing them and the client reading them.
 */
public final class StatusJson {

  /** The fields of a status, as {@link ChannelStatus} has them; {@code name} is a delete's answer's too. */
  public static final String NAME = "name";
  public static final String CAPACITY = "capacity";
  public static final String SIZE = "size";
  public static final String CLOSED = "closed";
  public static final String FINISHED = "finished";
  public static final String PUTTERS = "putters";
  public static final String TAKERS = "takers";
  public static final String PUT = "put";
  public static final String TAKEN = "taken";
  public static final String IN_FLIGHT = "inFlight";
  public static final String REDELIVERED = "redelivered";
  public static final String DEAD_LETTERED = "deadLettered";
  public static final String PRODUCERS = "producers";
  /** Field of a delete's answer: how many buffered items it dropped. */
  public static final String DISCARDED = "discarded";
  /** Field of a list's answer: the statuses. */
  public static final String CHANNELS = "channels";
  /** Fields of a hosted channel's status beyond {@link ChannelStatus}: its settings. */
  public static final String MAX_DELIVERIES = "maxDeliveries";
  public static final String DEAD_LETTER = "deadLetter";
  /** Field of a status: {@code true} when the channel is replicated (absent otherwise). */
  public static final String REPLICATED = "replicated";

  private StatusJson() {
  }

  public static JsonObject encode(ChannelStatus status) {
    return new JsonObject()
        .put(NAME, status.name())
        .put(CAPACITY, status.unbounded() ? null : status.capacity())
        .put(SIZE, status.size())
        .put(CLOSED, status.closed())
        .put(FINISHED, status.finished())
        .put(PUTTERS, status.waitingPutters())
        .put(TAKERS, status.waitingTakers())
        .put(PUT, status.totalPut())
        .put(TAKEN, status.totalTaken())
        .put(IN_FLIGHT, status.inFlight())
        .put(REDELIVERED, status.redelivered())
        .put(DEAD_LETTERED, status.deadLettered())
        .put(PRODUCERS, status.producers());
  }

  /** A hosted channel's status: its state, and the settings it was created with. */
  public static JsonObject encode(ChannelStatus status, int maxDeliveries, String deadLetter) {
    return encode(status).put(MAX_DELIVERIES, maxDeliveries).put(DEAD_LETTER, deadLetter);
  }

  /** A {@code delete}'s answer: {@code {"name": N, "discarded": D}}. */
  public static JsonObject deleted(String name, int discarded) {
    return new JsonObject().put(NAME, name).put(DISCARDED, discarded);
  }

  /** How many items a delete dropped, from its answer. */
  public static int discarded(JsonObject deleted) {
    return deleted.getInteger(DISCARDED);
  }

  /** A {@code list}'s answer: {@code {"channels": [status, ...]}}. */
  public static JsonObject list(List<JsonObject> statuses) {
    return new JsonObject().put(CHANNELS, new JsonArray(new ArrayList<>(statuses)));
  }

  /** The statuses of a list's answer, as JSON objects ({@link #decode} each). */
  public static List<JsonObject> channels(JsonObject list) {
    return list.getJsonArray(CHANNELS).stream().map(JsonObject.class::cast).toList();
  }

  /** Whether a status says that its channel is finished (closed and drained). */
  public static boolean finished(JsonObject json) {
    return json.getBoolean(FINISHED, false);
  }

  public static ChannelStatus decode(JsonObject json) {
    Integer capacity = json.getInteger(CAPACITY);
    return new ChannelStatus(
        json.getString(NAME),
        capacity == null ? Channel.UNBOUNDED : capacity,
        json.getInteger(SIZE),
        json.getBoolean(CLOSED),
        json.getBoolean(FINISHED),
        json.getInteger(PUTTERS),
        json.getInteger(TAKERS),
        json.getLong(PUT),
        json.getLong(TAKEN),
        json.getInteger(IN_FLIGHT, 0),
        json.getLong(REDELIVERED, 0L),
        json.getLong(DEAD_LETTERED, 0L),
        json.getString(Ownership.OWNER),
        json.getLong(Ownership.EPOCH, 0L),
        json.getInteger(PRODUCERS, 0));
  }
}
