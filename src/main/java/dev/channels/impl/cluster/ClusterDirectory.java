package dev.channels.impl.cluster;

import dev.channels.impl.host.ChannelDirectory;
import dev.channels.impl.host.ChannelHost;
import dev.channels.impl.host.HostConfig;
import dev.channels.impl.host.LocalDirectory;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Ownership;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.RequestException;
import dev.channels.impl.protocol.RequestHeaders;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The channels of a cluster: each has exactly one owner node, the only one that serves it (registers
 * its address). Ownership lives in a cluster-wide map, {@code name -> {"owner", "epoch"}}
 * ({@link Ownership}), written only with atomic operations (put-if-absent, remove-if-present), and
 * epochs come from a cluster-wide counter. What this node owns it serves with a {@link
 * LocalDirectory}; the channels' operations are the same as without a cluster.
 *
 * <ul>
 *   <li><b>create</b> on any node: if the name is not owned, it is claimed for the creator's node
 *       (the client's, if its host serves this address; else the node whose host received the
 *       create) and created there; if another live node owns it, the
 *       create goes to that node's host, which answers as for a local create (the status, or
 *       CONFLICT); an owner that left is cleared first. Concurrent creates of one name: one claim
 *       wins, the others find it.
 *   <li><b>delete</b> goes to the owner; <b>list</b> asks every node's host.
 *   <li>A node that <b>leaves</b> (Hazelcast removed the member): every host gives back at once
 *       what it handed to takers on that node; the one host that clears each of its channels'
 *       ownerships publishes that the channel was lost (clients fail their waiting requests
 *       UNAVAILABLE), once Vert.x has removed the dead node's registration of its address; the
 *       name can then be created again, anywhere, with a new epoch.
 *   <li><b>Fencing</b>: every {@value #CHECK_MS} ms and whenever a node joins (a split cluster
 *       merging), the owner checks the map: a channel it serves under an epoch that is no longer
 *       the map's is evicted at once (see docs/protocol.md, "Clusters").
 * </ul>
 *
 * <p>Confined to the host's context.
 */
public final class ClusterDirectory implements ChannelDirectory {

  private static final System.Logger LOG = System.getLogger(ClusterDirectory.class.getName());
  static final long CHECK_MS = 2_000;
  /** How long to wait for another node's host: a registry request there is quick. */
  private static final long NODE_TIMEOUT_MS = 10_000;
  private static final int CLAIM_ATTEMPTS = 5;
  /** How often, and how many times, to look whether Vert.x removed a departed node's registration: 5 s at most. */
  private static final long UNREGISTERED_POLL_MS = 50;
  private static final int UNREGISTERED_POLLS = 100;
  /**
   * How long each survivor leaves a departed owner's replicated channels to those before it (in the
   * order of their ids) before trying to take them over itself: the first tries at once, the second
   * after this, and so on (a node without a host, or one that died too, lets the next one in).
   */
  private static final long TAKEOVER_STAGGER_MS = 500;

  private final VertxInternal vertx;
  private final HostConfig config;
  private final LocalDirectory local;
  private final ClusterManager cluster;
  private final String nodeId;
  /** The channels this node serves, with the epoch of its claim. */
  private final Map<String, Long> owned = new HashMap<>();
  /** Which of {@link #owned} are replicated. */
  private final Set<String> replicated = new HashSet<>();
  /** Where replicated channels keep their state; {@code null} if the cluster is not Hazelcast's. */
  private final GridReplicas replicas;
  private AsyncMap<String, JsonObject> owners;
  private Counter epochs;
  private MessageConsumer<Object> nodeRegistry;
  private Membership membership;
  private long checkTimer = -1;
  private boolean stopping;

  public ClusterDirectory(Vertx vertx, HostConfig config) {
    this.vertx = (VertxInternal) vertx;
    this.config = config;
    this.cluster = this.vertx.clusterManager();
    this.nodeId = cluster.getNodeId();
    // configured channels are claimed like any other, once the ownership map is there
    this.local = new LocalDirectory(vertx, config.withoutChannels());
    this.replicas = GridReplicas.of(vertx, cluster, config.address());
    local.serveInCluster(this::withOwner, this::mayServe, replicas == null ? null : replicas::open);
  }

  @Override
  public Future<Void> start() {
    Context context = vertx.getOrCreateContext();
    Future<Void> configured = replicas == null ? Future.succeededFuture() : replicas.configure();
    return configured.compose(done -> vertx.sharedData().<String, JsonObject>getAsyncMap(Protocol.ownersMap(config.address())))
        .compose(map -> {
          owners = map;
          return vertx.sharedData().getCounter(Protocol.epochsCounter(config.address()));
        })
        .compose(counter -> {
          epochs = counter;
          nodeRegistry = vertx.eventBus().consumer(Protocol.nodeAddress(config.address(), nodeId),
              message -> ChannelHost.answer(message, forwarded, "registry of node " + nodeId));
          membership = Membership.watch(vertx, context, this::nodeLeft, this::checkOwnership);
          return Future.all(nodeRegistry.completion(), local.start());
        })
        .compose(started -> {
          // channels a stopped host parked here are ours again if the map still says so
          local.names().forEach(name -> owned.put(name, -1L));
          checkOwnership();
          checkTimer = vertx.setPeriodic(CHECK_MS, id -> checkOwnership());
          List<Future<?>> creates = new ArrayList<>();
          config.channels().forEach((name, settings) -> creates.add(create(new RegistryRequest(Action.CREATE, name,
              settings.capacity(), settings.maxDeliveries(), settings.deadLetter(), null, settings.replicated(),
              settings.closeWhenDetached()))));
          return Future.all(creates).mapEmpty();
        });
  }

  @Override
  public Future<Void> stop() {
    stopping = true;
    if (checkTimer >= 0) {
      vertx.cancelTimer(checkTimer);
    }
    if (membership != null) {
      membership.close();
    }
    // the channels are parked for the next host on this node, and stay this node's
    return local.stop().eventually(() -> nodeRegistry == null ? Future.succeededFuture() : nodeRegistry.unregister());
  }

  @Override
  public Future<JsonObject> create(RegistryRequest request) {
    return create(request, CLAIM_ATTEMPTS);
  }

  private Future<JsonObject> create(RegistryRequest request, int attempts) {
    String name = request.name();
    if (attempts == 0) {
      return Future.failedFuture(new RequestException(Failure.UNAVAILABLE, "cannot create channel '" + name
          + "': its ownership kept changing; try again"));
    }
    return owners.get(name).compose(json -> {
      String creator = request.node();
      if (json == null && creator != null && !creator.equals(nodeId) && isMember(creator)) {
        // placed on the creator's node, if it serves channels at this address
        RegistryRequest placed = new RegistryRequest(Action.CREATE, name, request.capacity(), request.maxDeliveries(),
            request.deadLetter(), null, request.replicated(), request.closeWhenDetached());
        return forwardCreate(creator, request, () -> create(placed, attempts - 1)); // no host there: placed here
      }
      if (json == null) {
        return nextEpoch().compose(epoch -> {
          Ownership mine = new Ownership(nodeId, epoch, Boolean.TRUE.equals(request.replicated()));
          return owners.putIfAbsent(name, mine.toJson()).compose(previous -> previous == null
              ? createHere(request, mine)
              : create(request, attempts - 1)); // another node claimed it first: find it
        });
      }
      Ownership ownership = Ownership.fromJson(json);
      if (ownership.owner().equals(nodeId)) {
        return createHere(request, ownership);
      }
      if (!isMember(ownership.owner())) { // its owner left and nobody cleared it yet
        return owners.removeIfPresent(name, json).compose(removed -> create(request, attempts - 1));
      }
      return forwardCreate(ownership.owner(), request, () -> create(request, attempts - 1)); // it stopped owning it meanwhile
    });
  }

  /** Forwards a create to {@code node}'s host; if that host refuses it UNAVAILABLE, {@code otherwise}. */
  private Future<JsonObject> forwardCreate(String node, RegistryRequest request, Supplier<Future<JsonObject>> otherwise) {
    return forward(node, Action.CREATE, RegistryRequest.createBody(request.name(), request.capacity(),
            request.maxDeliveries(), request.deadLetter(), request.replicated(), request.closeWhenDetached()))
        .map(reply -> (JsonObject) reply)
        .recover(failure -> failure instanceof RequestException refused && refused.failure() == Failure.UNAVAILABLE
            ? otherwise.get()
            : Future.failedFuture(failure));
  }

  /** Creates (or finds) a channel this node owns; a failed creation gives the claim back. */
  private Future<JsonObject> createHere(RegistryRequest request, Ownership mine) {
    String name = request.name();
    owned.put(name, mine.epoch());
    if (mine.replicated()) {
      replicated.add(name);
    }
    return local.create(request)
        .compose(status -> local.whenReplicated(name).map(status)) // a replicated channel exists once its replica does
        .onSuccess(status -> claimDeadLetter(status.getString(StatusJson.DEAD_LETTER), mine.replicated()))
        .recover(failure -> {
          if (local.serves(name)) { // it exists here, with other settings (CONFLICT)
            return Future.failedFuture(failure);
          }
          owned.remove(name, mine.epoch());
          replicated.remove(name);
          return owners.removeIfPresent(name, mine.toJson()).transform(removed -> Future.failedFuture(failure));
        });
  }

  /**
   * Claims a channel's dead-letter channel for this node, if nobody owns it yet, so that it is
   * created here on demand, beside its source. One owned by another node gets no dead letters from
   * here: they wait in their source channel (see docs/protocol.md, "Clusters").
   */
  private void claimDeadLetter(String deadLetter, boolean replicatedSource) {
    if (deadLetter == null || owned.containsKey(deadLetter)) {
      return;
    }
    nextEpoch().compose(epoch -> owners.putIfAbsent(deadLetter, new Ownership(nodeId, epoch, replicatedSource).toJson())
        .onSuccess(previous -> {
          if (previous == null) {
            owned.put(deadLetter, epoch);
            if (replicatedSource) {
              replicated.add(deadLetter);
            }
          } else if (Ownership.fromJson(previous).owner().equals(nodeId)) {
            owned.put(deadLetter, Ownership.fromJson(previous).epoch());
          } else {
            LOG.log(System.Logger.Level.WARNING, "dead-letter channel ''{0}'' is owned by node {1}, not this one ({2}):"
                + " dead letters of its source channels here wait in them", deadLetter, Ownership.fromJson(previous).owner(), nodeId);
          }
        }));
  }

  @Override
  public Future<Integer> delete(String name) {
    return owners.get(name).compose(json -> {
      Ownership ownership = json == null ? null : Ownership.fromJson(json);
      if (ownership != null && ownership.owner().equals(nodeId)) {
        return deleteHere(name);
      }
      if (ownership != null && isMember(ownership.owner())) {
        return forward(ownership.owner(), Action.DELETE, RegistryRequest.deleteBody(name))
            .map(reply -> StatusJson.discarded((JsonObject) reply));
      }
      Future<Boolean> cleared = json == null ? Future.succeededFuture(false) : owners.removeIfPresent(name, json);
      return cleared.compose(removed -> Future.failedFuture(new RequestException(Failure.NOT_FOUND, "channel '" + name
          + "' does not exist" + (json == null ? "" : " (its owner node " + ownership.owner() + " left the cluster)"))));
    });
  }

  private Future<Integer> deleteHere(String name) {
    Long epoch = owned.remove(name);
    Ownership mine = epoch == null ? null : ownership(name, epoch);
    replicated.remove(name);
    return local.delete(name).compose(discarded -> mine == null ? Future.succeededFuture(discarded)
        : owners.removeIfPresent(name, mine.toJson()).map(discarded));
  }

  /** This node's ownership of {@code name} under {@code epoch}, as the map holds it. */
  private Ownership ownership(String name, long epoch) {
    return new Ownership(nodeId, epoch, replicated.contains(name));
  }

  /**
   * Every channel of the cluster, as each node's host lists its own, with its owner; or the one
   * named, as its owner's host lists it: none if the map has no live owner for it, refused
   * UNAVAILABLE if its owner's host does not answer (one restarting, or a node just dead).
   */
  @Override
  public Future<List<JsonObject>> list(String name) {
    if (name != null) {
      return owners.get(name).compose(json -> {
        Ownership ownership = json == null ? null : Ownership.fromJson(json);
        if (ownership == null || !isMember(ownership.owner())) {
          return Future.succeededFuture(List.of());
        }
        return ownership.owner().equals(nodeId) ? local.list(name)
            : forward(ownership.owner(), Action.LIST, RegistryRequest.listBody(name))
                .map(reply -> StatusJson.channels((JsonObject) reply));
      });
    }
    List<Future<List<JsonObject>>> lists = new ArrayList<>();
    for (String node : cluster.getNodes()) {
      lists.add(node.equals(nodeId) ? local.list(null) : forward(node, Action.LIST, RegistryRequest.listBody())
          .map(reply -> StatusJson.channels((JsonObject) reply))
          .otherwise(failure -> List.of())); // a node without a host at this address, or one leaving
    }
    return Future.all(lists).map(all -> {
      List<JsonObject> statuses = new ArrayList<>();
      lists.forEach(list -> statuses.addAll(list.result()));
      return statuses;
    });
  }

  /**
   * This node's registry as the other nodes' hosts see it, at {@code <address>:node:<id>}: a create
   * forwarded to the owner or to the creator's node (created here if the name is free, else found
   * where it is), a delete of a channel this node owns, and the list of its own channels (or of the
   * one named).
   */
  private final ChannelDirectory forwarded = new ChannelDirectory() {
    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> create(RegistryRequest request) {
      return ClusterDirectory.this.create(request);
    }

    @Override
    public Future<Integer> delete(String name) {
      return deleteHere(name);
    }

    @Override
    public Future<List<JsonObject>> list(String name) {
      return local.list(name);
    }
  };

  /** Sends a registry request to another node's host; its refusal comes back as it was sent. */
  private Future<Object> forward(String node, Action action, JsonObject body) {
    return vertx.eventBus().request(Protocol.nodeAddress(config.address(), node), body,
            RequestHeaders.options(action).setSendTimeout(NODE_TIMEOUT_MS))
        .transform(reply -> {
          if (reply.succeeded()) {
            return Future.succeededFuture(reply.result().body());
          }
          if (reply.cause() instanceof ReplyException failed && failed.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return Future.failedFuture(RequestException.relayed(failed.failureCode(), failed.getMessage()));
          }
          return Future.failedFuture(new RequestException(Failure.UNAVAILABLE, "the host of node " + node
              + " did not answer the " + action.wireName() + " (" + reply.cause().getMessage() + "); try again"));
        });
  }

  /**
   * A node left: what this node's channels handed to it goes back; each of its channels is cleared
   * from the map by one surviving host, which publishes that it was lost.
   */
  private void nodeLeft(String node) {
    if (stopping) {
      return;
    }
    local.nodeLeft(node);
    long noticedAt = System.nanoTime();
    owners.entries().onSuccess(entries -> entries.forEach((name, json) -> {
      Ownership ownership = Ownership.fromJson(json);
      if (ownership.owner().equals(node) && ownership.replicated() && replicas != null) {
        unregistered(node, Protocol.channelAddress(config.address(), name), UNREGISTERED_POLLS)
            .onComplete(gone -> takeOver(name, json, ownership, noticedAt));
      } else if (ownership.owner().equals(node)) {
        unregistered(node, Protocol.channelAddress(config.address(), name), UNREGISTERED_POLLS)
            .compose(gone -> owners.removeIfPresent(name, json)).onSuccess(cleared -> {
          if (cleared) {
            LOG.log(System.Logger.Level.WARNING, "channel ''{0}'' was lost: its owner, node {1}, left the cluster"
                + " (its items went with it); it can be created again", name, node);
            vertx.eventBus().publish(Protocol.lostAddress(config.address()), ownership.lost(name));
          }
        });
      }
    }));
  }

  /**
   * A replicated channel whose owner left: the surviving nodes, in the order of their ids, each
   * {@value #TAKEOVER_STAGGER_MS} ms after the one before, try to claim it with a new epoch in place
   * of the departed owner's claim (an atomic replace: one wins, and the later ones find the claim
   * gone); the winner serves it from its replica. So the first survivor takes over at once, and all
   * of a departed node's channels (a channel and its dead-letter channel) usually go to one node.
   */
  private void takeOver(String name, JsonObject json, Ownership was, long noticedAt) {
    if (stopping) {
      return;
    }
    int place = cluster.getNodes().stream().sorted().toList().indexOf(nodeId);
    if (place <= 0) {
      claimFrom(name, json, was, noticedAt);
    } else {
      vertx.setTimer(place * TAKEOVER_STAGGER_MS, id -> claimFrom(name, json, was, noticedAt));
    }
  }

  private void claimFrom(String name, JsonObject json, Ownership was, long noticedAt) {
    if (stopping) {
      return;
    }
    nextEpoch().compose(epoch -> {
      Ownership mine = new Ownership(nodeId, epoch, true);
      return owners.replaceIfPresent(name, json, mine.toJson())
          .compose(won -> won ? serveTakenOver(name, mine, was, noticedAt) : Future.succeededFuture());
    }).onFailure(failure -> LOG.log(System.Logger.Level.ERROR,
        () -> "channel '" + name + "': taking it over from node " + was.owner() + " failed", failure));
  }

  /**
   * Serves a replicated channel this node just claimed: reads its replica, restores it, registers
   * its address, and publishes that it moved (clients send again what the departed owner never
   * answered). If its replica cannot be read, the claim is given up and the channel declared lost.
   */
  private Future<Void> serveTakenOver(String name, Ownership mine, Ownership was, long noticedAt) {
    owned.put(name, mine.epoch());
    replicated.add(name);
    return replicas.read(name)
        .compose(state -> state == null ? Future.succeededFuture()
            : local.takeOver(name, state.settings(), restoring -> {
              state.restoreInto(restoring);
              restoring.departedFrom(was.owner());
            }).map(state))
        .onSuccess(state -> {
          if (state == null) { // a dead-letter channel claimed with its source, never created: created here on demand
            return;
          }
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - noticedAt);
          LOG.log(System.Logger.Level.WARNING, "channel ''{0}'': took it over from node {1}, which left the cluster,"
              + " in {2} ms (epoch {3}): {4} items, {5} of them delivered before and to be delivered again",
              name, was.owner(), tookMs, mine.epoch(), state.items(), state.delivered());
          if (state.unaccounted() != 0) {
            LOG.log(System.Logger.Level.ERROR, "channel ''{0}'': its replica''s counts and items disagree by {1}",
                name, state.unaccounted());
          }
          vertx.eventBus().publish(Protocol.movedAddress(config.address()), mine.moved(name, was.owner()));
        })
        .recover(failure -> {
          LOG.log(System.Logger.Level.ERROR, () -> "channel '" + name + "': could not restore it from its replica;"
              + " it is lost", failure);
          owned.remove(name);
          replicated.remove(name);
          return owners.removeIfPresent(name, mine.toJson()).onSuccess(removed ->
              vertx.eventBus().publish(Protocol.lostAddress(config.address()), was.lost(name))).mapEmpty();
        })
        .mapEmpty();
  }

  /**
   * Completes once the cluster no longer lists {@code node}'s registration of {@code address}, or
   * after {@code polls} looks. Vert.x removes a departed node's registrations in its own membership
   * listener, which runs beside this directory's; until then the event bus may route a request for
   * the channel to the dead node, where it is lost and only its send timeout answers. A channel is
   * declared lost (and so may be created again, and used) only once that is over. Polled: Vert.x
   * tells no one when it is done.
   */
  private Future<Void> unregistered(String node, String address, int polls) {
    Promise<List<RegistrationInfo>> registrations = vertx.getOrCreateContext().promise(); // answered on this context
    cluster.getRegistrations(address, registrations);
    return registrations.future().otherwise(List.of()).compose(listed -> {
      if (polls == 0 || listed.stream().noneMatch(registration -> registration.nodeId().equals(node))) {
        return Future.succeededFuture();
      }
      Promise<Void> later = vertx.getOrCreateContext().promise();
      vertx.setTimer(UNREGISTERED_POLL_MS, id -> unregistered(node, address, polls - 1).onComplete(later));
      return later.future();
    });
  }

  /**
   * Fencing: every channel served here must still be this node's in the map, under the epoch it was
   * claimed with. One the map gives to another epoch is evicted at once; one missing from the map
   * (cleared by nodes that took this one for gone, in a split) is claimed again if still free.
   */
  private void checkOwnership() {
    if (stopping || owners == null) {
      return;
    }
    new HashMap<>(owned).forEach((name, epoch) -> owners.get(name).onSuccess(json -> {
      if (!owned.containsKey(name) || stopping) {
        return;
      }
      Ownership now = json == null ? null : Ownership.fromJson(json);
      if (now != null && now.owner().equals(nodeId) && (epoch < 0 || now.epoch() == epoch)) {
        owned.put(name, now.epoch());
      } else if (now == null) {
        Future<Long> epochOf = epoch >= 0 ? Future.succeededFuture(epoch) : nextEpoch();
        epochOf.compose(claimed -> owners.putIfAbsent(name, ownership(name, claimed).toJson())
            .onSuccess(previous -> {
              if (previous == null) {
                owned.put(name, claimed);
              } else {
                evict(name, Ownership.fromJson(previous));
              }
            }));
      } else {
        evict(name, now);
      }
    }));
  }

  private void evict(String name, Ownership now) {
    Long epoch = owned.remove(name);
    replicated.remove(name);
    local.evict(name, "is now owned by node " + now.owner() + " (epoch " + now.epoch() + ", this node's was " + epoch
        + "): this node stopped serving it").onSuccess(dropped -> LOG.log(System.Logger.Level.WARNING,
        "channel ''{0}'': node {1} owns it now (epoch {2}, this node''s {3}); stopped serving it here, {4} buffered items dropped",
        name, now.owner(), now.epoch(), epoch, dropped));
  }

  /** A status with its owner and epoch. */
  private JsonObject withOwner(String name, JsonObject status) {
    Long epoch = owned.get(name);
    return epoch == null ? status : new Ownership(nodeId, epoch).addTo(status);
  }

  /**
   * Whether a dead-letter channel may be created here on demand: its name is claimed for this node
   * (it is claimed with its source channel, see {@link #createHere}) and not another's.
   */
  private boolean mayServe(String name) {
    return owned.containsKey(name);
  }

  /**
   * A new epoch: the cluster-wide counter's next value. Vert.x's Hazelcast counter is a map entry;
   * a member that dies before its partitions are backed up (right after joining) can take it along,
   * and then it fails: the epoch is then taken from the clock, above every epoch this node has
   * seen, so that claims stay distinct (fencing compares the owner and the epoch of a claim).
   */
  private Future<Long> nextEpoch() {
    return epochs.incrementAndGet().recover(lost -> {
      LOG.log(System.Logger.Level.WARNING, "the cluster-wide epoch counter failed ({0}); epoch from the clock",
          lost.toString());
      long highest = owned.values().stream().mapToLong(Long::longValue).max().orElse(0);
      return Future.succeededFuture(Math.max(highest + 1, System.currentTimeMillis()));
    });
  }

  private boolean isMember(String node) {
    return cluster.getNodes().contains(node);
  }
}
