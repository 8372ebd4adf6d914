package dev.channels.impl.host;

import dev.channels.impl.core.ChannelOperations;

/** The host's limits, as a hosted channel's operations meet them (docs/protocol.md, "Limits"). */
record HostLimits(HostedChannel channel) implements ChannelOperations.Limits {

  @Override
  public String noRoomForAnItem() {
    return channel.directory().noRoomForAnItem(channel.where(), channel.unaccountedItems());
  }

  @Override
  public String noRoomForAWaiter() {
    return channel.noRoomForAWaiter();
  }

  @Override
  public String noRoomForAJoin() {
    int limit = channel.config().maxJoins();
    return channel.state().waitingJoiners() >= limit
        ? channel.where() + " has " + limit + " waiting joins (limits.maxJoins)" : null;
  }
}
