package dev.channels.app.bench;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelStatus;
import dev.channels.ChannelTimeoutException;
import dev.channels.protocol.Action;
import dev.channels.protocol.Failure;
import dev.channels.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY, until the ChannelClient lands: channels over plain protocol v1 requests, so the
 * harness runs end to end. Takes are not acknowledged; putAll is a burst of puts; take(max) is a
 * single take; stream() is a loop of takes. Figures measured with it are provisional.
 */
final class ProvisionalV1Channels implements BenchChannels {

  private final Vertx vertx;
  private final String address;

  ProvisionalV1Channels(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  @Override
  public Future<Void> create(String name, int capacity) {
    return vertx.eventBus().request(address, new JsonObject().put("name", name).put("capacity", capacity),
        action(Action.CREATE)).mapEmpty();
  }

  @Override
  public Channel<Number> open(String name) {
    return new V1Channel(vertx.eventBus(), name, Protocol.channelAddress(address, name));
  }

  @Override
  public String provisional() {
    return "phases 2-5 ran over plain protocol v1 requests, not the ChannelClient: takes are not acknowledged, "
        + "put-all is a burst of puts, take(max) takes one item, stream() is a loop of takes";
  }

  private static DeliveryOptions action(Action action) {
    return new DeliveryOptions().addHeader(Protocol.ACTION, action.wireName());
  }

  private static <T> Future<T> mapped(Future<T> request) {
    return request.recover(failure -> {
      if (failure instanceof ReplyException reply && reply.failureCode() == Failure.CLOSED.code()) {
        return Future.failedFuture(new ChannelClosedException(reply.getMessage()));
      }
      if (failure instanceof ReplyException reply && reply.failureCode() == Failure.TIMEOUT.code()) {
        return Future.failedFuture(new ChannelTimeoutException(reply.getMessage()));
      }
      return Future.failedFuture(failure);
    });
  }

  private static final class V1Channel implements Channel<Number> {

    private final EventBus bus;
    private final String name;
    private final String address;

    V1Channel(EventBus bus, String name, String address) {
      this.bus = bus;
      this.name = name;
      this.address = address;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<Void> put(Number item) {
      return mapped(bus.request(address, item, action(Action.PUT))).mapEmpty();
    }

    @Override
    public Future<Integer> putAll(List<Number> items) {
      List<Future<Void>> puts = new ArrayList<>(items.size());
      items.forEach(item -> puts.add(put(item)));
      return Future.all(puts).map(all -> items.size());
    }

    @Override
    public Future<Number> take() {
      return mapped(bus.<Number>request(address, null, action(Action.TAKE))).map(Message::body);
    }

    @Override
    public Future<List<Number>> take(int max) {
      return take().map(List::of);
    }

    @Override
    public ReadStream<Number> stream() {
      return new TakeLoop();
    }

    @Override
    public Future<Void> close() {
      return mapped(bus.request(address, null, action(Action.CLOSE))).mapEmpty();
    }

    @Override
    public Future<Void> join() {
      return mapped(bus.request(address, null, action(Action.JOIN))).mapEmpty();
    }

    @Override
    public Future<Void> put(Number item, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> offer(Number item) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Number> take(Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Number> poll() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<ChannelStatus> status() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isClosed() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isFinished() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int size() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int capacity() {
      throw new UnsupportedOperationException();
    }

    /** Takes one at a time until the channel ends; ignores demand (the bench never pauses). */
    private final class TakeLoop implements ReadStream<Number> {

      private Handler<Number> handler;
      private Handler<Void> endHandler;
      private Handler<Throwable> exceptionHandler;

      @Override
      public ReadStream<Number> handler(Handler<Number> handler) {
        this.handler = handler;
        AsyncLoop.repeat(() -> false, () -> take().onSuccess(this.handler::handle), ChannelPhase.CLOSED, ChannelPhase.TIMED_OUT)
            .onComplete(ended -> {
              if (ended.succeeded()) {
                endHandler.handle(null);
              } else {
                exceptionHandler.handle(ended.cause());
              }
            });
        return this;
      }

      @Override
      public ReadStream<Number> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
      }

      @Override
      public ReadStream<Number> endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
      }

      @Override
      public ReadStream<Number> pause() {
        return this;
      }

      @Override
      public ReadStream<Number> resume() {
        return this;
      }

      @Override
      public ReadStream<Number> fetch(long amount) {
        return this;
      }
    }
  }
}
