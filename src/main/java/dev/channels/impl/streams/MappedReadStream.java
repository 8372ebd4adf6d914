package dev.channels.impl.streams;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link ReadStream} of another's items, each mapped as it is handed to the handler: demand, end
 * and failures are the other stream's.
 *
 * @param <A> what the other stream delivers
 * @param <B> what this one delivers
 */
public final class MappedReadStream<A, B> implements ReadStream<B> {

  private final ReadStream<A> source;
  private final Function<? super A, ? extends B> map;

  public MappedReadStream(ReadStream<A> source, Function<? super A, ? extends B> map) {
    this.source = Objects.requireNonNull(source, "source");
    this.map = Objects.requireNonNull(map, "map");
  }

  @Override
  public ReadStream<B> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<B> handler(Handler<B> handler) {
    source.handler(handler == null ? null : item -> handler.handle(map.apply(item)));
    return this;
  }

  @Override
  public ReadStream<B> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<B> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<B> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<B> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
