package dev.channels.impl.protocol;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The status object of protocol v1. */
public final class StatusJson {

  public static final String NAME = "name";
  /** Field of a delete's answer: how many buffered items it dropped. */
  public static final String DISCARDED = "discarded";
  /** Field of a list's answer: the statuses. */
  public static final String CHANNELS = "channels";
  /** Fields of a hosted channel's status beyond {@link ChannelStatus}: its settings. */
  public static final String MAX_DELIVERIES = "maxDeliveries";
  public static final String DEAD_LETTER = "deadLetter";

  private StatusJson() {
  }

  public static JsonObject encode(ChannelStatus status) {
    return new JsonObject()
        .put("name", status.name())
        .put("capacity", status.unbounded() ? null : status.capacity())
        .put("size", status.size())
        .put("closed", status.closed())
        .put("finished", status.finished())
        .put("putters", status.waitingPutters())
        .put("takers", status.waitingTakers())
        .put("put", status.totalPut())
        .put("taken", status.totalTaken())
        .put("inFlight", status.inFlight())
        .put("redelivered", status.redelivered())
        .put("deadLettered", status.deadLettered());
  }

  /** A hosted channel's status: its state, and the settings it was created with. */
  public static JsonObject encode(ChannelStatus status, int maxDeliveries, String deadLetter) {
    return encode(status).put(MAX_DELIVERIES, maxDeliveries).put(DEAD_LETTER, deadLetter);
  }

  /** A {@code delete}'s answer: {@code {"name": N, "discarded": D}}. */
  public static JsonObject deleted(String name, int discarded) {
    return new JsonObject().put(NAME, name).put(DISCARDED, discarded);
  }

  /** A {@code list}'s answer: {@code {"channels": [status, ...]}}. */
  public static JsonObject list(List<JsonObject> statuses) {
    return new JsonObject().put(CHANNELS, new JsonArray(new ArrayList<>(statuses)));
  }

  public static ChannelStatus decode(JsonObject json) {
    Integer capacity = json.getInteger("capacity");
    return new ChannelStatus(
        json.getString("name"),
        capacity == null ? Channel.UNBOUNDED : capacity,
        json.getInteger("size"),
        json.getBoolean("closed"),
        json.getBoolean("finished"),
        json.getInteger("putters"),
        json.getInteger("takers"),
        json.getLong("put"),
        json.getLong("taken"),
        json.getInteger("inFlight", 0),
        json.getLong("redelivered", 0L),
        json.getLong("deadLettered", 0L));
  }
}
