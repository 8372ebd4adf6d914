package dev.channels.app.bench;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Where phases 2 to 5 get their remote channels: the {@link ChannelClient}, as an application uses
 * it. Both methods are called on the event loop of the producer or consumer that uses the channel.
 */
final class ClientChannels {

  private final ChannelClient client;

  ClientChannels(Vertx vertx, String address) {
    // a client holds no resources and binds to no context: one serves every event loop
    this.client = ChannelClient.create(vertx, new ChannelClientOptions().setAddress(address));
  }

  /** Creates the channel on the host; completes once it can be used. */
  Future<Void> create(String name, int capacity) {
    return client.create(name, capacity).mapEmpty();
  }

  /** A replicated channel (its state in the data grid, with one synchronous backup). */
  Future<Void> createReplicated(String name, int capacity) {
    return client.create(name, new dev.channels.ChannelOptions().setCapacity(capacity).setReplicated(true)).mapEmpty();
  }

  /** A handle on the channel; its futures complete on the calling event loop. */
  Channel<Number> open(String name) {
    return client.channel(name);
  }
}
