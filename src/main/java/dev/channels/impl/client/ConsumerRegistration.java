package dev.channels.impl.client;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestHeaders;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The life of a streaming consumer at its host (docs/protocol.md, "Streaming consumers"): its
 * private address, its registration ({@code consume}), registering again after the host expired it
 * or while its host restarts, and {@code cancel}. What arrives at the address goes to the {@link
 * Stream}: pushes, and what the events mean for it.
 *
 * <p>Confined to the stream's context.
 */
final class ConsumerRegistration {

  /** What the registration tells its stream. */
  interface Stream {
    /** A push of items arrived (a request: answer it). */
    void pushed(Message<Object> push);

    /**
     * A {@code consume} is about to be sent: the host forgets whatever credit it had; returns the
     * credit to register with.
     */
    long registering();

    /** The host answered the registration: credit can be granted on its own from now on. */
    void registered();

    /** The host took back every unanswered push and removed the consumer; it registers again. */
    void expired();

    /** The channel finished: nothing more will come. */
    void ended();

    /** Consuming cannot go on: the channel was deleted, does not exist, or stayed unavailable too long. */
    void failed(Throwable cause);
  }

  private enum State {
    NEW,
    /** A {@code consume} is on its way. */
    REGISTERING,
    REGISTERED,
    /** Waiting to send {@code consume} again: the host is not serving the channel for now. */
    WAITING,
    /** A {@code cancel} is on its way; the private address stays until it is answered. */
    CANCELLING,
    /** Cancelled, ended or failed: nothing more. */
    DONE
  }

  private final ContextInternal context;
  /** The registry's address: asked whether the channel exists when nobody serves its address. */
  private final String registryAddress;
  private final String channelAddress;
  private final String where;
  private final KnownState known;
  private final long requestTimeoutMs;
  private final long unavailableTimeoutMs;
  private final Stream stream;
  private final String address = "__vertx-channels.consumer." + UUID.randomUUID();
  private final Closeable onClose;
  private MessageConsumer<Object> consumer;
  private State state = State.NEW;
  /** Stopped while its {@code consume} was on its way: cancel once it is answered. */
  private boolean cancelWhenRegistered;
  /** Backs off the registrations sent while the host is not serving the channel. */
  private Wait unavailable;
  private long retryTimer = -1;
  /** Completes once the host took the cancel and the private address is gone. */
  private Future<Void> cancelled;
  /**
   * Clustered: fails the stream at once when the channel is lost with its owner's node, and
   * registers again with the new owner when a replicated channel is taken over (the old owner's
   * pushes that were not answered are delivered again there).
   */
  private final KnownState.Watcher watcher = new KnownState.Watcher() {
    @Override
    public void lost(ChannelUnavailableException failure) {
      runOnContext(() -> {
        if (state != State.DONE && state != State.CANCELLING) {
          failed(failure);
        }
      });
    }

    @Override
    public void moved() {
      runOnContext(() -> {
        if (state == State.REGISTERED || state == State.REGISTERING) {
          afterMove = true;
          register();
        }
      });
    }
  };
  /**
   * Registering again because the channel moved: the new owner may know this consumer already
   * (the registration before reached it), and then refuses this one CONFLICT, which means registered.
   */
  private boolean afterMove;
  /** Counts the registrations sent: the answer to one superseded by the next is ignored. */
  private int registrations;

  /**
   * @param onClose run when the context it lives on closes (its verticle is undeployed); the
   *     context waits for it
   * @param requestTimeoutMs how long to wait for the host's answer to consume, credit and cancel
   * @param unavailableTimeoutMs how long to go on registering while the host is not serving the channel
   */
  ConsumerRegistration(ContextInternal context, String registryAddress, String channelAddress, String channelName,
      KnownState known, long requestTimeoutMs, long unavailableTimeoutMs, Stream stream, Supplier<Future<Void>> onClose) {
    this.context = context;
    this.registryAddress = registryAddress;
    this.channelAddress = channelAddress;
    this.where = "channel '" + channelName + "'";
    this.known = known;
    this.requestTimeoutMs = requestTimeoutMs;
    this.unavailableTimeoutMs = unavailableTimeoutMs;
    this.stream = stream;
    this.onClose = completion -> onClose.get().onComplete(done -> completion.succeed());
  }

  /** The private address the host pushes to. */
  String address() {
    return address;
  }

  boolean isStarted() {
    return state != State.NEW;
  }

  /** Registers the private address, then the consumer with the host. */
  void start() {
    if (state != State.NEW) {
      return;
    }
    state = State.REGISTERING;
    consumer = context.owner().eventBus().consumer(address, this::received);
    if (consumer instanceof Closeable closedWithTheVerticle) {
      // Vert.x unregisters a verticle's consumers when it is undeployed, in no particular order
      // with our own close hook: a push on its way would then find nobody, and the host would take
      // back pushes whose answers are on their way too. The address is ours to unregister, once the
      // host took the cancel.
      context.removeCloseHook(closedWithTheVerticle);
    }
    context.addCloseHook(onClose);
    known.watch(watcher);
    consumer.completion().onComplete(registered -> register(), this::failed);
  }

  /** Grants the host {@code credit} more, on its own (the answers to pushes carry credit too). */
  void grant(long credit) {
    if (state == State.REGISTERED) {
      request(Action.CREDIT, ChannelRequest.creditBody(address, credit));
    }
  }

  /** Whether the host knows this consumer: its credit requests and answers reach it. */
  boolean isRegistered() {
    return state == State.REGISTERED;
  }

  /**
   * Stops consuming: cancels at the host (now, or once its registration is answered), which gives
   * back what it pushed and was not answered, and unregisters the private address.
   */
  Future<Void> cancel() {
    switch (state) {
      case REGISTERED -> {
        // the private address stays until the host has taken the cancel: a push it sends meanwhile
        // is given back by the stream, rather than found gone (which would take back pushes whose
        // answers are on their way)
        state = State.CANCELLING;
        cancelled = request(Action.CANCEL, ChannelRequest.cancelBody(address)).transform(answered -> done());
        return cancelled;
      }
      case REGISTERING -> {
        cancelWhenRegistered = true;
        return Future.succeededFuture(); // as above, until the registration is answered
      }
      case CANCELLING -> {
        return cancelled;
      }
      default -> {
        return done();
      }
    }
  }

  /** The channel ended or failed, or the host took the cancel: unregisters the private address. */
  Future<Void> done() {
    state = State.DONE;
    if (retryTimer >= 0) {
      context.owner().cancelTimer(retryTimer);
      retryTimer = -1;
    }
    context.removeCloseHook(onClose);
    known.forget(watcher);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void register() {
    if (state == State.DONE || state == State.CANCELLING) {
      return;
    }
    state = State.REGISTERING;
    long credit = stream.registering();
    long sentAt = System.nanoTime();
    int registration = ++registrations;
    request(Action.CONSUME, ChannelRequest.consumeBody(address, credit)).onComplete(reply -> {
      if (registration != registrations) {
        return; // sent again since (to a replicated channel's new owner)
      }
      afterMove = false;
      known.sawServed();
      unavailable = null;
      if (cancelWhenRegistered) {
        state = State.REGISTERED;
        cancel();
      } else if (state == State.REGISTERING) {
        state = State.REGISTERED;
        if (StatusJson.finished((JsonObject) reply.body())) {
          ended();
        } else {
          stream.registered();
        }
      }
    }, failure -> {
      if (state != State.REGISTERING || registration != registrations) {
        return;
      }
      if (afterMove && RemoteFailures.isConflict(failure)) {
        afterMove = false;
        state = State.REGISTERED;
        stream.registered();
        return;
      }
      if (RemoteFailures.isUnavailable(failure) || RemoteFailures.isNoHandlers(failure) && known.unavailable()) {
        known.sawUnavailable();
        waitThenRegister(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt), failure);
      } else if (RemoteFailures.isNoHandlers(failure)) {
        askRegistry(registration, failure, sentAt);
      } else {
        failed(RemoteFailures.of(failure, where, channelAddress, Action.CONSUME.wireName(), requestTimeoutMs));
      }
    });
  }

  /**
   * Nobody serves the channel's address, and the client did not know it unavailable (its host
   * restarted between this client's requests): the registry tells ({@link RegistryLookup}). Listed,
   * or not served for now: registers again, as for {@code UNAVAILABLE}. Otherwise: lost with its
   * owner's node, if the client was told so, else not found.
   */
  private void askRegistry(int registration, Throwable nobody, long sentAt) {
    RegistryLookup.ask(context.owner().eventBus(), registryAddress, known, requestTimeoutMs).onSuccess(verdict -> {
      if (state != State.REGISTERING || registration != registrations) {
        return;
      }
      if (verdict == RegistryLookup.Verdict.NOT_FOUND) {
        failed(RegistryLookup.notFound(known, nobody, where, channelAddress, Action.CONSUME.wireName()));
      } else {
        known.sawUnavailable();
        waitThenRegister(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt), nobody);
      }
    });
  }

  /** The host is not serving the channel for now: registers again after a while, or gives up. */
  private void waitThenRegister(long elapsedMs, Throwable failure) {
    if (cancelWhenRegistered) {
      done();
      return;
    }
    if (unavailable == null) {
      unavailable = Wait.indefinitely(0);
    }
    long retryMs = unavailable.retryWhenUnavailable(elapsedMs, unavailableTimeoutMs);
    if (retryMs < 0) {
      failed(RemoteFailures.unavailable(failure, where, channelAddress));
      return;
    }
    state = State.WAITING;
    retryTimer = context.owner().setTimer(Math.max(1, retryMs), id -> {
      retryTimer = -1;
      register();
    });
  }

  private void received(Message<Object> message) {
    if (message.replyAddress() != null) { // a push is a request; an item may carry an 'event' header
      stream.pushed(message);
      return;
    }
    if (state == State.DONE || state == State.CANCELLING) {
      return;
    }
    String event = message.headers().get(Protocol.EVENT);
    if (Protocol.EVENT_END.equals(event)) {
      ended();
    } else if (Protocol.EVENT_EXPIRED.equals(event)) {
      stream.expired();
      if (state == State.REGISTERED) {
        register();
      }
    } else if (Protocol.EVENT_UNAVAILABLE.equals(event)) {
      known.sawUnavailable();
      if (state == State.REGISTERED) {
        waitThenRegister(0, null);
      }
    } else if (Protocol.EVENT_DELETED.equals(event)) {
      failed(new ChannelClosedException(where + " was deleted"));
    }
  }

  private void ended() {
    done();
    stream.ended();
  }

  private void failed(Throwable cause) {
    done();
    stream.failed(cause);
  }

  private Future<Message<Object>> request(Action action, JsonObject body) {
    return context.owner().eventBus().request(channelAddress, body,
        RequestHeaders.fromNode(RequestHeaders.options(action), action == Action.CONSUME ? nodeId() : null)
            .setSendTimeout(requestTimeoutMs));
  }

  /** This Vert.x's cluster node id, or {@code null} when it is not clustered. */
  private String nodeId() {
    return context.owner().isClustered() ? context.owner().clusterManager().getNodeId() : null;
  }

  private void runOnContext(Runnable action) {
    context.runOnContext(v -> action.run());
  }
}
