package dev.channels.impl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelOperationsTest {

  @Test
  void durationsBecomeWholeMillisecondsRoundedUpAndInvalidOnesMinusOne() {
    assertThat(ChannelOperations.toMillis(Duration.ZERO)).isZero();
    assertThat(ChannelOperations.toMillis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(ChannelOperations.toMillis(Duration.ofMillis(1500))).isEqualTo(1500);
    assertThat(ChannelOperations.toMillis(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(ChannelOperations.toMillis(Duration.ofMillis(-1))).isEqualTo(-1);
    assertThat(ChannelOperations.toMillis(null)).isEqualTo(-1);
  }
}
