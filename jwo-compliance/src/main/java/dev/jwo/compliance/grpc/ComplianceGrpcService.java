package dev.jwo.compliance.grpc;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditVerification;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.Consent;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.documents.PublishedDocument;
import dev.jwo.compliance.exposure.ExposureCalculator;
import dev.jwo.compliance.exposure.ExposureLine;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.subject.SubjectAccessReport;
import dev.jwo.compliance.subject.SubjectDeletion;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.subject.WithdrawalReceipt;
import dev.jwo.compliance.v1.AuditChainVerification;
import dev.jwo.compliance.v1.ComplianceServiceGrpc;
import dev.jwo.compliance.v1.ConsentReceipt;
import dev.jwo.compliance.v1.DeletionReceipt;
import dev.jwo.compliance.v1.Disclosure;
import dev.jwo.compliance.v1.ExposureReport;
import dev.jwo.compliance.v1.GetDisclosureRequest;
import dev.jwo.compliance.v1.GetExposureReportRequest;
import dev.jwo.compliance.v1.GetPublicDocumentRequest;
import dev.jwo.compliance.v1.JoinPartyRequest;
import dev.jwo.compliance.v1.PartyMembership;
import dev.jwo.compliance.v1.LegalHoldResponse;
import dev.jwo.compliance.v1.PlaceLegalHoldRequest;
import dev.jwo.compliance.v1.PublicDocument;
import dev.jwo.compliance.v1.RecordConsentRequest;
import dev.jwo.compliance.v1.ReleaseLegalHoldRequest;
import dev.jwo.compliance.v1.ReleaseLegalHoldResponse;
import dev.jwo.compliance.v1.SubjectAccessResponse;
import dev.jwo.compliance.v1.SubjectRequest;
import dev.jwo.compliance.v1.VerifyAuditChainRequest;
import dev.jwo.compliance.v1.WithdrawConsentRequest;
import dev.jwo.compliance.v1.WithdrawConsentResponse;
import dev.jwo.compliance.vault.DestructionRecord;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serves {@code jwo.compliance.v1.ComplianceService}. Credentials are turned into pseudonyms at once. Times are the
 * store's event time (the clock's before the pipeline has seen an event). {@link ComplianceException}s map to
 * INVALID_ARGUMENT, NOT_FOUND and FAILED_PRECONDITION with their message.
 */
@Singleton
public final class ComplianceGrpcService extends ComplianceServiceGrpc.ComplianceServiceImplBase {
  private final DocumentLibrary documents;
  private final ConsentLedger ledger;
  private final PartyRoster roster;
  private final SubjectRequests subjects;
  private final RetentionSchedule retention;
  private final AuditChain audit;
  private final ExposureCalculator exposure;
  private final VisitCompliance visits;
  private final PolicySet policies;
  private final Subjects naming;

  @Inject
  public ComplianceGrpcService(
      DocumentLibrary documents, ConsentLedger ledger, PartyRoster roster, SubjectRequests subjects, RetentionSchedule retention,
      AuditChain audit, ExposureCalculator exposure, VisitCompliance visits, PolicySet policies, Subjects naming) {
    this.naming = naming;
    this.documents = documents;
    this.ledger = ledger;
    this.roster = roster;
    this.subjects = subjects;
    this.retention = retention;
    this.audit = audit;
    this.exposure = exposure;
    this.visits = visits;
    this.policies = policies;
  }

  @Override
  public void getDisclosure(GetDisclosureRequest request, StreamObserver<Disclosure> response) {
    respond(response, () -> {
      visits.ensurePublished(visits.now());
      dev.jwo.compliance.consent.Disclosure d = disclosure(request.getVersion());
      PublishedDocument doc = documents.document(DocumentKind.CONSENT_DISCLOSURE, d.version()).orElseThrow();
      return Disclosure.newBuilder().setVersion(d.version()).setMarkdown(d.text()).setHtml(doc.html())
          .setSha256(d.sha256()).addAllModalities(d.modalities().stream().map(ComplianceGrpcService::toProto).toList())
          .setPurpose(d.purpose()).setTermMs(d.term().toMillis()).setPublishedAtMs(d.publishedTs()).build();
    });
  }

  @Override
  public void recordConsent(RecordConsentRequest request, StreamObserver<ConsentReceipt> response) {
    respond(response, () -> {
      String subject = subject(request.getCredential());
      if (request.getDisclosureVersion().isBlank()) {
        throw ComplianceException.invalid("disclosure_version is required: the version of the text the person signed");
      }
      if (request.getSignatureMethod().isBlank()) {
        throw ComplianceException.invalid("signature_method is required, e.g. app-tap-to-sign");
      }
      visits.ensurePublished(visits.now());
      dev.jwo.compliance.consent.Disclosure d = disclosure(request.getDisclosureVersion());
      if (!d.sha256().equals(request.getDisclosureSha256())) {
        throw ComplianceException.refused("the text the person was shown (sha256 '" + request.getDisclosureSha256()
            + "') is not disclosure " + d.version() + " (sha256 " + d.sha256()
            + "); fetch it with GetDisclosure, show it, and sign again");
      }
      Set<Modality> modalities = modalities(request.getModalitiesList(), d.modalities());
      for (Modality m : modalities) {
        policies.modalityBan(m).ifPresent(rule -> {
          throw ComplianceException.refused(m.name().toLowerCase(java.util.Locale.ROOT)
              + " is banned here whatever the consent: " + rule.summary() + " (" + rule.citation() + ")");
        });
      }
      @SuppressWarnings("deprecation")
      long claimed = request.getSignedAtMs();
      if (claimed != 0) {
        throw ComplianceException.invalid("signed_at_ms must be 0: the server dates a release when it receives the"
            + " signer's evidence, so a release cannot be backdated");
      }
      if (request.getAttestation().isBlank()) {
        throw ComplianceException.invalid("attestation is required: what the signing channel attests about the"
            + " signer (app version, signed-in session), never a raw credential");
      }
      long signedAt = visits.now();
      Consent consent;
      try {
        consent = ledger.record(subject, d, modalities,
            new SignatureEvidence(request.getSignatureMethod(), request.getDisclosureSha256(),
                request.getAttestation()),
            channel(request.getChannel()), signedAt);
      } catch (IllegalArgumentException e) {
        throw ComplianceException.invalid(String.valueOf(e.getMessage()));
      }
      return ConsentReceipt.newBuilder().setConsentId(consent.id()).setSubject(subject)
          .setValidUntilMs(consent.validUntilTs()).setAuditHash(audit.headHash()).build();
    });
  }

  @Override
  public void joinParty(JoinPartyRequest request, StreamObserver<PartyMembership> response) {
    respond(response, () -> membership(request, true));
  }

  @Override
  public void leaveParty(JoinPartyRequest request, StreamObserver<PartyMembership> response) {
    respond(response, () -> membership(request, false));
  }

  private PartyMembership membership(JoinPartyRequest request, boolean join) {
    String member = subject(request.getCredential());
    if (request.getPayerCredential().isBlank()) {
      throw ComplianceException.invalid("payer_credential is required: the credential that admits the party");
    }
    String payer = subject(request.getPayerCredential());
    long now = visits.now();
    if (join) {
      roster.join(payer, member, channel(request.getChannel()), now);
    } else {
      roster.leave(payer, member, channel(request.getChannel()), now);
    }
    return PartyMembership.newBuilder().setMember(member).setPayer(payer)
        .setMembers(roster.members(payer, now).size()).setAtMs(now).build();
  }

  @Override
  public void withdrawConsent(WithdrawConsentRequest request, StreamObserver<WithdrawConsentResponse> response) {
    respond(response, () -> {
      String subject = subject(request.getCredential());
      WithdrawalReceipt receipt = subjects.withdraw(subject,
          modalities(request.getModalitiesList(), EnumSet.allOf(Modality.class)), channel(request.getChannel()),
          visits.now());
      WithdrawConsentResponse.Builder b = WithdrawConsentResponse.newBuilder().setSubject(subject)
          .setWithdrawnAtMs(receipt.withdrawal().ts()).setHeldBy(receipt.heldBy());
      receipt.destruction().ifPresent(d -> b.setItemsDestroyed(d.items()).setKeyShredded(d.keyShredded()));
      return b.build();
    });
  }

  @Override
  public void getPublicDocument(GetPublicDocumentRequest request, StreamObserver<PublicDocument> response) {
    respond(response, () -> {
      if (request.getKind() == dev.jwo.compliance.v1.DocumentKind.DOCUMENT_KIND_UNSPECIFIED
          || request.getKind() == dev.jwo.compliance.v1.DocumentKind.UNRECOGNIZED) {
        throw ComplianceException.invalid("kind is required: retention_policy, consent_disclosure, nyc_entrance_sign"
            + " or ca_notice_at_collection");
      }
      visits.ensurePublished(visits.now());
      DocumentKind kind = DocumentKind.valueOf(request.getKind().name());
      PublishedDocument doc = (request.getVersion().isBlank()
          ? documents.latest(kind) : documents.document(kind, request.getVersion()))
          .orElseThrow(() -> ComplianceException.notFound("store has no published " + kind.wireName()
              + (request.getVersion().isBlank() ? "" : " version " + request.getVersion())
              + "; it publishes " + documents.all().stream().map(d -> d.kind().wireName() + " " + d.version())
                  .distinct().toList()));
      return PublicDocument.newBuilder().setKind(request.getKind()).setVersion(doc.version())
          .setMarkdown(doc.markdown()).setHtml(doc.html()).setSha256(doc.sha256())
          .setPublishedAtMs(doc.publishedTs()).build();
    });
  }

  @Override
  public void subjectAccess(SubjectRequest request, StreamObserver<SubjectAccessResponse> response) {
    respond(response, () -> {
      SubjectAccessReport report = subjects.access(subject(request.getCredential()), visits.now());
      return SubjectAccessResponse.newBuilder().setSubject(report.subject()).setMarkdown(report.markdown())
          .setConsents(report.consents()).setTemplatesHeld(report.templatesHeld()).setAuditHash(report.auditHash())
          .build();
    });
  }

  @Override
  public void deleteSubjectData(SubjectRequest request, StreamObserver<DeletionReceipt> response) {
    respond(response, () -> {
      SubjectDeletion deletion = subjects.delete(subject(request.getCredential()), channel(request.getChannel()),
          visits.now());
      DestructionRecord record = deletion.vault();
      return DeletionReceipt.newBuilder().setSubject(record.subject()).setItemsDestroyed(record.items())
          .setKeyShredded(record.keyShredded()).setDestroyedAtMs(record.doneTs()).setRule(record.rule())
          .setAuditHash(record.auditHash()).addAllDestroyed(deletion.destroyed())
          .addAllNotReached(SubjectRequests.NOT_REACHED).build();
    });
  }

  @Override
  public void placeLegalHold(PlaceLegalHoldRequest request, StreamObserver<LegalHoldResponse> response) {
    respond(response, () -> {
      String subject = subject(request.getCredential());
      LegalHold.Order order = switch (request.getOrder()) {
        case WARRANT -> LegalHold.Order.WARRANT;
        case SUBPOENA -> LegalHold.Order.SUBPOENA;
        default -> throw ComplianceException.invalid("order is required: WARRANT or SUBPOENA");
      };
      LegalHold hold = retention.placeHold(subject, order, request.getReference(), request.getAuthority(),
          visits.now());
      return LegalHoldResponse.newBuilder().setSubject(subject).setPlacedAtMs(hold.placedTs()).build();
    });
  }

  @Override
  public void releaseLegalHold(ReleaseLegalHoldRequest request, StreamObserver<ReleaseLegalHoldResponse> response) {
    respond(response, () -> {
      String subject = subject(request.getCredential());
      if (request.getReleaseReference().isBlank()) {
        throw ComplianceException.invalid("release_reference is required: the order or document that ends the hold");
      }
      LegalHold hold = retention.hold(subject).orElseThrow(() -> ComplianceException.notFound(
          "no legal hold is placed on this person's data"));
      if (!hold.reference().equals(request.getReference().strip())) {
        throw ComplianceException.refused("the hold on this person's data has another reference than '"
            + request.getReference() + "'; name the reference the hold was placed with");
      }
      long now = visits.now();
      retention.releaseHold(subject, request.getReleaseReference().strip(), now);
      return ReleaseLegalHoldResponse.newBuilder().setSubject(subject).setReleasedAtMs(now)
          .setAuditHash(audit.headHash()).build();
    });
  }

  @Override
  public void verifyAuditChain(VerifyAuditChainRequest request, StreamObserver<AuditChainVerification> response) {
    respond(response, () -> {
      AuditVerification v = audit.verify();
      return AuditChainVerification.newBuilder().setValid(v.valid()).setRecordsChecked(v.recordsChecked())
          .setHeadHash(v.headHash()).setFirstBadPosition(v.firstBadPosition()).setProblem(v.problem()).build();
    });
  }

  @Override
  public void getExposureReport(GetExposureReportRequest request, StreamObserver<ExposureReport> response) {
    respond(response, () -> {
      dev.jwo.compliance.exposure.ExposureReport report = exposure.report(visits.now());
      ExposureReport.Builder b = ExposureReport.newBuilder().setStoreId(report.storeId())
          .setJurisdiction(report.jurisdiction()).setAsOfMs(report.asOfTs())
          .setTotalNegligentMinorUsd(report.totalNegligentMinor())
          .setTotalIntentionalMinorUsd(report.totalIntentionalMinor());
      for (ExposureLine line : report.lines()) {
        b.addLines(dev.jwo.compliance.v1.ExposureLine.newBuilder().setJurisdiction(line.jurisdiction())
            .setLaw(line.law()).setCaptured(line.captured()).setWithValidConsent(line.withValidConsent())
            .setWithoutValidConsent(line.withoutValidConsent()).setDroppedAtDoor(line.droppedAtDoor())
            .setViolations(line.violations()).setUnit(line.unit().name().toLowerCase(java.util.Locale.ROOT))
            .setNegligentMinorUsd(line.negligentMinor()).setIntentionalMinorUsd(line.intentionalMinor())
            .setCitation(line.citation()).setNote(line.note()).setReceived(line.received())
            .addAllDuties(line.duties().stream().map(d -> dev.jwo.compliance.v1.ExposureDuty.newBuilder()
                .setDuty(d.duty()).setCitation(d.citation()).setViolations(d.violations())
                .setNegligentMinorUsd(d.negligentMinor()).setIntentionalMinorUsd(d.intentionalMinor())
                .setBasis(d.basis()).build()).toList()));
      }
      return b.build();
    });
  }

  private dev.jwo.compliance.consent.Disclosure disclosure(String version) {
    if (version.isBlank()) {
      return documents.currentDisclosure().orElseThrow(() -> ComplianceException.notFound(
          "this store has no disclosure configured, so no release can be signed"));
    }
    return documents.disclosure(version).orElseThrow(() -> ComplianceException.notFound(
        "no disclosure version '" + version + "' is published in this store; ask GetDisclosure for the current one"));
  }

  private String subject(String credential) {
    if (credential.isBlank()) {
      throw ComplianceException.invalid("credential is required: the one the person presents at the entry gate");
    }
    return naming.of(Credential.of(credential));
  }

  private static Channel channel(dev.jwo.compliance.v1.Channel channel) {
    return switch (channel) {
      case KIOSK -> Channel.KIOSK;
      case PAPER -> Channel.PAPER;
      case BACK_OFFICE -> Channel.BACK_OFFICE;
      case APP -> Channel.APP;
      default -> throw ComplianceException.invalid("channel is required: APP, KIOSK, PAPER or BACK_OFFICE");
    };
  }

  private static Set<Modality> modalities(List<dev.jwo.compliance.v1.Modality> requested, Set<Modality> whenEmpty) {
    if (requested.isEmpty()) {
      return EnumSet.copyOf(whenEmpty);
    }
    Set<Modality> modalities = EnumSet.noneOf(Modality.class);
    for (dev.jwo.compliance.v1.Modality m : requested) {
      if (m == dev.jwo.compliance.v1.Modality.MODALITY_UNSPECIFIED || m == dev.jwo.compliance.v1.Modality.UNRECOGNIZED) {
        throw ComplianceException.invalid("modalities must be FACE, HAND, VOICE or GAIT");
      }
      modalities.add(Modality.valueOf(m.name()));
    }
    return modalities;
  }

  private static dev.jwo.compliance.v1.Modality toProto(Modality modality) {
    return dev.jwo.compliance.v1.Modality.valueOf(modality.name());
  }

  private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (ComplianceException e) {
      Status status = switch (e.kind()) {
        case INVALID -> Status.INVALID_ARGUMENT;
        case NOT_FOUND -> Status.NOT_FOUND;
        case REFUSED -> Status.FAILED_PRECONDITION;
      };
      response.onError(new StatusRuntimeException(status.withDescription(e.getMessage())));
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
