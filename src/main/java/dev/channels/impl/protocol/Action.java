package dev.channels.impl.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The value of a request's {@code action} header, and which address accepts it. */
public enum Action {
  CREATE(Scope.REGISTRY),
  DELETE(Scope.REGISTRY),
  LIST(Scope.REGISTRY),
  PUT(Scope.CHANNEL),
  PUT_ALL(Scope.CHANNEL),
  OFFER(Scope.CHANNEL),
  TAKE(Scope.CHANNEL),
  POLL(Scope.CHANNEL),
  CLOSE(Scope.CHANNEL),
  JOIN(Scope.CHANNEL),
  STATUS(Scope.CHANNEL),
  CONSUME(Scope.CHANNEL),
  CREDIT(Scope.CHANNEL),
  CANCEL(Scope.CHANNEL),
  ATTACH(Scope.CHANNEL),
  RENEW(Scope.CHANNEL),
  DETACH(Scope.CHANNEL);

  /** The registry address ({@code <address>}) or a channel's ({@code <address>.<name>}). */
  public enum Scope { REGISTRY, CHANNEL }

  /** {@code values()} copies its array on every call; {@link #of} runs for every request. */
  private static final Action[] ALL = values();

  private final Scope scope;
  private final String wireName;

  Action(Scope scope) {
    this.scope = scope;
    this.wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public Scope scope() {
    return scope;
  }

  /** The header value, e.g. {@code put} or {@code put-all}. */
  public String wireName() {
    return wireName;
  }

  /** The action of that name in that scope, or {@code null}. */
  public static Action of(Scope scope, String wireName) {
    for (Action action : ALL) {
      if (action.scope == scope && action.wireName.equals(wireName)) {
        return action;
      }
    }
    return null;
  }

  /** The wire names of a scope's actions, for error messages: {@code "put, offer, ..."}. */
  public static String namesIn(Scope scope) {
    return Arrays.stream(values())
        .filter(action -> action.scope == scope)
        .map(Action::wireName)
        .collect(Collectors.joining(", "));
  }
}
