package dev.channels.impl.host;

import dev.channels.impl.core.ChannelObserver;
import dev.channels.impl.core.ChannelOperations;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestException;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel served at {@code <address>.<name>}: decodes each request once, applies it to the
 * channel's state machine, and encodes the outcome once. All its requests arrive on the host's
 * context, one at a time, so each is applied atomically in arrival order.
 *
 * <p>A channel outlives the host that serves it when that host stops: it is parked, every item it
 * handed out given back, and the next host at the same address on the same Vert.x adopts it.
 */
final class HostedChannel {

  /** The directory serving it; another one once it is adopted (read by answers from a parked host's context). */
  private volatile LocalDirectory directory;
  private final ChannelSettings settings;
  private final ChannelState<HostedItem> state;
  private final ChannelOperations<HostedItem> operations;
  private final String address;
  private final String where;
  private final InFlight inFlight;
  private final ChannelRequests requests;
  /** Where its state is replicated, or {@code null} when it is not. */
  private final ChannelReplica replica;
  private final Idempotence idempotence;
  private final Producers producers;
  private Consumers consumers;
  private MessageConsumer<Object> consumer;
  private Future<Void> registered;
  /** While parked (unless its Vert.x was closing): what holds its address until its next host serves it. */
  private Future<ParkedAddress> parkedAddress;
  private boolean deleted;
  /** Not served for now (its host is stopping): requests are refused UNAVAILABLE. */
  private boolean suspended;
  /**
   * What the turn being handled told other waiters (and the joined event), sent once the
   * request itself has been answered, in the order told. Between turns (a deadline, a delete,
   * the host stopping) answers go out at once.
   */
  private final List<Runnable> toldAfterTheAnswer = new ArrayList<>();
  private boolean handling;
  /** The buffered items the host's count holds for this channel; brought up to date each turn. */
  private int accountedSize;

  HostedChannel(LocalDirectory directory, String name, ChannelSettings settings) {
    this.directory = directory;
    this.settings = settings;
    this.inFlight = new InFlight(this, directory.vertx(), directory.config().ackTimeoutMs());
    this.replica = settings.replicated() ? directory.replicas().open(name, settings, () -> state().status()) : null;
    ChannelObserver<HostedItem> ends = ChannelObserver.whenFinished(() -> tell(this::finished));
    this.state = new ChannelState<>(name, settings.capacity(), settings.maxDeliveries(), settings.closeWhenDetached(),
        replica == null ? ends : ChannelObserver.both(replica, ends), inFlight::deadLetter);
    this.idempotence = replica == null ? new Idempotence() : new Idempotence(replica);
    this.operations = new ChannelOperations<>(state, new HostTimers(this), new HostLimits(this));
    this.address = Protocol.channelAddress(directory.config().address(), name);
    this.where = state.details().where();
    this.consumers = new Consumers(this);
    this.producers = new Producers(this);
    this.requests = new ChannelRequests(this);
  }

  /**
   * Registers the channel's address once {@code previousAddress} (the unregistration of a deleted
   * channel of the same name, if any) is done; completes once the consumer is registered.
   */
  Future<Void> register(Future<Void> previousAddress) {
    registered = previousAddress.transform(previousGone -> {
      if (deleted) { // deleted before its address was ever registered
        return Future.succeededFuture();
      }
      consumer = directory.vertx().eventBus().consumer(address, message -> inTurn(() -> handle(message)));
      return consumer.completion();
    });
    return registered;
  }

  Future<Void> registered() {
    return registered;
  }

  ChannelSettings settings() {
    return settings;
  }

  ChannelState<HostedItem> state() {
    return state;
  }

  /** Its attached producers changed (not a renewal): a replicated channel writes them. */
  void leasesChanged() {
    if (replica != null) {
      replica.leases(producers.nodesByLease());
    }
  }

  /** What it remembers of the puts it enqueued, to enqueue none twice. */
  Idempotence idempotence() {
    return idempotence;
  }

  /**
   * Sends an answer (a reply, a failure, a push, an event): at once, or, when the channel is
   * replicated, once every change made so far is, so that nobody hears of a change a failover
   * could undo. Every answer of the channel goes out through here.
   */
  void answer(Runnable send) {
    if (replica == null) {
      send.run();
    } else {
      replica.afterReplicated(send);
    }
  }

  ChannelOperations<HostedItem> operations() {
    return operations;
  }

  LocalDirectory directory() {
    return directory;
  }

  HostConfig config() {
    return directory.config();
  }

  Vertx vertx() {
    return directory.vertx();
  }

  Consumers consumers() {
    return consumers;
  }

  /** Its attached producers and their leases; they stay with the channel when it is parked and adopted. */
  Producers producers() {
    return producers;
  }

  boolean isDeleted() {
    return deleted;
  }

  boolean isSuspended() {
    return suspended;
  }

  /** The buffered items of this channel that the directory's count does not hold yet. */
  int unaccountedItems() {
    return state.size() - accountedSize;
  }

  String where() {
    return where;
  }

  InFlight inFlight() {
    return inFlight;
  }

  /**
   * Deletes the channel: waiting puts, takes and joins fail {@code CLOSED}, buffered items are
   * dropped, in-flight ones forgotten, consumers told, no joined event is published. Returns how
   * many items were dropped.
   */
  int discard(String why) {
    if (replica != null) {
      replica.destroy();
    }
    return forget(why);
  }

  /** Ends this copy of the channel, as {@link #discard} does, without touching its replica. */
  private int forget(String why) {
    deleted = true;
    int discarded = state.discard(where + " " + why);
    inFlight.forget();
    producers.forget();
    directory.bufferedItemsChanged(-accountedSize);
    accountedSize = 0;
    consumers.deleted();
    return discarded;
  }

  /**
   * This node no longer owns the channel (a newer claim elsewhere): waiting puts, takes and joins
   * fail UNAVAILABLE and consumers are told so (they register again, with the new owner), then its
   * items are dropped as by a delete. Returns how many were dropped.
   */
  int evict(String why) {
    if (replica != null) {
      replica.detach(); // its state is the new owner's now
    }
    inTurn(() -> {
      state.failWaiters(Outcome.UNAVAILABLE, where + " " + why);
      consumers.suspended(where + " " + why);
    });
    return forget(why); // a replicated channel's state stays in the grid: it is the new owner's
  }

  /**
   * Stops serving the channel for now (its host stops): requests are refused UNAVAILABLE, waiting
   * puts, takes and joins fail so, and consumers are told; the answers to deliveries already out
   * are still taken until {@link #park}. Completes once none is awaited any more.
   */
  Future<Void> suspend() {
    suspended = true;
    inTurn(() -> {
      state.failWaiters(Outcome.UNAVAILABLE, unavailable());
      consumers.suspended(unavailable());
      producers.suspend(); // no lease ends while nobody can renew it
    });
    return inFlight.drained();
  }

  /**
   * Cluster node {@code node} left: its waiting takes are withdrawn (unanswered: nobody is there),
   * its consumers removed, and every item handed to it and not yet settled goes back, its delivery
   * counted, at once rather than at the ack deadline; its producers are detached (the last one
   * closes a channel made to close when detached).
   */
  void nodeLeft(String node) {
    inTurn(() -> {
      state.withdrawTakers(waiter -> waiter instanceof RequestWaiter<?> take && take.isFrom(node));
      consumers.nodeLeft(node);
      inFlight.nodeLeft(node);
      producers.nodeLeft(node);
    });
  }

  /** After {@link #suspend}: every item still out goes back into the channel, which waits for its next host. */
  void park() {
    inTurn(inFlight::abandonAll);
    directory.bufferedItemsChanged(-accountedSize);
    accountedSize = 0;
  }

  /**
   * After {@link #park}: unregisters the host's consumer of its address, a request still queued for
   * it refused UNAVAILABLE. With {@code holdAddress} (someone may adopt it) a {@link ParkedAddress}
   * is registered first, so the address is served throughout, by one or the other.
   */
  Future<Void> unregisterParked(boolean holdAddress) {
    if (!holdAddress) {
      return unregister(Failure.UNAVAILABLE, unavailable());
    }
    parkedAddress = ParkedAddress.hold(directory.vertx(), address, unavailable());
    return parkedAddress.transform(held -> unregister(Failure.UNAVAILABLE, unavailable()));
  }

  /**
   * A new host serves this parked channel: requests are served again once its address is
   * registered, and the parked address is released after that.
   */
  Future<Void> adopt(LocalDirectory newDirectory) {
    directory = newDirectory;
    consumers = new Consumers(this);
    suspended = false;
    inTurn(() -> { }); // brings the new host's count of buffered items up to date
    producers.resume(); // their leases start again, on the new host's timers
    Future<ParkedAddress> held = parkedAddress;
    parkedAddress = null;
    Future<Void> registering = register(Future.succeededFuture());
    return held == null ? registering : registering.eventually(() -> held.compose(ParkedAddress::release));
  }

  /** Offers again the dead letters its last host could not send; once its new host has adopted every parked channel. */
  void resumeDeadLetters() {
    inTurn(inFlight::resume);
  }

  /**
   * Unregisters the channel's address. A request that reached the host but is still queued for the
   * channel is refused with {@code failure} rather than discarded unanswered.
   */
  Future<Void> unregister(Failure failure, String detail) {
    return registered.transform(done -> consumer == null ? Future.succeededFuture()
        : Registrations.unregister(consumer, failure, detail));
  }

  /**
   * Runs one turn of the channel: {@code work} (a request, an acknowledgement), then the answers
   * it told other waiters (and what those told in turn, after them), then the host's count of
   * buffered items. Called within a turn, {@code work} is part of that turn: a send whose outcome
   * is known at once (the recipient's address is already gone) settles before the send returns.
   */
  void inTurn(Runnable work) {
    if (handling) {
      work.run();
      return;
    }
    handling = true;
    try {
      work.run();
    } finally {
      try {
        // sends, and the batches of served takes and consumers; the list grows as they tell more
        for (int i = 0; i < toldAfterTheAnswer.size(); i++) {
          toldAfterTheAnswer.get(i).run();
        }
      } finally {
        handling = false;
        toldAfterTheAnswer.clear();
        if (replica != null) {
          replica.turnEnded();
        }
        if (!deleted) {
          directory.bufferedItemsChanged(state.size() - accountedSize);
          accountedSize = state.size();
        }
      }
    }
  }

  /**
   * Answers a waiter that a turn served (or publishes the end) after that turn's own answer, in
   * the order served: the last take's item goes out before the joined event.
   */
  void tell(Runnable answer) {
    if (handling) {
      toldAfterTheAnswer.add(answer);
    } else {
      answer.run();
    }
  }


  /**
   * Takes a dead letter from another channel: handed to the oldest waiting taker or buffered, even
   * beyond the capacity or the host's limit. Returns {@code false}, taking nothing, when closed.
   */
  boolean admitDeadLetter(HostedItem item) {
    boolean[] admitted = new boolean[1];
    inTurn(() -> admitted[0] = state.admit(item) == ChannelState.Offer.ACCEPTED);
    return admitted[0];
  }

  /** Handles a request to the channel (one that rides on an answer included), refused if it is deleted or not served. */
  void handle(Message<Object> message) {
    if (deleted) { // a request that was already on its way when the address was unregistered
      Failure.CLOSED.fail(message, where + " was deleted");
      return;
    }
    if (suspended) {
      Failure.UNAVAILABLE.fail(message, unavailable());
      return;
    }
    requests.handle(message);
  }

  /**
   * Runs the handling of an answer in a turn, if the host that sent the delivery still serves the
   * channel. An answer to a parked or adopted channel's delivery (its item went back at the park)
   * must not touch the channel from the old host's context: a request riding on it is refused
   * UNAVAILABLE, to be sent again.
   */
  void onServingHost(LocalDirectory servedBy, AsyncResult<Message<Object>> answer, Runnable handling) {
    if (servedBy == directory && !servedBy.isParked()) {
      inTurn(handling);
    } else if (answer.succeeded() && answer.result().headers().contains(Protocol.ACTION)) {
      Failure.UNAVAILABLE.fail(answer.result(), unavailable());
    }
  }

  /** Why one more put, take or consumer may not wait, or {@code null} if it may ({@code limits.maxWaiters}). */
  String noRoomForAWaiter() {
    int limit = directory.config().maxWaiters();
    // a consumer counts once: waiting in the channel as a taker, or idle
    if (state.waitingPutters() + state.waitingTakers() + consumers.idle() >= limit) {
      return where + " has " + limit + " waiting puts and takes and consumers (limits.maxWaiters)";
    }
    return null;
  }

  void replyStatus(Message<Object> message) {
    JsonObject status = status();
    answer(() -> message.reply(status));
  }

  /** The status as the protocol has it: the state's, the channel's settings, and what its directory adds (a cluster's owner). */
  JsonObject status() {
    return directory.status(this);
  }

  /** The status as this channel knows it: the state's, and its settings. */
  JsonObject statusHere() {
    JsonObject status = StatusJson.encode(state.status(), settings.maxDeliveries(), settings.deadLetter());
    return settings.replicated() ? status.put(StatusJson.REPLICATED, true) : status;
  }

  /** What a request to the channel is told while its host is stopping. */
  String unavailable() {
    return where + " is not served for now (its host is stopping); try again";
  }

  private void finished() {
    consumers.ended();
    JsonObject status = status();
    answer(() -> {
      directory.vertx().eventBus().publish(Protocol.joinedAddress(directory.config().address(), state.name()), status);
      if (replica != null) {
        replica.joinPublished();
      }
    });
  }

  /** The end of a replicated channel taken over after its owner's death, which that owner did not publish. */
  void publishJoined() {
    tell(this::finished);
  }


  static RequestException refusal(Failure failure, String detail) {
    return new RequestException(failure, detail);
  }
}
