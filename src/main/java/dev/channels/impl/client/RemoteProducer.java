package dev.channels.impl.client;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelLeaseLostException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelProducer;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.ChannelRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;

/**
 * A producer attached to a remote channel: it holds a lease at the host, renewed every third of the
 * lease time by a periodic timer on the context that attached it, until {@link #close()} detaches
 * it. A renewal the host refuses because it does not hold the lease any more ({@code 404}: it
 * expired, or the producer's node left), or that finds the channel gone, ends the producer: {@link
 * #detached()} fails {@link ChannelLeaseLostException}. A renewal that gets no answer, or finds the
 * channel unavailable for now, changes nothing: the next one may get through in time.
 */
final class RemoteProducer implements ChannelProducer {

  private final VertxInternal vertx;
  private final Sender sender;
  private final String address;
  private final String where;
  private final KnownState known;
  private final String lease;
  private final Promise<Void> detached = Promise.promise();
  private long timerId = -1;
  /** A renewal is on its way: the next tick skips. */
  private boolean renewing;
  /** The close's outcome, once closed (or the lease lost: then an already-completed close). */
  private Future<Void> closed;

  private RemoteProducer(VertxInternal vertx, Sender sender, String address, String where, KnownState known, String lease) {
    this.vertx = vertx;
    this.sender = sender;
    this.address = address;
    this.where = where;
    this.known = known;
    this.lease = lease;
  }

  /** A producer holding {@code lease}, renewed from now on, on the caller's context. */
  static RemoteProducer start(VertxInternal vertx, Sender sender, String address, String where, KnownState known,
      String lease, long leaseMs) {
    RemoteProducer producer = new RemoteProducer(vertx, sender, address, where, known, lease);
    producer.timerId = vertx.setPeriodic(Math.max(1, leaseMs / 3), id -> producer.renew());
    return producer;
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      if (closed != null) {
        return closed;
      }
      stopRenewing();
      if (detached.future().isComplete()) { // the lease was lost: nothing to detach
        closed = Future.succeededFuture();
        return closed;
      }
      closed = send(Action.DETACH).<Void>mapEmpty().onSuccess(done -> detached.tryComplete());
      return closed;
    }
  }

  @Override
  public Future<Void> detached() {
    return detached.future();
  }

  @Override
  public String toString() {
    return "RemoteProducer[" + address + ", lease " + lease + "]";
  }

  private void renew() {
    synchronized (this) {
      if (renewing || closed != null) {
        return;
      }
      renewing = true;
    }
    send(Action.RENEW).onComplete(renewed -> {
      synchronized (this) {
        renewing = false;
      }
    }, failure -> {
      synchronized (this) {
        renewing = false;
        if (closed != null || !isLost(failure)) {
          return; // closed meanwhile, or a renewal that did not get through: the next one may
        }
        stopRenewing();
      }
      detached.tryFail(new ChannelLeaseLostException(where + ": the producer's lease " + lease
          + " ended without its close, so it is detached (" + failure.getMessage() + "); attach again to go on"));
    });
  }

  /**
   * Whether a renewal's failure says the lease is gone: the host does not hold it ({@code 404}),
   * or the channel does not exist any more, or was lost with its owner's node.
   */
  private boolean isLost(Throwable failure) {
    return failure instanceof ChannelNotFoundException || failure instanceof ChannelClosedException
        || known.lostFailure() != null;
  }

  private void stopRenewing() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private Future<?> send(Action action) {
    return sender.send(new Sender.Request(address, where, action, ChannelRequest.leaseBody(lease), Wait.never(),
        false, 0, known));
  }
}
