package dev.channels.app.bench;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The channels of phases 2 to 5, through the {@link ChannelClient}, as an application uses them. */
final class ClientChannels implements BenchChannels {

  private final ChannelClient client;

  ClientChannels(Vertx vertx, String address) {
    // a client holds no resources and binds to no context: one serves every event loop
    this.client = ChannelClient.create(vertx, new ChannelClientOptions().setAddress(address));
  }

  @Override
  public Future<Void> create(String name, int capacity) {
    return client.create(name, capacity).mapEmpty();
  }

  @Override
  public Channel<Number> open(String name) {
    return client.channel(name);
  }

  @Override
  public String provisional() {
    return null;
  }
}
