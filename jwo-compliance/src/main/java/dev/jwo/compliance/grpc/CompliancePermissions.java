package dev.jwo.compliance.grpc;

import dev.jwo.compliance.v1.ComplianceServiceGrpc;
import dev.jwo.compliance.v1.JoinPartyRequest;
import dev.jwo.compliance.v1.RecordConsentRequest;
import dev.jwo.compliance.v1.SubjectRequest;
import dev.jwo.compliance.v1.WithdrawConsentRequest;
import dev.jwo.core.Credential;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;

/**
 * Who may call the compliance service. Public documents: everyone. A shopper's app: its own consent, withdrawal
 * and subject access, joining a party with its own credential, and leaving one (the member or the payer). The
 * compliance officer: everything about subjects (paper releases, deletion, placing and releasing legal holds), the
 * audit chain and the exposure report. The store admin: the audit chain and the exposure report.
 * A sensor gateway, a reviewer and staff: public documents only.
 */
public final class CompliancePermissions {
  /** The table. */
  public static final PermissionTable TABLE = PermissionTable.builder()
      .allowEveryone(ComplianceServiceGrpc.getGetDisclosureMethod().getFullMethodName())
      .allowEveryone(ComplianceServiceGrpc.getGetPublicDocumentMethod().getFullMethodName())
      .allowOwnParty(ComplianceServiceGrpc.getRecordConsentMethod().getFullMethodName(),
          (RecordConsentRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
          Role.COMPLIANCE_OFFICER)
      .allowOwnParty(ComplianceServiceGrpc.getJoinPartyMethod().getFullMethodName(),
          (JoinPartyRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
          Role.COMPLIANCE_OFFICER)
      .allowOwnParty(ComplianceServiceGrpc.getLeavePartyMethod().getFullMethodName(),
          (JoinPartyRequest request, Credential party) -> request.getCredential().equals(party.reveal())
              || request.getPayerCredential().equals(party.reveal()),
          Role.COMPLIANCE_OFFICER)
      .allowOwnParty(ComplianceServiceGrpc.getWithdrawConsentMethod().getFullMethodName(),
          (WithdrawConsentRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
          Role.COMPLIANCE_OFFICER)
      .allowOwnParty(ComplianceServiceGrpc.getSubjectAccessMethod().getFullMethodName(),
          (SubjectRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
          Role.COMPLIANCE_OFFICER)
      .allow(ComplianceServiceGrpc.getDeleteSubjectDataMethod().getFullMethodName(), Role.COMPLIANCE_OFFICER)
      .allow(ComplianceServiceGrpc.getPlaceLegalHoldMethod().getFullMethodName(), Role.COMPLIANCE_OFFICER)
      .allow(ComplianceServiceGrpc.getReleaseLegalHoldMethod().getFullMethodName(), Role.COMPLIANCE_OFFICER)
      .allow(ComplianceServiceGrpc.getVerifyAuditChainMethod().getFullMethodName(),
          Role.COMPLIANCE_OFFICER, Role.STORE_ADMIN)
      .allow(ComplianceServiceGrpc.getGetExposureReportMethod().getFullMethodName(),
          Role.COMPLIANCE_OFFICER, Role.STORE_ADMIN)
      .build();

  private CompliancePermissions() {}
}
