package dev.channels.host;

import dev.channels.Channel;
import dev.channels.protocol.Failure;
import dev.channels.protocol.RegistryRequest;
import dev.channels.protocol.RequestException;
import dev.channels.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of one host: creates, deletes and lists channels at {@code <address>}, and holds
 * the host-wide limits. Confined to the host verticle's context.
 */
public final class ChannelHost {

  private final Vertx vertx;
  private final HostConfig config;
  private final Map<String, HostedChannel> channels = new LinkedHashMap<>();
  /** Names whose address is still being unregistered after a delete. */
  private final Map<String, Future<Void>> unregistering = new HashMap<>();
  private long bufferedItems;
  private MessageConsumer<Object> registry;

  public ChannelHost(Vertx vertx, HostConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Registers the registry and every configured channel; completes once all are registered. */
  public Future<Void> start() {
    registry = vertx.eventBus().consumer(config.address(), this::handle);
    List<Future<?>> registrations = new ArrayList<>();
    registrations.add(registry.completion());
    config.channels().forEach((name, capacity) -> registrations.add(create(name, capacity)));
    return Future.all(registrations).mapEmpty();
  }

  /** Fails every waiter of every channel with CLOSED and unregisters all addresses. */
  public Future<Void> stop() {
    List<Future<?>> unregistrations = new ArrayList<>();
    for (HostedChannel channel : channels.values()) {
      channel.discard("is no longer served (host stopped)");
      unregistrations.add(channel.unregister());
    }
    channels.clear();
    if (registry != null) {
      unregistrations.add(registry.unregister());
    }
    return Future.join(unregistrations).mapEmpty();
  }

  Vertx vertx() {
    return vertx;
  }

  HostConfig config() {
    return config;
  }

  /** Keeps the host-wide count of buffered items; channels report every change. */
  void bufferedItemsChanged(int delta) {
    bufferedItems += delta;
  }

  /**
   * Refuses with OVERLOADED when one more buffered item would exceed the host's limit; {@code
   * unaccounted} is what the caller's turn has added so far and not yet reported.
   */
  void checkRoomForAnItem(String where, int unaccounted) {
    long held = bufferedItems + unaccounted;
    if (held >= config.maxQueuedItems()) {
      throw new RequestException(Failure.OVERLOADED, where + ": the host holds " + held
          + " buffered items (limits.maxQueuedItems " + config.maxQueuedItems() + ")");
    }
  }

  private void handle(Message<Object> message) {
    RegistryRequest request;
    try {
      request = RegistryRequest.decode(message);
    } catch (RequestException refused) {
      refused.failure().fail(message, refused.detail());
      return;
    }
    Future<JsonObject> reply = switch (request.action()) {
      case CREATE -> create(request.name(), request.capacity()).map(channel -> StatusJson.encode(channel.state().status()));
      case DELETE -> delete(request.name());
      case LIST -> Future.succeededFuture(list());
      default -> throw new IllegalStateException("not a registry action: " + request.action());
    };
    reply.onComplete(message::reply, failure -> {
      if (failure instanceof RequestException refused) {
        refused.failure().fail(message, refused.detail());
      } else {
        message.fail(500, "INTERNAL: " + failure.getMessage());
      }
    });
  }

  private Future<HostedChannel> create(String name, int capacity) {
    HostedChannel existing = channels.get(name);
    if (existing != null) {
      if (existing.capacity() != capacity) {
        return Future.failedFuture(new RequestException(Failure.CONFLICT, "channel '" + name
            + "' exists with capacity " + describe(existing.capacity()) + ", not " + describe(capacity)));
      }
      return existing.registered().map(existing);
    }
    if (channels.size() >= config.maxChannels()) {
      return Future.failedFuture(new RequestException(Failure.OVERLOADED, "cannot create channel '" + name
          + "': the host serves " + channels.size() + " channels (limits.maxChannels)"));
    }
    HostedChannel channel = new HostedChannel(this, name, capacity);
    channels.put(name, channel);
    // a deleted namesake may still be unregistering: the new address follows it, but the name is
    // taken now, so requests arriving meanwhile (a delete, a create) see the new channel
    Future<Void> previousAddress = unregistering.getOrDefault(name, Future.succeededFuture());
    return channel.register(previousAddress)
        .onFailure(failure -> channels.remove(name, channel))
        .map(channel);
  }

  private Future<JsonObject> delete(String name) {
    HostedChannel channel = channels.remove(name);
    if (channel == null) {
      return Future.failedFuture(new RequestException(Failure.NOT_FOUND, "channel '" + name + "' does not exist"));
    }
    int discarded = channel.discard("was deleted");
    Future<Void> unregistered = channel.unregister();
    unregistering.put(name, unregistered);
    return unregistered
        .onComplete(done -> unregistering.remove(name, unregistered))
        .map(done -> new JsonObject().put("name", name).put("discarded", discarded));
  }

  private JsonObject list() {
    JsonArray statuses = new JsonArray();
    channels.values().forEach(channel -> statuses.add(StatusJson.encode(channel.state().status())));
    return new JsonObject().put("channels", statuses);
  }

  private static String describe(int capacity) {
    return capacity == Channel.UNBOUNDED ? "unbounded" : String.valueOf(capacity);
  }
}
