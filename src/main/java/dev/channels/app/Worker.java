package dev.channels.app;

import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.Delivered;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.zip.CRC32;

/**
 * Consumes the remote channel until it ends, processing each job (a CRC of its payload) and
 * recording which ids it took. The host pushes jobs ahead of its demand and redelivers any it
 * was handed and never acknowledged.
 */
final class Worker extends VerticleBase {

  private final ChannelClientOptions client;
  private final String channelName;
  private final BitSet ids = new BitSet();
  /** The ids this worker took again without their being marked redelivered: none, ever, or an item was duplicated. */
  private long unmarkedRepeats;
  private final CRC32 checksum = new CRC32();
  private Future<Void> done;
  private long taken;

  Worker(ChannelClientOptions client, String channelName) {
    this.client = client;
    this.channelName = channelName;
  }

  /** Completes once the channel has ended and every job this worker took is processed. */
  Future<Void> done() {
    return done;
  }

  /** Read after {@link #done()} completed. */
  long taken() {
    return taken;
  }

  /** Read after {@link #done()} completed. */
  BitSet ids() {
    return ids;
  }

  @Override
  public Future<?> start() {
    done = ChannelClient.create(vertx, client).<Job>channel(channelName, Job.class).consumeDeliveries(this::process);
    return Future.succeededFuture();
  }

  /** Read after {@link #done()} completed. */
  long unmarkedRepeats() {
    return unmarkedRepeats;
  }

  private Future<Void> process(Delivered<Job> delivered) {
    Job job = delivered.item();
    checksum.update(job.payload().getBytes(StandardCharsets.UTF_8));
    if (ids.get(job.id()) && !delivered.redelivered()) {
      unmarkedRepeats++;
    }
    ids.set(job.id());
    taken++;
    return Future.succeededFuture();
  }
}
