package dev.channels.impl.client;

import dev.channels.ChannelClientOptions;
import dev.channels.ChannelTimeoutException;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Sequence;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.RequestHeaders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a client's requests: their headers as {@link RequestHeaders} writes them, a send timeout of the
 * server deadline plus the reply margin (so the host always answers first), a re-send each time
 * the host answers 408 while the operation may still wait, and the first request riding on an
 * open delivery when it may (see {@link Ride}). A channel that is not served for now is asked
 * again for a while; nobody at a channel's address is told apart from a channel that does not
 * exist by asking the registry; a registry lookup that got no answer is sent again, twice at most.
 * Failures come out as {@link RemoteFailures} maps them; what the event bus throws while sending (a
 * body it cannot encode, say) fails the request too, so no operation throws.
 */
final class Sender {

  /**
   * One operation's request.
   *
   * @param where what is addressed, for messages: {@code "channel 'jobs'"}
   * @param body the body, as {@link dev.channels.impl.protocol.ChannelRequest} or {@link
   *     dev.channels.impl.protocol.RegistryRequest} writes it (a put's item as it is)
   * @param acknowledgedTake an acknowledged take or poll ({@code ack: true}): it may ride on an open
   *     delivery from the same address
   * @param max a batch take's {@code max}; {@code 0} for anything else
   * @param known what the client knows of the channel addressed; {@code null} for the registry
   * @param key a put's idempotency key, chosen by its producer; or {@code null}
   */
  record Request(String address, String where, Action action, Object body, Wait waiting,
      boolean acknowledgedTake, int max, KnownState known, String key) {

    Request(String address, String where, Action action, Object body, Wait waiting, boolean acknowledgedTake, int max,
        KnownState known) {
      this(address, where, action, body, waiting, acknowledgedTake, max, known, null);
    }
  }

  /**
   * One request being sent: its result, its automatic idempotency key (a put's), and which attempt
   * is the current one; an earlier attempt's answer (one sent to a replicated channel's departed
   * owner, before it was sent again to the new one) changes nothing.
   */
  private static final class Sending {
    final Request request;
    final Promise<Message<Object>> result;
    final Sequence sequence;
    int attempt;

    Sending(Request request, Promise<Message<Object>> result, Sequence sequence) {
      this.request = request;
      this.result = result;
      this.sequence = sequence;
    }
  }

  private final VertxInternal vertx;
  private final EventBus bus;
  private final long replyMarginMs;
  private final long unavailableTimeoutMs;
  private final String registryAddress;
  private final RequestHeaders headers = new RequestHeaders();
  /** This Vert.x's cluster node id, sent with takes, creates and attaches; {@code null} when it is not clustered. */
  private final String nodeId;
  /** This client's id as a producer: its puts are numbered ({@link Protocol#SEQUENCE}). */
  private final String producerId = UUID.randomUUID().toString();
  private final AtomicLong puts = new AtomicLong();

  Sender(VertxInternal vertx, ChannelClientOptions options) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.replyMarginMs = options.getReplyMarginMs();
    this.unavailableTimeoutMs = options.getUnavailableTimeoutMs();
    this.registryAddress = options.getAddress();
    this.nodeId = vertx.isClustered() ? vertx.clusterManager().getNodeId() : null;
  }

  EventBus bus() {
    return bus;
  }

  /** Sends the request (again on 408, while its wait allows); completes on the caller's context with the reply. */
  Future<Message<Object>> send(Request request) {
    Promise<Message<Object>> result = vertx.getOrCreateContext().promise();
    boolean put = request.action() == Action.PUT || request.action() == Action.OFFER || request.action() == Action.PUT_ALL;
    Sending sending = new Sending(request, result, put ? new Sequence(producerId, puts.getAndIncrement()) : null);
    if (nodeId != null && request.known() != null) {
      // clustered: if the channel is lost with its owner's node, the request fails at once; if it
      // moves (a replicated channel taken over), it is sent again to the new owner
      KnownState.Watcher watcher = new KnownState.Watcher() {
        @Override
        public void lost(ChannelUnavailableException failure) {
          result.tryFail(failure);
        }

        @Override
        public void moved() {
          vertx.getOrCreateContext().runOnContext(v -> {
            if (!result.future().isComplete()) {
              attempt(sending, false);
            }
          });
        }
      };
      request.known().watch(watcher);
      result.future().onComplete(done -> request.known().forget(watcher));
    }
    attempt(sending, request.acknowledgedTake());
    return result.future();
  }

  private void attempt(Sending sending, boolean mayRide) {
    Request request = sending.request;
    Promise<Message<Object>> result = sending.result;
    int attempt = ++sending.attempt;
    long deadlineMs = request.waiting().serverDeadlineMs();
    long sendTimeoutMs = Math.max(deadlineMs, 0) + replyMarginMs;
    Message<?> delivery = null;
    Future<Message<Object>> reply;
    long sentAt = System.nanoTime();
    try {
      DeliveryOptions options = headers.options(request.action(), deadlineMs).setSendTimeout(sendTimeoutMs);
      if (request.acknowledgedTake()) {
        RequestHeaders.acknowledgedTake(options, request.max());
      }
      if (request.action() == Action.TAKE || request.action() == Action.POLL || request.action() == Action.CREATE
          || request.action() == Action.ATTACH) {
        RequestHeaders.fromNode(options, nodeId);
      }
      if (sending.sequence != null) {
        RequestHeaders.idempotent(options, request.key(), sending.sequence);
      }
      delivery = Ride.claim(bus, request.address(), mayRide);
      reply = delivery != null
          ? delivery.replyAndRequest(request.body(), options)
          : bus.request(request.address(), request.body(), options);
    } catch (RuntimeException unsent) { // a body it cannot encode, a stopped event bus: a failure like any other
      if (delivery != null) {
        acknowledgeAfterAll(delivery);
      }
      result.tryFail(notSent(unsent, request));
      return;
    }
    Message<?> claimed = delivery;
    reply.onComplete(answer -> {
      // an answer to an earlier attempt (one that reached the new owner before the channel was
      // said to have moved) is as good as the current one's; a second delivery gives its items back
      served(request);
      if (!result.tryComplete(answer) && answer.replyAddress() != null) {
        // the request failed already (the channel was reported lost), yet a delivery came: nobody
        // has its items, so they go back (a failed answer is a nack)
        answer.fail(Failure.UNAVAILABLE.code(), Failure.UNAVAILABLE.message(request.where()
            + ": the take had already failed (the channel was reported lost); its items go back"));
      }
    }, failure -> {
      if (result.future().isComplete() || attempt != sending.attempt) {
        return; // answered or failed already (the channel was lost), or sent again since (it moved)
      }
      if (RemoteFailures.isDeadline(failure) && request.waiting().resendAfterDeadline(deadlineMs)) {
        served(request);
        attempt(sending, false);
      } else if (claimed != null && (RemoteFailures.isNoHandlers(failure) || RemoteFailures.isAckExpired(failure))) {
        // the delivery's acknowledgement came too late (the host gave the item back): the request
        // riding on it was not handled, so it goes to the channel as usual
        attempt(sending, false);
      } else if (isUnavailable(request, failure)) {
        retryWhileUnavailable(sending, failure, sentAt);
      } else if (request.known() != null && RemoteFailures.isNoHandlers(failure)) {
        askRegistry(sending, failure, sentAt); // not known unavailable: lost with its owner, or not found
      } else if (isRepeatable(request) && RemoteFailures.isNoAnswer(failure) && request.waiting().retryUnanswered()) {
        attempt(sending, false); // round robin: most likely to another node's host
      } else {
        if (RemoteFailures.isAnswer(failure)) {
          served(request);
        }
        result.tryFail(RemoteFailures.of(failure, request.where(), request.address(), request.action().wireName(), sendTimeoutMs));
      }
    });
  }

  /** The channel is not served for now: the request is sent again later, while its wait and {@code unavailableTimeoutMs} allow. */
  private void retryWhileUnavailable(Sending sending, Throwable failure, long sentAt) {
    Request request = sending.request;
    Promise<Message<Object>> result = sending.result;
    request.known().sawUnavailable();
    long retryMs = request.waiting().retryWhenUnavailable(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt), unavailableTimeoutMs);
    if (retryMs >= 0) {
      int attempt = sending.attempt;
      vertx.setTimer(Math.max(1, retryMs), id -> {
        if (attempt == sending.attempt) { // not sent again meanwhile (it moved)
          attempt(sending, false);
        }
      });
    } else if (request.waiting().timedOut()) { // its own timeout passed first: a timeout, as the operation promises
      result.tryFail(new ChannelTimeoutException(Failure.TIMEOUT.message(request.where() + ": " + request.action().wireName()
          + " not possible within its timeout: the channel was not served (its host is restarting)")));
    } else {
      result.tryFail(RemoteFailures.unavailable(failure, request.where(), request.address()));
    }
  }

  /**
   * Nobody serves the channel's address, and the client did not know it unavailable: the registry
   * tells ({@link RegistryLookup}). Listed: sent again at once. Not served for now: tried again as
   * for {@code UNAVAILABLE}. In both cases the channel counts as unavailable until it is served, so
   * a second {@code NO_HANDLERS} does not ask again. Otherwise: the channel was lost with its
   * owner's node, if the client was told so, else not found.
   */
  private void askRegistry(Sending sending, Throwable nobody, long sentAt) {
    Request request = sending.request;
    RegistryLookup.ask(bus, registryAddress, request.known(), replyMarginMs).onSuccess(verdict -> {
      switch (verdict) {
        case LISTED -> {
          request.known().sawUnavailable();
          attempt(sending, false);
        }
        case NOT_SERVED_FOR_NOW -> retryWhileUnavailable(sending, nobody, sentAt);
        case NOT_FOUND -> sending.result.tryFail(RegistryLookup.notFound(request.known(), nobody, request.where(),
            request.address(), request.action().wireName()));
      }
    });
  }

  /**
   * Whether the request may be sent again after no answer came, whatever became of the first: a
   * {@code create} of a name that exists finds its channel, and a {@code list} changes nothing.
   */
  private static boolean isRepeatable(Request request) {
    return request.action() == Action.CREATE || request.action() == Action.LIST;
  }

  /**
   * Whether the channel is not served for now: its host said so, or nobody serves its address while
   * it was last seen so (its host is being restarted), rather than that it does not exist.
   */
  private static boolean isUnavailable(Request request, Throwable failure) {
    return request.known() != null && (RemoteFailures.isUnavailable(failure)
        || RemoteFailures.isNoHandlers(failure) && request.known().unavailable());
  }

  private static void served(Request request) {
    if (request.known() != null) {
      request.known().sawServed();
    }
  }

  /**
   * The request was not sent: the event bus threw (synchronously, where every other failure comes
   * as a failed reply). Names what was addressed and the action; an {@link
   * IllegalArgumentException} stays one (a body without a codec), anything else is an {@link
   * IllegalStateException}.
   */
  private static RuntimeException notSent(RuntimeException unsent, Request request) {
    String message = request.where() + ": the event bus could not send the " + request.action().wireName() + " (address '"
        + request.address() + "'): " + unsent.getMessage();
    return unsent instanceof IllegalArgumentException
        ? new IllegalArgumentException(message, unsent)
        : new IllegalStateException(message, unsent);
  }

  /**
   * The request meant to ride on {@code delivery} was not sent: it is acknowledged plainly, else
   * the host would hand its item out again although the application has it.
   */
  private static void acknowledgeAfterAll(Message<?> delivery) {
    try {
      delivery.reply(null);
    } catch (RuntimeException unsent) {
      // the event bus cannot send at all: the host gives the item back after its ack deadline
    }
  }
}
