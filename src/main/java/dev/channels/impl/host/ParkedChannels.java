package dev.channels.impl.host;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The channels of stopped hosts, kept in their Vert.x instance (its local shared data) until a host
 * at the same address adopts them: a host that stops is not a channel that ended. The map hands
 * them from the stopped host's context to the adopting one's, safely.
 */
final class ParkedChannels implements Shareable {

  private static final String MAP = "__vertx-channels.parked";

  private final Map<String, HostedChannel> channels;

  private ParkedChannels(Map<String, HostedChannel> channels) {
    this.channels = channels;
  }

  /** Parks a stopped host's channels under its address. */
  static void park(Vertx vertx, String address, Map<String, HostedChannel> channels) {
    if (!channels.isEmpty()) {
      map(vertx).put(address, new ParkedChannels(new LinkedHashMap<>(channels)));
    }
  }

  /** Takes the channels parked under {@code address}, by name, in the order they were created; empty if none. */
  static Map<String, HostedChannel> adopt(Vertx vertx, String address) {
    ParkedChannels parked = map(vertx).remove(address);
    return parked == null ? Map.of() : parked.channels;
  }

  private static LocalMap<String, ParkedChannels> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
