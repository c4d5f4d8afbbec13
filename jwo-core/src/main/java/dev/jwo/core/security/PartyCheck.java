package dev.jwo.core.security;

import dev.jwo.core.Credential;

/**
 * Says whether a request concerns only one party: the check behind a {@link PermissionTable} entry that lets a
 * shopper's app call a method for its own party. It must not throw; what it cannot tell is not the party's.
 *
 * @param <Q> the method's request message type
 */
@FunctionalInterface
public interface PartyCheck<Q> {
  /** True if {@code request} names only data of the party admitted with {@code party} (its visit, its credential). */
  boolean concernsOnly(Q request, Credential party);
}
