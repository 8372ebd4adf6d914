package dev.channels.impl.host;

import dev.channels.impl.protocol.RegistryRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Which channels exist, and where they are served: the registry's side of the host. It creates and
 * deletes channels and holds the limits; the host's registry decodes a request, asks the directory,
 * and encodes its answer. {@link LocalDirectory} is today's: the channels this host serves. A
 * directory of a cluster's channels (where each is owned by one node) is another implementation;
 * the channels' operations do not change with it.
 *
 * <p>Confined to the host's context. A refusal is a failed future with a {@link
 * dev.channels.impl.protocol.RequestException}.
 */
public interface ChannelDirectory {

  /** Starts serving: the channels kept for this address, and the configured ones. */
  Future<Void> start();

  /** Stops serving, handing the channels on (see {@link LocalDirectory#stop}). */
  Future<Void> stop();

  /**
   * Creates the channel {@code request} names, or finds it if it exists with the settings the
   * request gives; completes with its status once it is served.
   */
  Future<JsonObject> create(RegistryRequest request);

  /** Deletes a channel; completes with how many buffered items it dropped once its address is gone. */
  Future<Integer> delete(String name);

  /**
   * The statuses of every channel, or, with a {@code name}, of that channel (none if it does not
   * exist). A directory that knows the channel exists but cannot reach where it is served (its
   * owner's host, restarting) refuses UNAVAILABLE.
   */
  Future<List<JsonObject>> list(String name);
}
