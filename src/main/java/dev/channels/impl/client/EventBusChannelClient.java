package dev.channels.impl.client;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
import dev.channels.ChannelStatus;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.Ownership;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link ChannelClient} over the event bus: registry requests to {@code <address>}, and {@link
 * RemoteChannel}s at {@code <address>.<name>}. Remembers, per channel name, the last state it saw,
 * shared by every {@link Channel} it made for that name, for as long as one of them is reachable
 * (see {@link #known}).
 */
public final class EventBusChannelClient implements ChannelClient {

  /**
   * How many of the names this client created lately keep their state with no channel of theirs
   * reachable: so {@code create(name, c).onSuccess(status -> client.channel(name))} knows the
   * capacity just seen, however the garbage collector runs in between.
   */
  static final int CREATED_KEPT = 256;

  private final VertxInternal vertx;
  private final ChannelClientOptions options;
  private final Sender sender;
  private final String where;
  /**
   * The state of each name that has a reachable channel, held weakly: each {@link RemoteChannel}
   * holds its name's state, so an entry whose state has been collected belongs to a name none of
   * whose channels is reachable any more, and is removed at the next lookup (when {@link
   * #collected} has it). So the map grows with the names in use, not with every name ever used.
   */
  private final Map<String, StateRef> known = new ConcurrentHashMap<>();
  private final ReferenceQueue<KnownState> collected = new ReferenceQueue<>();
  /** The states of the last {@link #CREATED_KEPT} names created, kept reachable; a ring. */
  private final AtomicReferenceArray<KnownState> createdLately = new AtomicReferenceArray<>(CREATED_KEPT);
  private final AtomicInteger nextCreated = new AtomicInteger();

  public EventBusChannelClient(Vertx vertx, ChannelClientOptions options) {
    this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
    this.options = new ChannelClientOptions(Objects.requireNonNull(options, "options"));
    this.sender = new Sender(this.vertx, this.options);
    this.where = "registry '" + this.options.getAddress() + "'";
    if (this.vertx.isClustered()) {
      // a channel lost with its owner's node: whatever waits on it fails at once
      this.vertx.eventBus().<JsonObject>consumer(Protocol.lostAddress(this.options.getAddress()), event -> {
        KnownState state = stateInUse(Ownership.lostName(event.body()));
        if (state != null) {
          Ownership was = Ownership.fromJson(event.body());
          state.sawLost("channel '" + Ownership.lostName(event.body()) + "' was lost: its owner, node " + was.owner()
              + ", left the cluster, and its items with it; create it again to go on");
        }
      });
      // a replicated channel taken over after its owner left: what waits on it is sent again there
      this.vertx.eventBus().<JsonObject>consumer(Protocol.movedAddress(this.options.getAddress()), event -> {
        KnownState state = stateInUse(Ownership.lostName(event.body()));
        if (state != null) {
          state.sawMoved();
        }
      });
    }
  }

  @Override
  public Future<ChannelStatus> create(String name, int capacity) {
    return create(name, capacity, null, null, null, null);
  }

  @Override
  public Future<ChannelStatus> create(String name, ChannelOptions options) {
    return create(name, options.getCapacity(), options.getMaxDeliveries(), options.getDeadLetter(),
        options.getReplicated(), options.getCloseWhenDetached());
  }

  private Future<ChannelStatus> create(String name, int capacity, Integer maxDeliveries, String deadLetter,
      Boolean replicated, Boolean closeWhenDetached) {
    JsonObject body = RegistryRequest.createBody(name, capacity, maxDeliveries, deadLetter, replicated, closeWhenDetached);
    return registry(Action.CREATE, body).map(reply -> {
      ChannelStatus status = StatusJson.decode((JsonObject) reply.body());
      KnownState state = knownState(status.name());
      state.saw(status);
      createdLately.set(Math.floorMod(nextCreated.getAndIncrement(), CREATED_KEPT), state);
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
    return registry(Action.DELETE, RegistryRequest.deleteBody(name)).map(reply -> {
      KnownState state = stateInUse(name);
      if (state != null) {
        state.sawFinished(); // gone: nothing can be put or taken any more
      }
      return StatusJson.discarded((JsonObject) reply.body());
    });
  }

  @Override
  public Future<List<ChannelStatus>> list() {
    return registry(Action.LIST, RegistryRequest.listBody()).map(reply -> StatusJson.channels((JsonObject) reply.body()).stream()
        .map(json -> {
          ChannelStatus status = StatusJson.decode(json);
          KnownState state = stateInUse(status.name());
          if (state != null) {
            state.saw(status);
          }
          return status;
        })
        .toList());
  }

  @Override
  public String joinedAddress(String name) {
    validName(name);
    return Protocol.joinedAddress(options.getAddress(), name);
  }

  private <T> Channel<T> channel(String name, ItemCodec<T> codec) {
    validName(name);
    return new RemoteChannel<>(vertx, sender, options, name, codec, knownState(name));
  }

  private static void validName(String name) {
    if (!Protocol.isValidName(name)) {
      throw new IllegalArgumentException("a channel name must match " + Protocol.NAME.pattern() + ", not "
          + (name == null ? "null" : "'" + name + "'"));
    }
  }

  /** How many names this client holds a state for, after forgetting the collected ones (for tests). */
  int knownNames() {
    forgetCollected();
    return known.size();
  }

  /** The state of {@code name}: the one its reachable channels share, or a new one. */
  private KnownState knownState(String name) {
    forgetCollected();
    while (true) {
      StateRef ref = known.get(name);
      KnownState state = ref == null ? null : ref.get();
      if (state != null) {
        return state;
      }
      KnownState fresh = new KnownState(name);
      StateRef freshRef = new StateRef(name, fresh, collected);
      if (ref == null ? known.putIfAbsent(name, freshRef) == null : known.replace(name, ref, freshRef)) {
        return fresh;
      }
      // another thread set the name's state meanwhile: use that one
    }
  }

  /** The state of {@code name} if some channel of it (or a recent create) still holds it; else {@code null}. */
  private KnownState stateInUse(String name) {
    forgetCollected();
    StateRef ref = name == null ? null : known.get(name);
    return ref == null ? null : ref.get();
  }

  private void forgetCollected() {
    for (Reference<? extends KnownState> ref = collected.poll(); ref != null; ref = collected.poll()) {
      StateRef gone = (StateRef) ref;
      known.remove(gone.name, gone); // unless the name has a newer state already
    }
  }

  /** A name's state, held weakly; knows its name, to be removed once collected. */
  private static final class StateRef extends WeakReference<KnownState> {

    final String name;

    StateRef(String name, KnownState state, ReferenceQueue<KnownState> queue) {
      super(state, queue);
      this.name = name;
    }
  }

  private Future<Message<Object>> registry(Action action, JsonObject body) {
    return sender.send(new Sender.Request(options.getAddress(), where, action, body, Wait.never(), false, 0, null));
  }
}
