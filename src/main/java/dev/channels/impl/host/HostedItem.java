package dev.channels.impl.host;

import io.vertx.core.MultiMap;

/**
 * An item as the host buffers it: the put's body, untouched, and the headers that travel with it;
 * in a replicated channel also its key in the channel's replica.
 */
public final class HostedItem {

  /** {@link #replicaKey} of an item not (yet) in a replica. */
  public static final long NOT_REPLICATED = -1;

  private final Object body;
  private final MultiMap headers;
  private long replicaKey = NOT_REPLICATED;

  /** @param headers {@code null} when the put carried none besides action, timeout and key */
  public HostedItem(Object body, MultiMap headers) {
    this.body = body;
    this.headers = headers;
  }

  public Object body() {
    return body;
  }

  /** The headers that travel with it, or {@code null}. */
  public MultiMap headers() {
    return headers;
  }

  /** Its key in its channel's replica, given when it entered a replicated channel; {@link #NOT_REPLICATED} otherwise. */
  public long replicaKey() {
    return replicaKey;
  }

  public void replicaKey(long key) {
    this.replicaKey = key;
  }
}
