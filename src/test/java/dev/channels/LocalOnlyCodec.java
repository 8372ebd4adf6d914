package dev.channels;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** A codec for sending a type within one Vert.x: handed over as it is, never encoded. */
public final class LocalOnlyCodec<T> implements MessageCodec<T, T> {

  private final String name;

  public LocalOnlyCodec(String name) {
    this.name = name;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
