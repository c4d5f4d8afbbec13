package dev.jwo.core.security;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which role may call which gRPC method (by full method name, {@code package.Service/Method}). Deny by default: a
 * role not listed for a method, and any method not in the table, is refused. A {@link Role#SHOPPER_APP} may be
 * allowed a method only for its own party, through a {@link PartyCheck} on each request. Each module contributes
 * the table of the services it serves ({@code CoreModule.permissions}); the server merges them. Immutable.
 */
public final class PermissionTable {
  /** What a role may do with a method. */
  public enum Grant {
    /** Refused. */
    DENY,
    /** Allowed. */
    ALLOW,
    /** Allowed when every request concerns only the caller's own party. */
    OWN_PARTY
  }

  private final Map<String, Map<Role, Grant>> grants;
  private final Map<String, PartyCheck<?>> partyChecks;

  private PermissionTable(Map<String, Map<Role, Grant>> grants, Map<String, PartyCheck<?>> partyChecks) {
    Map<String, Map<Role, Grant>> copy = new TreeMap<>();
    grants.forEach((method, byRole) -> copy.put(method, Map.copyOf(byRole)));
    this.grants = Map.copyOf(copy);
    this.partyChecks = Map.copyOf(partyChecks);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The union of tables that name disjoint methods. @throws IllegalArgumentException if two name one method */
  public static PermissionTable merge(Collection<PermissionTable> tables) {
    Map<String, Map<Role, Grant>> grants = new TreeMap<>();
    Map<String, PartyCheck<?>> checks = new LinkedHashMap<>();
    for (PermissionTable table : tables) {
      for (Map.Entry<String, Map<Role, Grant>> e : table.grants.entrySet()) {
        if (grants.putIfAbsent(e.getKey(), e.getValue()) != null) {
          throw new IllegalArgumentException("two permission tables name " + e.getKey() + "; each method has one entry");
        }
      }
      checks.putAll(table.partyChecks);
    }
    return new PermissionTable(grants, checks);
  }

  /** Every method the table names, sorted. */
  public Set<String> methods() {
    return new java.util.TreeSet<>(grants.keySet());
  }

  /** Whether the table names {@code fullMethodName} (a method it does not name is refused to everyone). */
  public boolean names(String fullMethodName) {
    return grants.containsKey(fullMethodName);
  }

  /** What {@code role} may do with {@code fullMethodName}. */
  public Grant grant(String fullMethodName, Role role) {
    Map<Role, Grant> byRole = grants.get(fullMethodName);
    return byRole == null ? Grant.DENY : byRole.getOrDefault(role, Grant.DENY);
  }

  /** The roles allowed {@code fullMethodName} in any way. */
  public Set<Role> rolesFor(String fullMethodName) {
    Map<Role, Grant> byRole = grants.getOrDefault(fullMethodName, Map.of());
    Set<Role> roles = EnumSet.noneOf(Role.class);
    byRole.forEach((role, grant) -> {
      if (grant != Grant.DENY) {
        roles.add(role);
      }
    });
    return roles;
  }

  /** The party check of a method a shopper's app may call for its own party. */
  public Optional<PartyCheck<?>> partyCheck(String fullMethodName) {
    return Optional.ofNullable(partyChecks.get(fullMethodName));
  }

  /** The allowed roles of {@code fullMethodName} as text, e.g. {@code staff, shopper-app (own party)}. */
  public String describe(String fullMethodName) {
    Map<Role, Grant> byRole = grants.getOrDefault(fullMethodName, Map.of());
    String allowed = byRole.entrySet().stream()
        .filter(e -> e.getValue() != Grant.DENY)
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().wireName() + (e.getValue() == Grant.OWN_PARTY ? " (own party)" : ""))
        .collect(Collectors.joining(", "));
    return allowed.isEmpty() ? "nobody" : allowed;
  }

  /** Builds a table; every method named must be named once. */
  public static final class Builder {
    private final Map<String, Map<Role, Grant>> grants = new LinkedHashMap<>();
    private final Map<String, PartyCheck<?>> checks = new LinkedHashMap<>();

    private Builder() {}

    /** Allows {@code roles} (at least one) to call {@code fullMethodName}. */
    public Builder allow(String fullMethodName, Role... roles) {
      return add(fullMethodName, null, roles);
    }

    /** Allows every authenticated caller, a shopper's app included, to call {@code fullMethodName} (public data). */
    public Builder allowEveryone(String fullMethodName) {
      add(fullMethodName, null, Role.SENSOR_GATEWAY);
      Map<Role, Grant> byRole = new EnumMap<>(Role.class);
      for (Role role : Role.values()) {
        byRole.put(role, Grant.ALLOW);
      }
      grants.put(fullMethodName, byRole);
      return this;
    }

    /**
     * Allows {@code roles} to call {@code fullMethodName}, and a {@link Role#SHOPPER_APP} too when {@code check}
     * finds that each request concerns only its own party.
     */
    public <Q> Builder allowOwnParty(String fullMethodName, PartyCheck<Q> check, Role... roles) {
      return add(fullMethodName, Objects.requireNonNull(check, "check"), roles);
    }

    private Builder add(String fullMethodName, @Nullable PartyCheck<?> check, Role... roles) {
      if (!fullMethodName.matches("[A-Za-z0-9_.]+/[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException("'" + fullMethodName + "' is not a full method name (package.Service/Method)");
      }
      if (grants.containsKey(fullMethodName)) {
        throw new IllegalArgumentException(fullMethodName + " is already in the table");
      }
      if (roles.length == 0 && check == null) {
        throw new IllegalArgumentException(fullMethodName + " must be allowed to at least one role");
      }
      Map<Role, Grant> byRole = new EnumMap<>(Role.class);
      for (Role role : roles) {
        if (role == Role.SHOPPER_APP) {
          throw new IllegalArgumentException("a shopper's app is allowed only its own party's data: use allowOwnParty");
        }
        byRole.put(role, Grant.ALLOW);
      }
      if (check != null) {
        byRole.put(Role.SHOPPER_APP, Grant.OWN_PARTY);
        checks.put(fullMethodName, check);
      }
      grants.put(fullMethodName, byRole);
      return this;
    }

    public PermissionTable build() {
      return new PermissionTable(grants, checks);
    }
  }
}
