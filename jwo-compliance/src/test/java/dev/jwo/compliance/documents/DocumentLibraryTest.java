package dev.jwo.compliance.documents;

import static dev.jwo.compliance.ComplianceFixture.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DisclosureTerms;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R4 (notices and signage from the store's modalities) and R5 (public retention policy, versioned, recorded). */
class DocumentLibraryTest {

  @Test
  void anIllinoisStorePublishesItsRetentionScheduleAndDisclosureAndRecordsThePublication() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    List<PublishedDocument> published = f.get(DocumentLibrary.class).publishAll(T);

    assertThat(published).extracting(PublishedDocument::kind)
        .containsExactlyInAnyOrder(DocumentKind.CONSENT_DISCLOSURE, DocumentKind.RETENTION_POLICY);
    PublishedDocument policy = f.get(DocumentLibrary.class).latest(DocumentKind.RETENTION_POLICY).orElseThrow();
    assertThat(policy.version()).isEqualTo("1");
    assertThat(policy.markdown()).contains("Retention schedule").contains("740 ILCS 14/15(a)")
        .contains("warrant or subpoena").contains("365 days").contains("Face geometry");
    assertThat(policy.html()).startsWith("<!DOCTYPE html>").contains("<h1>Biometric data retention schedule")
        .contains("<li>");
    List<AuditRecord> publications = f.get(AuditChain.class).records().stream()
        .filter(r -> r.type() == AuditType.POLICY_PUBLISHED).toList();
    assertThat(publications).extracting(r -> r.detail("document"))
        .contains("policy_set", "retention_policy", "consent_disclosure");
    assertThat(publications).filteredOn(r -> r.detail("document").equals("retention_policy"))
        .singleElement().satisfies(r -> assertThat(r.detail("sha256")).isEqualTo(policy.sha256()));
  }

  @Test
  void aNewYorkCityStorePublishesTheEntranceSignAndACaliforniaStoreTheNoticeAtCollection() {
    ComplianceFixture nyc = new ComplianceFixture("US-NY-NYC");
    nyc.get(DocumentLibrary.class).publishAll(T);
    assertThat(nyc.get(DocumentLibrary.class).latest(DocumentKind.NYC_ENTRANCE_SIGN)).hasValueSatisfying(d ->
        assertThat(d.markdown()).contains("Biometric Identifier Information Collected at This Location")
            .contains("face geometry").contains("22-1202(a)"));
    assertThat(nyc.get(DocumentLibrary.class).latest(DocumentKind.CA_NOTICE_AT_COLLECTION)).isEmpty();

    ComplianceFixture ca = new ComplianceFixture("US-CA");
    ca.get(DocumentLibrary.class).publishAll(T);
    assertThat(ca.get(DocumentLibrary.class).latest(DocumentKind.CA_NOTICE_AT_COLLECTION)).hasValueSatisfying(d ->
        assertThat(d.markdown()).contains("Notice at collection").contains("We do not sell or share it")
            .contains("limit the use of your sensitive personal information"));
    assertThat(ca.get(DocumentLibrary.class).latest(DocumentKind.NYC_ENTRANCE_SIGN)).isEmpty();
  }

  @Test
  void theSignFollowsTheStoresActiveModalities() {
    ComplianceFixture off = new ComplianceFixture("US-NY-NYC",
        ComplianceSettings.DEFAULTS.withEnabledModalities(EnumSet.noneOf(Modality.class)));
    off.get(DocumentLibrary.class).publishAll(T);
    assertThat(off.get(DocumentLibrary.class).latest(DocumentKind.NYC_ENTRANCE_SIGN).orElseThrow().markdown())
        .contains("collects no biometric identifier information");
  }

  @Test
  void publishingTheSameTextTwiceKeepsTheVersionAndAChangeMakesANewOne() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    VaultMasterKey key = VaultMasterKey.random();
    new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, key).get(DocumentLibrary.class).publishAll(T);
    DocumentLibrary same = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, key)
        .get(DocumentLibrary.class);
    assertThat(same.publishAll(T + 1)).isEmpty();

    DocumentLibrary changed = new ComplianceFixture("US-IL",
        ComplianceSettings.DEFAULTS.withRetention(Duration.ZERO, Duration.ofDays(90)), storage, key)
        .get(DocumentLibrary.class);
    assertThatThrownBy(() -> changed.publishAll(T + 2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bio-2026-01").hasMessageContaining("new version id");

    ComplianceSettings newDisclosure = new ComplianceSettings("The store operator", "the desk",
        EnumSet.of(Modality.FACE), List.of(new DisclosureTerms("bio-2026-02", EnumSet.of(Modality.FACE),
            "to follow you through the store", Duration.ofDays(90))), Duration.ZERO, Duration.ofDays(90));
    DocumentLibrary next = new ComplianceFixture("US-IL", newDisclosure, storage, key).get(DocumentLibrary.class);
    next.publishAll(T + 3);
    assertThat(next.latest(DocumentKind.RETENTION_POLICY).orElseThrow().version()).isEqualTo("2");
    assertThat(next.disclosure("bio-2026-01")).as("the old text stays available").isPresent();
    assertThat(next.disclosure("bio-2026-02")).isPresent();
  }

  @Test
  void htmlEscapesWhatTheConfigurationSays() {
    assertThat(MarkdownHtml.body("# A <b> & \"c\"\n\n- **x** <script>\n\ntext"))
        .isEqualTo("""
            <h1>A &lt;b&gt; &amp; &quot;c&quot;</h1>
            <ul>
            <li><strong>x</strong> &lt;script&gt;</li>
            </ul>
            <p>text</p>
            """);
  }
}
