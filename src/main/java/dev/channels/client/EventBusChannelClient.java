package dev.channels.client;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
import dev.channels.ChannelStatus;
import dev.channels.protocol.Action;
import dev.channels.protocol.Protocol;
import dev.channels.protocol.RegistryRequest;
import dev.channels.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ChannelClient} over the event bus: registry requests to {@code <address>}, and {@link
 * RemoteChannel}s at {@code <address>.<name>}. Remembers, per channel name, the last state it saw,
 * shared by every {@link Channel} it made for that name.
 */
public final class EventBusChannelClient implements ChannelClient {

  private final VertxInternal vertx;
  private final ChannelClientOptions options;
  private final Sender sender;
  private final String where;
  private final Map<String, KnownState> known = new ConcurrentHashMap<>();

  public EventBusChannelClient(Vertx vertx, ChannelClientOptions options) {
    this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
    this.options = new ChannelClientOptions(Objects.requireNonNull(options, "options"));
    this.sender = new Sender(this.vertx, this.options);
    this.where = "registry '" + this.options.getAddress() + "'";
  }

  @Override
  public Future<ChannelStatus> create(String name, int capacity) {
    return create(name, capacity, null, null);
  }

  @Override
  public Future<ChannelStatus> create(String name, ChannelOptions options) {
    return create(name, options.getCapacity(), options.getMaxDeliveries(), options.getDeadLetter());
  }

  private Future<ChannelStatus> create(String name, int capacity, Integer maxDeliveries, String deadLetter) {
    JsonObject body = new JsonObject().put(RegistryRequest.NAME, name)
        .put(RegistryRequest.CAPACITY, capacity == Channel.UNBOUNDED ? null : capacity);
    if (maxDeliveries != null) {
      body.put(RegistryRequest.MAX_DELIVERIES, maxDeliveries);
    }
    if (deadLetter != null) {
      body.put(RegistryRequest.DEAD_LETTER, deadLetter);
    }
    return registry(Action.CREATE, body).map(reply -> {
      ChannelStatus status = StatusJson.decode((JsonObject) reply.body());
      knownState(status.name()).saw(status);
      return status;
    });
  }

  @Override
  public <T> Channel<T> channel(String name) {
    return channel(name, ItemCodec.asIs());
  }

  @Override
  public <T> Channel<T> channel(String name, Class<T> type) {
    return channel(name, ItemCodec.of(Objects.requireNonNull(type, "type")));
  }

  @Override
  public Future<Integer> delete(String name) {
    return registry(Action.DELETE, new JsonObject().put("name", name)).map(reply -> {
      KnownState state = known.get(name);
      if (state != null) {
        state.sawFinished(); // gone: nothing can be put or taken any more
      }
      return ((JsonObject) reply.body()).getInteger("discarded");
    });
  }

  @Override
  public Future<List<ChannelStatus>> list() {
    return registry(Action.LIST, null).map(reply -> ((JsonObject) reply.body()).getJsonArray("channels").stream()
        .map(json -> {
          ChannelStatus status = StatusJson.decode((JsonObject) json);
          KnownState state = known.get(status.name());
          if (state != null) {
            state.saw(status);
          }
          return status;
        })
        .toList());
  }

  private <T> Channel<T> channel(String name, ItemCodec<T> codec) {
    if (!Protocol.isValidName(name)) {
      throw new IllegalArgumentException("a channel name must match " + Protocol.NAME.pattern() + ", not "
          + (name == null ? "null" : "'" + name + "'"));
    }
    return new RemoteChannel<>(vertx, sender, options, name, codec, knownState(name));
  }

  private KnownState knownState(String name) {
    return known.computeIfAbsent(name, n -> new KnownState());
  }

  private Future<Message<Object>> registry(Action action, JsonObject body) {
    return sender.send(new Sender.Request(options.getAddress(), where, action.wireName(), body, Wait.never(), Map.of(), false,
        null));
  }
}
