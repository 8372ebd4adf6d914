package dev.channels.impl.core;

/**
 * Sees every change of one channel's state, as the state machine makes it: the one place where a
 * change can be observed (metrics) or mirrored (replication) without touching the operations.
 * Called on the owner's thread, after the change and before anybody is told of it ({@link
 * #finished} once the joiners have been told); must not call back into the channel. Every method
 * does nothing by default.
 *
 * @param <E> the item type
 */
public interface ChannelObserver<E> {

  /** Observes nothing. */
  @SuppressWarnings("rawtypes")
  ChannelObserver NONE = new ChannelObserver() { };

  @SuppressWarnings("unchecked")
  static <E> ChannelObserver<E> none() {
    return NONE;
  }

  /** Sees only the finish, and runs {@code finished} then. */
  static <E> ChannelObserver<E> whenFinished(Runnable finished) {
    return new ChannelObserver<>() {
      @Override
      public void finished() {
        finished.run();
      }
    };
  }

  /** Sees what {@code first} sees, then what {@code second} sees. */
  static <E> ChannelObserver<E> both(ChannelObserver<E> first, ChannelObserver<E> second) {
    return new ChannelObserver<>() {
      @Override
      public void put(E item) {
        first.put(item);
        second.put(item);
      }

      @Override
      public void taken(E item) {
        first.taken(item);
        second.taken(item);
      }

      @Override
      public void handedOut(Delivery<E> delivery) {
        first.handedOut(delivery);
        second.handedOut(delivery);
      }

      @Override
      public void acknowledged(Delivery<E> delivery) {
        first.acknowledged(delivery);
        second.acknowledged(delivery);
      }

      @Override
      public void givenBack(Delivery<E> delivery, ChannelState.Returned how) {
        first.givenBack(delivery, how);
        second.givenBack(delivery, how);
      }

      @Override
      public void deadLettering(Delivery<E> delivery) {
        first.deadLettering(delivery);
        second.deadLettering(delivery);
      }

      @Override
      public void deadLettered(Delivery<E> delivery) {
        first.deadLettered(delivery);
        second.deadLettered(delivery);
      }

      @Override
      public void closed() {
        first.closed();
        second.closed();
      }

      @Override
      public void finished() {
        first.finished();
        second.finished();
      }

      @Override
      public void discarded(int dropped) {
        first.discarded(dropped);
        second.discarded(dropped);
      }

      @Override
      public void producersChanged(int producers) {
        first.producersChanged(producers);
        second.producersChanged(producers);
      }
    };
  }

  /** An item entered the channel (buffered, or handed straight to a taker: {@link #handedOut} follows). */
  default void put(E item) {
  }

  /** An item never handed out before was taken by a plain take, at once. */
  default void taken(E item) {
  }

  /** An item was handed out: in flight if its taker acknowledges, else taken (a plain take of a returned item). */
  default void handedOut(Delivery<E> delivery) {
  }

  /** An item handed out was acknowledged: taken. */
  default void acknowledged(Delivery<E> delivery) {
  }

  /** An item handed out came back to the channel (nacked, released, expired, abandoned), or is held back by a delay. */
  default void givenBack(Delivery<E> delivery, ChannelState.Returned how) {
  }

  /** An item left for the dead-letter channel (and is in it once {@link #deadLettered} is seen). */
  default void deadLettering(Delivery<E> delivery) {
  }

  /** An item is in the dead-letter channel. */
  default void deadLettered(Delivery<E> delivery) {
  }

  /** A producer attached or detached: {@code producers} are attached now. */
  default void producersChanged(int producers) {
  }

  /** The channel was closed. */
  default void closed() {
  }

  /**
   * The channel finished: closed, drained, nothing in flight; called once, after the joiners were
   * told (an owner tells the world after them: the host publishes its joined event).
   */
  default void finished() {
  }

  /** The channel was discarded (deleted): its items dropped or forgotten. */
  default void discarded(int dropped) {
  }
}
