package dev.channels.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The deadlines an operation gives the host, request after request. */
class WaitTest {

  private static final long MAX = Integer.MAX_VALUE;

  @Test
  void anOperationWithoutTimeoutAsksForTheSameDeadlineForEver() {
    Wait wait = Wait.indefinitely(200);
    for (int i = 0; i < 100; i++) {
      assertThat(wait.serverDeadlineMs()).isEqualTo(200);
      assertThat(wait.resendAfterDeadline(200)).isTrue();
    }
  }

  @Test
  void anOperationWithATimeoutAsksForItOnceAndEndsAtIt() {
    Wait wait = Wait.atMost(600);
    assertThat(wait.serverDeadlineMs()).isEqualTo(600);
    assertThat(wait.resendAfterDeadline(600)).isFalse();
  }

  @Test
  void zeroMeansDoNotWaitAndIsNeverSentAgain() {
    Wait wait = Wait.atMost(0);
    assertThat(wait.serverDeadlineMs()).isZero();
    assertThat(wait.resendAfterDeadline(0)).isFalse();
  }

  @Test
  void aTimeoutBeyondTheLargestHeaderIsAskedForInParts() {
    Wait wait = Wait.atMost(2 * MAX + 5);
    assertThat(wait.serverDeadlineMs()).isEqualTo(MAX);
    assertThat(wait.resendAfterDeadline(MAX)).isTrue();
    assertThat(wait.serverDeadlineMs()).isEqualTo(MAX);
    assertThat(wait.resendAfterDeadline(MAX)).isTrue();
    assertThat(wait.serverDeadlineMs()).isEqualTo(5);
    assertThat(wait.resendAfterDeadline(5)).isFalse();
  }

  @Test
  void anOperationThatNeverWaitsHasNoDeadline() {
    assertThat(Wait.never().serverDeadlineMs()).isEqualTo(Wait.NO_DEADLINE);
    assertThat(Wait.never().resendAfterDeadline(Wait.NO_DEADLINE)).isFalse();
  }
}
