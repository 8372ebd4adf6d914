package dev.channels.impl.core;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The idempotency keys a channel remembers: the last {@code window} keys of puts and put-alls that
 * enqueued something, each with how many items it enqueued, so that a put repeating one (a
 * producer's retry that never got its answer) is answered as the first was and enqueues nothing.
 * Keys of puts still waiting for room are held apart: a repeat of one of them is refused rather
 * than enqueued twice. The oldest key is forgotten when the window is full; a repeat of a
 * forgotten key enqueues again.
 *
 * <p>Confined to its channel's owner, like {@link ChannelState}.
 */
public final class IdempotencyKeys {

  /** How many keys a channel remembers by default. */
  public static final int DEFAULT_WINDOW = 10_000;

  /** What becomes of a remembered key: the replica's view of the window. */
  public interface Listener {
    /** {@code key} is remembered, as the {@code order}-th key this channel ever remembered. */
    void remembered(String key, int enqueued, long order);

    /** The key remembered {@code order}-th was forgotten (the window moved past it). */
    void forgotten(long order);
  }

  /** Tells nobody: the keys of a channel whose state is not replicated. */
  public static final Listener FORGETFUL = new Listener() {
    @Override
    public void remembered(String key, int enqueued, long order) {
    }

    @Override
    public void forgotten(long order) {
    }
  };

  /** The longest key accepted. */
  public static final int MAX_KEY_LENGTH = 256;

  private record Remembered(int enqueued, long order) {
  }

  /** Why {@code key} cannot be an idempotency key, or {@code null} if it can. */
  public static String invalid(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return "an idempotency key must have 1 to " + MAX_KEY_LENGTH + " characters, not "
          + (key == null ? "null" : key.isEmpty() ? "be empty" : key.length());
    }
    return null;
  }

  private final int window;
  private final Listener listener;
  private final LinkedHashMap<String, Remembered> keys = new LinkedHashMap<>();
  private final Set<String> waiting = new HashSet<>();
  private long nextOrder;

  public IdempotencyKeys(int window, Listener listener) {
    if (window < 1) {
      throw new IllegalArgumentException("the idempotency window must hold at least 1 key, not " + window);
    }
    this.window = window;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** How many items the put that first carried {@code key} enqueued, or {@code -1} if the key is not remembered. */
  public int enqueuedBy(String key) {
    Remembered remembered = keys.get(key);
    return remembered == null ? -1 : remembered.enqueued();
  }

  /** Whether a put with {@code key} is waiting for room. */
  public boolean isWaiting(String key) {
    return waiting.contains(key);
  }

  /** A put with {@code key} waits for room: a repeat of it is refused until it is done. */
  public void waiting(String key) {
    waiting.add(key);
  }

  /** The put with {@code key} that waited is done, having enqueued {@code enqueued} items (0: it failed). */
  public void done(String key, int enqueued) {
    waiting.remove(key);
    if (enqueued > 0) {
      remember(key, enqueued);
    }
  }

  /** A put or put-all with {@code key} enqueued {@code enqueued} items: remembered, the oldest key forgotten if need be. */
  public void remember(String key, int enqueued) {
    long order = nextOrder++;
    keys.put(key, new Remembered(enqueued, order));
    listener.remembered(key, enqueued, order);
    if (keys.size() > window) {
      Iterator<Map.Entry<String, Remembered>> oldest = keys.entrySet().iterator();
      long forgotten = oldest.next().getValue().order();
      oldest.remove();
      listener.forgotten(forgotten);
    }
  }

  /** Restores a key remembered by a replicated channel's former owner; in the order they were remembered, on a new window. */
  public void restore(String key, int enqueued, long order) {
    keys.put(key, new Remembered(enqueued, order));
    nextOrder = Math.max(nextOrder, order + 1);
  }

  public int size() {
    return keys.size();
  }
}
