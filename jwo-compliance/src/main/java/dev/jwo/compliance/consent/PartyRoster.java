package dev.jwo.compliance.consent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.internal.PersonStreams;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Who belongs to whose party: a person signs in, in the retailer's app, as a member of the party of the person whose
 * credential admits it at the gate (the payer). Each member is a person of their own, with their own pseudonym,
 * releases, withdrawals, access and deletion; a payer's release never covers a member. What links a person to a
 * party is kept in that person's own journal stream ({@value #PERSON_STREAMS}{@code <person>}: the parties they
 * joined and left, the shared vault subjects they were recorded with), so that their deletion request discards it
 * ({@link #forget}); changes are recorded in the audit chain. Thread-safe.
 */
@Singleton
public final class PartyRoster {
  /** The stream where an earlier release kept everybody's records; moved into the people's streams at start-up. */
  public static final String STREAM = "compliance/parties";
  /** Each person's party records are in the journal stream named this and their pseudonym. */
  public static final String PERSON_STREAMS = "compliance/parties/";

  private final PersonStreams streams;
  private final AuditChain audit;
  private final Subjects subjects;
  /** Vault subjects of data shared by the people of a party visit start with this. */
  public static final String SHARED_PREFIX = "party:";

  private @Nullable List<Change> changes;
  private @Nullable Map<String, List<String>> shared;

  @Inject
  public PartyRoster(StoreStorage storage, AuditChain audit, Subjects subjects) {
    this.subjects = subjects;
    this.streams = new PersonStreams(storage.journal(), PERSON_STREAMS);
    this.audit = audit;
  }

  /**
   * Records that {@code member} joined the party of {@code payer} at {@code ts}; joining again is a no-op.
   *
   * @throws ComplianceException INVALID if a pseudonym is blank or a person would join their own party
   */
  public synchronized void join(String payer, String member, Channel channel, long ts) {
    require(payer, member);
    if (members(payer, ts).contains(member)) {
      return;
    }
    change(new Change(true, payer, member, channel, ts));
  }

  /** Records that {@code member} left the party of {@code payer} at {@code ts}; leaving a party not joined is a no-op. */
  public synchronized void leave(String payer, String member, Channel channel, long ts) {
    require(payer, member);
    if (!members(payer, ts).contains(member)) {
      return;
    }
    change(new Change(false, payer, member, channel, ts));
  }

  /** The members (besides the payer) of the payer's party at {@code ts}, in pseudonym order. */
  public synchronized Set<String> members(String payer, long ts) {
    Set<String> members = new TreeSet<>();
    for (Change c : loaded()) {
      if (c.payer.equals(payer) && c.ts <= ts) {
        if (c.joined) {
          members.add(c.member);
        } else {
          members.remove(c.member);
        }
      }
    }
    return members;
  }

  /**
   * The people of an admitted party at {@code ts}: the payer (the credential holder) first, then the members who
   * signed in to the payer's party, and how many of the party admitted are not known by name (they signed in as
   * nobody: the gate admitted more people than the roster names).
   */
  public synchronized PartyPeople people(Admission admission, long ts) {
    List<String> known = new ArrayList<>();
    String payer = subjects.of(admission.credential());
    known.add(payer);
    known.addAll(members(payer, ts));
    return new PartyPeople(known, Math.max(0, admission.partySize() - known.size()));
  }

  /**
   * The vault subject under which the biometric data of a party visit is sealed when it cannot be told which member
   * it came from (every member of the party holds a release): the people who may have been in the party are
   * recorded with it once, so that each of them reaches it by access and deletion.
   */
  public synchronized String sharedSubject(Admission admission, long ts) {
    String shared = SHARED_PREFIX + admission.visitId().value();
    if (!sharedPeople(shared).isEmpty()) {
      return shared;
    }
    List<String> people = people(admission, ts).known();
    Map<String, List<JournalRecord>> records = new LinkedHashMap<>();
    for (int i = 0; i < people.size(); i++) {
      records.put(people.get(i), List.of(sharedRecord(shared, people.get(i), i, ts)));
    }
    streams.append(records);
    loadedShared().put(shared, List.copyOf(people));
    return shared;
  }

  /** The people recorded for a shared vault subject; empty for a subject that is not shared. */
  public synchronized List<String> sharedPeople(String sharedSubject) {
    return loadedShared().getOrDefault(sharedSubject, List.of());
  }

  /** The shared vault subjects that may hold data of {@code person}, in order. */
  public synchronized Set<String> sharedSubjectsOf(String person) {
    Set<String> subjects = new TreeSet<>();
    loadedShared().forEach((subject, people) -> {
      if (people.contains(person)) {
        subjects.add(subject);
      }
    });
    return subjects;
  }

  /** The payers whose party {@code member} has ever joined, in pseudonym order. */
  public synchronized Set<String> partiesOf(String member) {
    Set<String> payers = new TreeSet<>();
    for (Change c : loaded()) {
      if (c.member.equals(member) && c.joined) {
        payers.add(c.payer);
      }
    }
    return payers;
  }

  /**
   * Discards, at {@code person}'s deletion request, every record that links them to a party: the parties they
   * joined and left, and their place among the people of shared vault subjects. The audit chain keeps its records
   * of the changes (pseudonyms only), as the evidence the law asks for.
   *
   * @return how many records were discarded
   */
  public synchronized int forget(String person) {
    loaded();
    int discarded = streams.replace(person, List.of());
    java.util.Objects.requireNonNull(changes).removeIf(c -> c.member.equals(person));
    loadedShared().replaceAll((subject, people) ->
        people.stream().filter(p -> !p.equals(person)).toList());
    return discarded;
  }

  private static JournalRecord sharedRecord(String shared, String person, int index, long ts) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", shared);
    json.put("person", person);
    json.put("index", index);
    json.put("ts", ts);
    return new JournalRecord("shared", Canonical.json(json));
  }

  private void change(Change change) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("payer", change.payer);
    json.put("member", change.member);
    json.put("channel", change.channel.name());
    json.put("ts", change.ts);
    streams.append(Map.of(change.member,
        List.of(new JournalRecord(change.joined ? "joined" : "left", Canonical.json(json)))));
    loaded().add(change);
    audit.append(change.joined ? AuditType.PARTY_JOINED : AuditType.PARTY_LEFT, change.ts, change.member,
        Map.of("party_of", change.payer, "channel", change.channel.wireName()));
  }

  private static void require(String payer, String member) {
    if (payer.isBlank() || member.isBlank()) {
      throw ComplianceException.invalid("a party member and the party's payer must both be named");
    }
    if (payer.equals(member)) {
      throw ComplianceException.invalid("the payer is already in their own party");
    }
  }

  private Map<String, List<String>> loadedShared() {
    loaded();
    return java.util.Objects.requireNonNull(shared);
  }

  private List<Change> loaded() {
    List<Change> list = changes;
    if (list == null) {
      streams.migrate(STREAM, PartyRoster::split);
      list = new ArrayList<>();
      Map<String, java.util.SortedMap<Integer, String>> sharedSubjects = new TreeMap<>();
      for (List<JournalRecord> records : streams.readAll().values()) {
        for (JournalRecord record : records) {
          JsonNode json = Canonical.read(record.payload());
          if (record.type().equals("shared")) {
            sharedSubjects.computeIfAbsent(Canonical.text(json, "subject", ""), s -> new TreeMap<>())
                .put(json.path("index").asInt(), Canonical.text(json, "person", ""));
            continue;
          }
          list.add(new Change(record.type().equals("joined"), Canonical.text(json, "payer", ""),
              Canonical.text(json, "member", ""), Channel.valueOf(Canonical.text(json, "channel", "APP")),
              json.path("ts").asLong()));
        }
      }
      Map<String, List<String>> sharedPeople = new LinkedHashMap<>();
      sharedSubjects.forEach((subject, people) -> sharedPeople.put(subject, List.copyOf(people.values())));
      shared = sharedPeople;
      changes = list;
    }
    return list;
  }

  /** A record of the stream an earlier release kept for everybody, as the records of each person it concerns. */
  private static Map<String, JournalRecord> split(JournalRecord record) {
    JsonNode json = Canonical.read(record.payload());
    if (!record.type().equals("shared")) {
      return Map.of(Canonical.text(json, "member", ""), record);
    }
    Map<String, JournalRecord> parts = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode person : json.path("people")) {
      parts.put(person.asText(), sharedRecord(Canonical.text(json, "subject", ""), person.asText(), index++,
          json.path("ts").asLong()));
    }
    return parts;
  }

  /**
   * The people of a party: {@code known} by pseudonym (the payer first) and how many more the gate admitted.
   */
  public record PartyPeople(List<String> known, int unnamed) {
    public PartyPeople {
      known = List.copyOf(known);
    }
  }

  private record Change(boolean joined, String payer, String member, Channel channel, long ts) {}
}
