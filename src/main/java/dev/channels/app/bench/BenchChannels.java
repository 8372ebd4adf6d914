package dev.channels.app.bench;

import dev.channels.Channel;
import io.vertx.core.Future;

/**
 * Where phases 2 to 5 get their remote channels: the one place that knows how. Both methods are
 * called on the event loop of the producer or consumer that will use the channel.
 */
interface BenchChannels {

  /** Creates the channel on the host; completes once it can be used. */
  Future<Void> create(String name, int capacity);

  /** A handle on the channel, used on the calling event loop only. */
  Channel<Number> open(String name);

  /** Non-null when the figures are not those of the real client: what they are instead. */
  String provisional();
}
