package dev.channels;

/**
 * A remote producer's lease ended without its {@link ChannelProducer#close()}: the host no longer
 * knows it (it expired before a renewal reached the host, the producer's cluster node left the
 * cluster, or the channel was deleted), so the producer is detached, and a channel made to close
 * when detached may have closed. Attach again to go on holding the channel open.
 */
public final class ChannelLeaseLostException extends ChannelException {

  public ChannelLeaseLostException(String message) {
    super(message);
  }
}
