package dev.jwo.payments.grpc;

import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.v1.ContestReceiptLineRequest;
import dev.jwo.payments.v1.DisputeServiceGrpc;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.v1.IncidentServiceGrpc;
import dev.jwo.payments.v1.InventoryServiceGrpc;
import dev.jwo.payments.v1.RecordVerifiedAgeRequest;
import dev.jwo.payments.v1.RestrictedItemServiceGrpc;
import dev.jwo.payments.v1.ListReceiptVersionsRequest;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.RenderReceiptRequest;
import dev.jwo.payments.v1.ReviewServiceGrpc;

/**
 * Who may call the receipt, dispute and review services: a shopper's app its own party's receipts, their versions
 * and contests; reviewers, staff and the store admin any receipt and the list; staff contest on a shopper's behalf;
 * reviewers and the store admin work the review queue, which staff may read; staff and the store admin watch
 * incidents, staff checks and the inventory; staff resolve checks and restock; a shopper's app records its own party's verified age.
 */
public final class ReceiptPermissions {
  private ReceiptPermissions() {}

  /** The table, checking a shopper's receipts against {@code receipts} and its visits against {@code items}. */
  public static PermissionTable table(ReceiptBook receipts, RestrictedItems items, Subjects subjects) {
    return PermissionTable.builder()
        .allowOwnParty(ReceiptServiceGrpc.getGetReceiptMethod().getFullMethodName(),
            (GetReceiptRequest request, Credential party) -> paidBy(receipts, subjects, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(ReceiptServiceGrpc.getListReceiptVersionsMethod().getFullMethodName(),
            (ListReceiptVersionsRequest request, Credential party) -> paidBy(receipts, subjects, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(ReceiptServiceGrpc.getRenderReceiptMethod().getFullMethodName(),
            (RenderReceiptRequest request, Credential party) -> paidBy(receipts, subjects, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allow(ReceiptServiceGrpc.getListReceiptsMethod().getFullMethodName(),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(DisputeServiceGrpc.getContestReceiptLineMethod().getFullMethodName(),
            (ContestReceiptLineRequest request, Credential party) -> paidBy(receipts, subjects, request.getVisitId(), party),
            Role.STAFF, Role.STORE_ADMIN)
        .allow(ReviewServiceGrpc.getListPendingReviewsMethod().getFullMethodName(),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allow(ReviewServiceGrpc.getGetReviewMethod().getFullMethodName(), Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allow(ReviewServiceGrpc.getClaimReviewMethod().getFullMethodName(), Role.REVIEWER, Role.STORE_ADMIN)
        .allow(ReviewServiceGrpc.getResolveReviewMethod().getFullMethodName(), Role.REVIEWER, Role.STORE_ADMIN)
        .allow(IncidentServiceGrpc.getWatchIncidentsMethod().getFullMethodName(), Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(RestrictedItemServiceGrpc.getRecordVerifiedAgeMethod().getFullMethodName(),
            (RecordVerifiedAgeRequest request, Credential party) -> !request.getVisitId().isBlank()
                && items.credentialOf(VisitId.of(request.getVisitId())).map(party::equals).orElse(false))
        .allow(RestrictedItemServiceGrpc.getWatchStaffChecksMethod().getFullMethodName(), Role.STAFF,
            Role.STORE_ADMIN)
        .allow(RestrictedItemServiceGrpc.getResolveStaffCheckMethod().getFullMethodName(), Role.STAFF)
        .allow(InventoryServiceGrpc.getGetInventoryMethod().getFullMethodName(), Role.STAFF, Role.STORE_ADMIN)
        .allow(InventoryServiceGrpc.getWatchInventoryMethod().getFullMethodName(), Role.STAFF, Role.STORE_ADMIN)
        .allow(InventoryServiceGrpc.getRestockMethod().getFullMethodName(), Role.STAFF)
        .build();
  }

  /**
   * Whether {@code party} paid for the visit: its receipt names that credential, or, once the credential was erased
   * after its retention, that credential's keyed subject.
   */
  private static boolean paidBy(ReceiptBook receipts, Subjects subjects, String visitId, Credential party) {
    return !visitId.isBlank() && receipts.receipt(VisitId.of(visitId))
        .map(r -> r.credential().erased() ? r.credential().reveal().equals(subjects.of(party))
            : r.credential().equals(party))
        .orElse(false);
  }
}
