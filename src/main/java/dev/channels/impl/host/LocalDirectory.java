package dev.channels.impl.host;

import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.RequestException;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The channels this host serves, by name: the local {@link ChannelDirectory}. It creates and deletes
 * them, holds the host-wide limits (channels, buffered items), and routes dead letters to their
 * channels. Confined to the host verticle's context.
 *
 * <p>When the host stops, its channels are not ended: they stop being served (requests are refused
 * UNAVAILABLE), the answers to their deliveries are awaited up to {@code drainTimeoutMs}, what is
 * still out goes back into them, and they are parked for the next host at the same address on this
 * Vert.x ({@link ParkedChannels}).
 */
public final class LocalDirectory implements ChannelDirectory {

  private final Vertx vertx;
  private final HostConfig config;
  private final Map<String, HostedChannel> channels = new LinkedHashMap<>();
  /** What a cluster's directory adds to every status (the owner, the epoch); nothing by default. */
  private BiFunction<String, JsonObject, JsonObject> statusOf = (name, status) -> status;
  /** Whether this node may serve a dead-letter channel it does not serve yet; always, by default. */
  private Predicate<String> mayServe = name -> true;
  /** Where replicated channels keep their state; {@code null} without a cluster, which refuses them. */
  private ChannelReplica.Factory replicas;
  /** Names whose address is still being unregistered after a delete. */
  private final Map<String, Future<Void>> unregistering = new HashMap<>();
  private long bufferedItems;
  private boolean stopping;
  /** Its Vert.x is closing: nobody will adopt its channels, so there is nothing to drain for. */
  private volatile boolean vertxClosing;
  private final Closeable onVertxClose = completion -> {
    vertxClosing = true;
    completion.succeed();
  };
  /** Its channels were parked: whatever of theirs is still on its way is no longer its to handle. */
  private volatile boolean parked;

  public LocalDirectory(Vertx vertx, HostConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Adopts the channels a stopped host at this address parked, and creates every configured channel
   * that is not among them; completes once all are registered.
   */
  @Override
  public Future<Void> start() {
    ((VertxInternal) vertx).addCloseHook(onVertxClose);
    List<Future<?>> registrations = new ArrayList<>();
    Map<String, HostedChannel> parked = ParkedChannels.adopt(vertx, config.address());
    parked.forEach((name, channel) -> {
      channels.put(name, channel);
      registrations.add(channel.adopt(this));
    });
    config.channels().forEach((name, settings) -> {
      if (!channels.containsKey(name)) {
        registrations.add(create(name, settings, false));
      }
    });
    // only once every channel is this host's: a dead letter may be for one adopted or configured later
    parked.values().forEach(HostedChannel::resumeDeadLetters);
    return Future.all(registrations).mapEmpty();
  }

  /**
   * Stops serving: every channel refuses requests UNAVAILABLE and fails its waiters so, the host
   * waits for the answers to the deliveries out (at most {@code drainTimeoutMs}; not at all when
   * its Vert.x is closing, with nobody to adopt the channels), gives back what is still out, and
   * parks the channels for the next host: each address is held by a {@link ParkedAddress} (refusing
   * UNAVAILABLE) before the host's consumer is unregistered, unless its Vert.x is closing.
   */
  @Override
  public Future<Void> stop() {
    stopping = true;
    ((VertxInternal) vertx).removeCloseHook(onVertxClose);
    List<HostedChannel> served = new ArrayList<>(channels.values());
    List<Future<?>> drains = new ArrayList<>();
    served.forEach(channel -> drains.add(channel.suspend()));
    Promise<Void> drained = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, vertxClosing ? 1 : config.drainTimeoutMs()), id -> drained.tryComplete());
    Future.join(drains).onComplete(all -> drained.tryComplete());
    return drained.future().compose(v -> {
      vertx.cancelTimer(timer);
      List<Future<?>> unregistrations = new ArrayList<>();
      for (HostedChannel channel : served) {
        channel.park();
        unregistrations.add(channel.unregisterParked(!vertxClosing));
      }
      parked = true;
      ParkedChannels.park(vertx, config.address(), channels);
      channels.clear();
      return Future.join(unregistrations).mapEmpty();
    });
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * For a cluster's directory: {@code statusOf} adds to every status what the cluster knows of the
   * channel (its owner and epoch); {@code mayServe} says whether a dead-letter channel this host
   * does not serve yet may be created here (it is not owned by another node).
   */
  public void serveInCluster(BiFunction<String, JsonObject, JsonObject> statusOf, Predicate<String> mayServe,
      ChannelReplica.Factory replicas) {
    this.statusOf = statusOf;
    this.mayServe = mayServe;
    this.replicas = replicas;
  }

  ChannelReplica.Factory replicas() {
    return replicas;
  }

  /**
   * Serves a replicated channel taken over after its owner's death, restored from its replica by
   * {@code restore} (its items, flags and counts, its idempotency keys), as its new owner; completes
   * once its address is registered. A finished channel whose end its old owner did not publish
   * publishes it now; dead letters that were on their way go on.
   */
  public Future<Void> takeOver(String name, ChannelSettings settings, java.util.function.Consumer<Restoring> restore) {
    HostedChannel existing = channels.remove(name);
    if (existing != null) { // a stale copy (this node owned it before, under an older epoch)
      existing.evict("was taken over again");
    }
    HostedChannel channel = new HostedChannel(this, name, settings);
    Restoring restoring = new Restoring(channel);
    restore.accept(restoring);
    channels.put(name, channel);
    return channel.register(unregistering.getOrDefault(name, Future.succeededFuture()))
        .onSuccess(registered -> restoring.resume());
  }

  /** The status of a channel as the protocol has it, with what the directory adds. */
  JsonObject status(HostedChannel channel) {
    return statusOf.apply(channel.state().name(), channel.statusHere());
  }

  /** Whether this host serves the channel {@code name}. */
  public boolean serves(String name) {
    return channels.containsKey(name);
  }

  /** The names of the channels this host serves, in the order created. */
  public List<String> names() {
    return new ArrayList<>(channels.keySet());
  }

  /**
   * Cluster node {@code node} left: every channel gives back at once what it handed to takers and
   * consumers on that node (see {@link HostedChannel#nodeLeft}).
   */
  public void nodeLeft(String node) {
    new ArrayList<>(channels.values()).forEach(channel -> channel.nodeLeft(node));
  }

  /**
   * Stops serving the channel {@code name} at once: another node owns it now (a newer epoch). Its
   * waiters and requests are refused UNAVAILABLE, its address goes, and its items, which this node
   * may no longer hand out, are dropped; returns how many (logged by the caller).
   */
  public Future<Integer> evict(String name, String why) {
    HostedChannel channel = channels.remove(name);
    if (channel == null) {
      return Future.succeededFuture(0);
    }
    int dropped = channel.evict(why);
    return channel.unregister(Failure.UNAVAILABLE, channel.where() + " " + why).map(dropped);
  }

  /**
   * Completes once the channel {@code name} has replicated every change it made so far (at once if
   * it is not replicated, or not here).
   */
  public Future<Void> whenReplicated(String name) {
    HostedChannel channel = channels.get(name);
    if (channel == null) {
      return Future.succeededFuture();
    }
    Promise<Void> replicated = Promise.promise();
    channel.answer(replicated::complete);
    return replicated.future();
  }

  /** Whether this host stopped and parked its channels. */
  boolean isParked() {
    return parked;
  }

  HostConfig config() {
    return config;
  }

  /** Keeps the host-wide count of buffered items; channels report every change. */
  void bufferedItemsChanged(int delta) {
    bufferedItems += delta;
  }

  /**
   * Why one more buffered item would exceed the host's limit, or {@code null} if it would not;
   * {@code unaccounted} is what the caller's turn has added so far and not yet reported.
   */
  String noRoomForAnItem(String where, int unaccounted) {
    long held = bufferedItems + unaccounted;
    if (held >= config.maxQueuedItems()) {
      return where + ": the host holds " + held + " buffered items (limits.maxQueuedItems " + config.maxQueuedItems() + ")";
    }
    return null;
  }

  /**
   * Puts a dead letter into the channel {@code name} of this host, creating it (unbounded, past
   * {@code limits.maxChannels} if need be: a dead letter is never dropped) if it does not exist.
   * Returns the channel that took it, or {@code null}, putting nothing, if that channel is closed or
   * the host is stopping.
   */
  HostedChannel deadLetter(String name, HostedItem item, boolean replicated) {
    HostedChannel channel = channels.get(name);
    if (channel == null) {
      if (stopping || !mayServe.test(name)) {
        return null;
      }
      channel = register(name, ChannelSettings.deadLetterChannel(name, replicated));
    }
    return channel.admitDeadLetter(item) ? channel : null;
  }

  @Override
  public Future<JsonObject> create(RegistryRequest request) {
    return createChannel(request).map(this::status);
  }

  private Future<HostedChannel> createChannel(RegistryRequest request) {
    HostedChannel existing = channels.get(request.name());
    if (existing != null) {
      String conflict = existing.settings().conflictWith(request.capacity(), request.maxDeliveries(), request.deadLetter(),
          request.replicated(), request.closeWhenDetached());
      if (conflict != null) {
        return Future.failedFuture(new RequestException(Failure.CONFLICT, "channel '" + request.name()
            + "' exists with " + conflict));
      }
      return existing.registered().map(existing);
    }
    return create(request.name(), ChannelSettings.of(request.name(), request.capacity(), request.maxDeliveries(),
        request.deadLetter(), request.replicated(), request.closeWhenDetached(), config), true);
  }

  private Future<HostedChannel> create(String name, ChannelSettings settings, boolean limited) {
    if (settings.replicated() && replicas == null) {
      return Future.failedFuture(new RequestException(Failure.BAD_REQUEST, "cannot create channel '" + name
          + "' replicated: this host is not in a cluster (a replicated channel keeps its state in the cluster's data grid)"));
    }
    if (limited && channels.size() >= config.maxChannels()) {
      return Future.failedFuture(new RequestException(Failure.OVERLOADED, "cannot create channel '" + name
          + "': the host serves " + channels.size() + " channels (limits.maxChannels)"));
    }
    HostedChannel channel = register(name, settings);
    return channel.registered()
        .onFailure(failure -> channels.remove(name, channel))
        .map(channel);
  }

  /** Takes the name for a new channel now, and registers its address. */
  private HostedChannel register(String name, ChannelSettings settings) {
    HostedChannel channel = new HostedChannel(this, name, settings);
    channels.put(name, channel);
    // a deleted namesake may still be unregistering: the new address follows it, but the name is
    // taken now, so requests arriving meanwhile (a delete, a create) see the new channel
    channel.register(unregistering.getOrDefault(name, Future.succeededFuture()));
    return channel;
  }

  @Override
  public Future<Integer> delete(String name) {
    HostedChannel channel = channels.remove(name);
    if (channel == null) {
      return Future.failedFuture(new RequestException(Failure.NOT_FOUND, "channel '" + name + "' does not exist"));
    }
    int discarded = channel.discard("was deleted");
    Future<Void> unregistered = channel.unregister(Failure.CLOSED, channel.where() + " was deleted");
    unregistering.put(name, unregistered);
    return unregistered
        .onComplete(done -> unregistering.remove(name, unregistered))
        .map(discarded);
  }

  @Override
  public Future<List<JsonObject>> list(String name) {
    if (name != null) {
      HostedChannel channel = channels.get(name);
      return Future.succeededFuture(channel == null ? List.of() : List.of(status(channel)));
    }
    return Future.succeededFuture(channels.values().stream().map(this::status).toList());
  }
}
